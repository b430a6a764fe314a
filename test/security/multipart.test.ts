import { type AddressInfo, connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem, sessionCookie } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";

/**
 * Multipart bodies sent to the listening portal over real HTTP (the probe of 2026-12-07, M3):
 * `inject` hands the parser a whole payload, which hid the 500 a body cut short gave on the wire.
 */
let t: TestApp;
let base: string;
let itemId: number;
let editor: string;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  itemId = await createItem(t.db, { title: { en: "Briefing" } });
  editor = await sessionCookie(t, "editor");
});
afterAll(() => t.close());

const boundary = "BB";
const multipartType = `multipart/form-data; boundary=${boundary}`;
const field = (name: string, value: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
// The probe's body: a file part that never reaches its closing boundary.
const cutShort = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello`;

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${url}`, {
    method: "POST",
    body,
    headers: { "x-requested-with": "test", "content-type": multipartType, ...headers },
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The transcript page's form token and the cookie it goes with, as an editor's browser has them. */
async function formToken(lang: "en" | "fr"): Promise<{ token: string; cookie: string }> {
  const page = await fetch(`${base}/${lang}/editor/items/${itemId}/transcript`, {
    headers: { cookie: editor, accept: "text/html" },
  });
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  const csrf = /(_csrf=[^;]+)/.exec(page.headers.get("set-cookie") ?? "")?.[1] ?? "";
  return { token, cookie: `${editor}; ${csrf}` };
}

const apiPosts = () => [
  "/api/v1/events",
  `/api/v1/items/${itemId}/publish`,
  `/api/v1/items/${itemId}/transcript`,
  `/api/v1/items/${itemId}/transcript/restore`,
  "/api/v1/events/no-such-event/programme",
];

describe("a multipart body cut short", () => {
  it("gets an anonymous caller the 401 of the editors' API, before the body is read", async () => {
    for (const url of apiPosts()) {
      const res = await post(url, cutShort);
      expect([url, res.status]).toEqual([url, 401]);
      expect(JSON.parse(res.text).error.code, url).toBe("not_authenticated");
      expect(res.headers.get("www-authenticate"), url).toBe("Bearer");
    }
    // A media user is refused as early: 403.
    const media = await sessionCookie(t, "media");
    const refused = await post(`/api/v1/items/${itemId}/publish`, cutShort, { cookie: media });
    expect(refused.status).toBe(403);
  });

  it("is a 400 in the API's shape for an editor: the API takes JSON, never multipart", async () => {
    for (const url of apiPosts()) {
      const res = await post(url, cutShort, { cookie: editor });
      expect([url, res.status]).toEqual([url, 400]);
      expect(JSON.parse(res.text).error).toEqual({
        code: "invalid_input",
        message: "Some of the information is missing or not valid.",
      });
    }
  });

  it("is a 400 page in the page's language on the transcript upload, the one form that takes a file", async () => {
    for (const [lang, message] of [
      ["en", "The request could not be understood."],
      ["fr", "La requête n&#39;a pas pu être comprise."],
    ] as const) {
      const { token, cookie } = await formToken(lang);
      const res = await post(
        `/${lang}/editor/items/${itemId}/transcript/upload`,
        field("_csrf", token) + cutShort,
        {
          cookie,
          accept: "text/html",
        },
      );
      expect(res.status, lang).toBe(400);
      expect(res.headers.get("content-type"), lang).toMatch(/^text\/html/);
      expect(res.text, lang).toContain(`<h1>${message}</h1>`);
    }
    // The JSON shape for a program that posts there.
    const { token, cookie } = await formToken("en");
    const res = await post(`/en/editor/items/${itemId}/transcript/upload`, field("_csrf", token) + cutShort, {
      cookie,
      accept: "application/json",
    });
    expect([res.status, JSON.parse(res.text).error.code]).toEqual([400, "bad_request"]);
  });

  it("still reads a whole form on the upload page", async () => {
    const { token, cookie } = await formToken("en");
    const vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nGood morning.\n";
    const body = `${field("_csrf", token)}${field("lang", "en")}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.vtt"\r\n\r\n${vtt}\r\n--${boundary}--\r\n`;
    const res = await post(`/en/editor/items/${itemId}/transcript/upload`, body, {
      cookie,
      accept: "text/html",
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("The file holds 1 sentence");
  });
});

describe("a whole multipart body from an anonymous caller", () => {
  it("gets the 401, not the schema's refusal of its fields", async () => {
    const res = await post("/api/v1/events", `${field("title", "x")}--${boundary}--\r\n`);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).error.code).toBe("not_authenticated");
    // As a JSON body that does not fit the schema already did.
    const json = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      body: JSON.stringify({ title: 1 }),
      headers: { "content-type": "application/json" },
    });
    expect(json.status).toBe(401);
  });

  it("is refused before its body is checked on the newsletter, item-creation and live routes too", async () => {
    for (const url of ["/api/v1/items", "/api/v1/newsletter/issues", "/api/v1/items/1/live/end"]) {
      const res = await fetch(`${base}${url}`, {
        method: "POST",
        body: JSON.stringify({ event: 1, title: 1, nonsense: true }),
        headers: { "content-type": "application/json" },
      });
      expect([url, res.status]).toEqual([url, 401]);
      expect((await res.json()).error.code).toBe("not_authenticated");
    }
  });
});

/**
 * One kept-alive connection, as a client that reuses its sockets has it: `first`, then `next` once
 * the first answer is in. What came back within `ms`, and whether the portal closed the connection.
 */
async function sameConnection(first: string, next: string, ms = 3000) {
  const socket = connect((t.app.server.address() as AddressInfo).port, "127.0.0.1");
  const chunks: Buffer[] = [];
  let closed = false;
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("close", () => {
    closed = true;
  });
  // Writing the rest of a refused body into a closed connection fails; the answer is already in.
  socket.on("error", () => {});
  socket.write(first);
  const text = () => Buffer.concat(chunks).toString("utf8");
  // Not at a line's start: the next answer follows the last byte of the body before it.
  const answers = () => text().match(/HTTP\/1\.1 \d{3}/g) ?? [];
  const until = async (done: () => boolean) => {
    for (const start = Date.now(); !done() && Date.now() - start < ms; )
      await new Promise((resolve) => setTimeout(resolve, 20));
  };
  await until(() => answers().length > 0 || closed);
  if (!closed) socket.write(next);
  await until(() => answers().length > 1 || closed);
  socket.destroy();
  return { answers: answers(), head: text().split("\r\n\r\n")[0] ?? "", body: text(), closed };
}

const request = (url: string, body: string, headers = "") =>
  `POST ${url} HTTP/1.1\r\nHost: x\r\nX-Requested-With: x\r\n${headers}Content-Type: ${multipartType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const healthz = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
// The probe's body: 5,000 fields where the form takes 20.
const manyFields = `${Array.from({ length: 5000 }, (_, i) => field(`x${i}`, "y")).join("")}--${boundary}--\r\n`;
const file = (name: string, content: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.vtt"\r\n\r\n${content}\r\n`;

describe("a multipart form refused at a limit (probe 2026-12-07, L1)", () => {
  it("closes the connection when the body was not read to its end, so no next request waits behind it", async () => {
    const upload = `/en/editor/items/${itemId}/transcript/upload`;
    const fields = await sameConnection(request(upload, manyFields, `Cookie: ${editor}\r\n`), healthz);
    expect(fields.answers).toEqual(["HTTP/1.1 413"]);
    expect(fields.head).toMatch(/^connection: close$/im);
    expect(fields.closed).toBe(true);
    // Two files, the second large enough to be left unread.
    const twoFiles = `${file("file", "WEBVTT\n")}${file("other", "x".repeat(1024 * 1024))}--${boundary}--\r\n`;
    const files = await sameConnection(request(upload, twoFiles, `Cookie: ${editor}\r\n`), healthz);
    expect(files.answers).toEqual(["HTTP/1.1 400"]);
    expect(files.head).toMatch(/^connection: close$/im);
    expect(files.closed).toBe(true);
    // Where nothing reads the body (the API refuses it unread), Node drains it and the
    // connection carries the next request.
    const api = await sameConnection(request(`/api/v1/items/${itemId}/transcript`, manyFields), healthz);
    expect(api.answers).toEqual(["HTTP/1.1 401", "HTTP/1.1 200"]);
  });

  it("says two small files are one too many, not too large, in the page's language", async () => {
    const twoFiles = `${file("file", "WEBVTT\n")}${file("other", "WEBVTT\n")}--${boundary}--\r\n`;
    for (const [lang, message] of [
      ["en", "One file is expected: choose a single file."],
      ["fr", "Un seul fichier est attendu : choisissez-en un."],
    ] as const) {
      const res = await post(`/${lang}/editor/items/${itemId}/transcript/upload`, twoFiles, {
        cookie: editor,
        accept: "application/json",
      });
      expect([lang, res.status, JSON.parse(res.text).error]).toEqual([
        lang,
        400,
        { code: "upload_one_file", message },
      ]);
    }
  });
});
