import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEvent, createItem, publishedEventWithVideo, sessionCookie } from "../catalogue/fixtures.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { type Route, routeTable } from "../helpers/routes.ts";

/**
 * Issue 8, item 8: a client's mistake is never a server error and never shows internal text.
 * Every route in the route table (pages, API, media, uploads) gets each class of bad input the
 * probe used, as an anonymous visitor, a media user and an editor.
 */
let t: TestApp;
let routes: Route[];
let cookies: { media: string; editor: string };
let csrf: { token: string; cookie: string };

beforeAll(async () => {
  t = await startTestApp();
  await publishedEventWithVideo(t.deps, { slug: "bad-input" });
  await createEvent(t.db, { slug: "other-event" });
  // A valid form token, so that form posts reach their handlers with the bad values.
  const page = await t.app.inject({ url: "/en/login", headers: { accept: "text/html" } });
  csrf = {
    token: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "",
    cookie: `_csrf=${page.cookies.find((c) => c.name === "_csrf")?.value ?? ""}`,
  };
  routes = routeTable(t.app);
});
// Fresh sessions for each test: the walk posts to the log-out routes too.
beforeEach(async () => {
  cookies = { media: await sessionCookie(t, "media"), editor: await sessionCookie(t, "editor") };
});
afterAll(() => t.close());

// What must never reach a client: a database's or runtime's own words, a stack trace.
const internal =
  /PostgreSQL|pglite|syntax error|violates|out of range for type|invalid input syntax|node_modules|\.ts:\d+|TypeError|ReferenceError|RangeError|\bat [\w.]+ \(|ECONN|ENOENT|EACCES/i;

const badIds = ["2147483648", "9999999999", "99999999999999999999", "-1", "0", "abc", "1e3", "%00", "1%00"];
const badText = "%00";
const repeated = "q=a&q=b&speaker=a&speaker=b&email=a&email=b&page=1&page=2&format=mp4&format=mxf&in=1&in=2";
const nul = "\u0000";

/** The route's pattern with each parameter replaced by `value`. */
function fill(url: string, value: string): string {
  return url.replace(/:[A-Za-z]+/g, value).replace(/\*$/, `${value}/x`);
}

function check(response: LightMyRequestResponse, what: string): void {
  expect(response.statusCode, `${what} → ${response.statusCode} ${response.body.slice(0, 200)}`).toBeLessThan(
    500,
  );
  // The form token is random base64url: it once spelled "ecONNc", which the pattern read as ECONN.
  const body = response.body.replace(/(name="_csrf" value|data-csrf)="[^"]*"/g, "$1");
  expect(body, what).not.toMatch(internal);
}

async function send(
  options: InjectOptions,
  who: keyof typeof cookies | "anonymous",
): Promise<LightMyRequestResponse> {
  const session = who === "anonymous" ? "" : `${cookies[who]}; `;
  return t.app.inject({
    ...options,
    headers: {
      accept: "text/html,application/json",
      "x-requested-with": "test",
      cookie: `${session}${csrf.cookie}`,
      ...(options.headers ?? {}),
    },
  });
}

const whom = ["anonymous", "media", "editor"] as const;

describe("every route, with every class of bad input the probe used", () => {
  it("finds pages, API, media and upload routes in the route table", () => {
    const urls = routes.map((r) => r.url);
    for (const expected of [
      "/en/items/:id",
      "/api/v1/items/:id",
      "/media/items/:id/*",
      "/api/v1/uploads/:id",
    ]) {
      expect(urls).toContain(expected);
    }
    expect(routes.length).toBeGreaterThan(60);
  });

  it("answers ids beyond the integer range, negative, not numbers or with NUL without a server error", async () => {
    for (const route of routes.filter((r) => r.url.includes(":") || r.url.endsWith("*"))) {
      for (const id of badIds) {
        const url = fill(route.url, id);
        for (const who of whom) {
          check(
            await send({ method: route.method as "GET", url, ...bodyFor(route) }, who),
            `${who} ${route.method} ${url}`,
          );
        }
      }
    }
  });

  it("answers repeated query parameters and NUL in the query without a server error", async () => {
    for (const route of routes) {
      const url = fill(route.url, "1");
      for (const query of [
        repeated,
        `q=${badText}&email=${badText}&speaker=${badText}`,
        `returnTo=${badText}`,
      ]) {
        for (const who of whom) {
          const res = await send(
            { method: route.method as "GET", url: `${url}?${query}`, ...bodyFor(route) },
            who,
          );
          check(res, `${who} ${route.method} ${url}?${query}`);
        }
      }
    }
  });

  it("answers bodies with NUL characters, repeated fields, broken JSON and huge JSON without a server error", async () => {
    const changing = routes.filter((r) => r.method !== "GET" && r.method !== "OPTIONS");
    expect(changing.length).toBeGreaterThan(20);
    const fields = [
      "email",
      "password",
      "name",
      "title",
      "title_en",
      "title_fr",
      "q",
      "text",
      "code",
      "event",
      "slug",
    ];
    const nulJson = Object.fromEntries(fields.map((f) => [f, `a${nul}b`]));
    const form = [...fields.map((f) => `${f}=a%00b&${f}=c`), `_csrf=${encodeURIComponent(csrf.token)}`].join(
      "&",
    );
    const huge = JSON.stringify({ text: "x".repeat(1_200_000) });
    for (const route of changing) {
      const url = fill(route.url, "1");
      for (const who of whom) {
        const bodies: InjectOptions[] = [
          { payload: nulJson },
          { payload: { event: 9_999_999_999, itemId: 99_999_999_999, id: -1, title: { en: nul } } },
          { payload: form, headers: { "content-type": "application/x-www-form-urlencoded" } },
          { payload: "{not json", headers: { "content-type": "application/json" } },
          { payload: huge, headers: { "content-type": "application/json" } },
        ];
        for (const body of bodies) {
          const res = await send({ method: route.method as "POST", url, ...body }, who);
          check(res, `${who} ${route.method} ${url} ${String(body.headers?.["content-type"] ?? "json")}`);
        }
      }
    }
  });

  it("answers broken multipart bodies (no boundary, truncated, too many files or fields) with a 4xx", async () => {
    const forms = routes.filter((r) => r.method === "POST" && !r.url.startsWith("/api/"));
    const boundary = "----x";
    const part = (name: string, file = false) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${name}.vtt"` : ""}\r\n\r\nWEBVTT\r\n`;
    const token = part("_csrf").replace("WEBVTT", csrf.token);
    const bodies = [
      { type: "multipart/form-data", payload: `${token}--${boundary}--\r\n` },
      {
        type: `multipart/form-data; boundary=${boundary}`,
        payload: `${token}${part("file", true).slice(0, 60)}`,
      },
      {
        type: `multipart/form-data; boundary=${boundary}`,
        payload: `${token}${[1, 2, 3].map((i) => part(`file${i}`, true)).join("")}--${boundary}--\r\n`,
      },
      {
        type: `multipart/form-data; boundary=${boundary}`,
        payload: `${token}${Array.from({ length: 40 }, (_, i) => part(`f${i}`)).join("")}--${boundary}--\r\n`,
      },
    ];
    for (const route of forms) {
      for (const body of bodies) {
        const res = await send(
          {
            method: "POST",
            url: fill(route.url, "1"),
            payload: body.payload,
            headers: { "content-type": body.type },
          },
          "editor",
        );
        check(res, `POST ${route.url} ${body.type}`);
      }
    }
  });

  it("says once per field what the schema allows, in the client's language", async () => {
    const fr = { "accept-language": "fr", accept: "application/json" };
    const search = await send(
      { url: "/api/v1/search?q=patrols&language=de&sort=zzz&page=0", headers: fr },
      "anonymous",
    );
    expect(search.statusCode).toBe(400);
    expect(search.json().error.fields).toEqual({
      language: ["Choisissez parmi : en, fr."],
      sort: ["Choisissez parmi : relevance, date."],
      page: ["1 au moins."],
    });
    const item = await send(
      { url: "/api/v1/items/1?format=ninjs&lang=xx", headers: { accept: "application/json" } },
      "anonymous",
    );
    expect(item.json().error.fields).toEqual({ lang: ["Choose one of: en, fr."] });
    // The walks above delete what they can: an item of its own.
    const id = await createItem(t.db, { title: { en: "Embargoed briefing" } });
    const embargo = await send(
      {
        method: "PATCH",
        url: `/api/v1/items/${id}`,
        payload: { embargoUntil: "tomorrow" },
        headers: { "content-type": "application/json" },
      },
      "editor",
    );
    expect(embargo.statusCode).toBe(400);
    expect(embargo.json().error.fields.embargoUntil).toEqual([
      "Write a date and time with its offset from UTC, like 2027-01-15T10:00:00Z or 2027-01-15T11:00:00+01:00.",
    ]);
  });

  it("answers the addresses the probe named with 4xx", async () => {
    const cases: [string, keyof typeof cookies | "anonymous", InjectOptions][] = [
      ["/en/events/%00", "anonymous", { url: "/en/events/%00" }],
      ["/api/v1/items/2147483648", "media", { url: "/api/v1/items/2147483648" }],
      ["download", "media", { url: "/api/v1/items/2147483648/download?format=mp4" }],
      ["subtitles", "media", { url: "/api/v1/items/2147483648/subtitles" }],
      ["/en/items/2147483648", "anonymous", { url: "/en/items/2147483648" }],
      ["poster", "anonymous", { url: "/media/items/9999999999/poster.jpg" }],
      [
        "revoke",
        "media",
        {
          method: "POST",
          url: "/en/account/tokens/abc/revoke",
          payload: `_csrf=${encodeURIComponent(csrf.token)}`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        },
      ],
      [
        "JSON too large",
        "anonymous",
        {
          method: "POST",
          url: "/api/v1/auth/login",
          payload: JSON.stringify({ email: "x".repeat(2_000_000) }),
          headers: { "content-type": "application/json" },
        },
      ],
      ["static traversal", "anonymous", { url: "/static/../package.json" }],
      ["static traversal, encoded", "anonymous", { url: "/static/%2e%2e/package.json" }],
      ["static traversal, double", "anonymous", { url: "/static/%252e%252e/package.json" }],
      ["static traversal, backslash", "anonymous", { url: "/static/..%5cpackage.json" }],
      [
        "tus item beyond range",
        "editor",
        {
          method: "POST",
          url: "/api/v1/uploads",
          headers: {
            "tus-resumable": "1.0.0",
            "upload-length": "10",
            "upload-metadata": `filename ${Buffer.from("a.mp4").toString("base64")},itemId ${Buffer.from("99999999999").toString("base64")}`,
          },
        },
      ],
    ];
    for (const [name, who, options] of cases) {
      const res = await send(options, who);
      check(res, name);
      expect(res.statusCode, name).toBeGreaterThanOrEqual(400);
      expect(res.body, name).not.toContain("devDependencies");
    }
    // Repeated parameters are not an error: the first value counts, as the forms send it.
    for (const url of [
      "/en/search?q=a&q=b",
      "/api/v1/search?speaker=a&speaker=b",
      "/en/password-reset?email=a&email=b",
    ]) {
      const res = await send({ url }, "anonymous");
      check(res, url);
      expect(res.statusCode, url).toBe(200);
    }
    const large = await send(cases.find(([n]) => n === "JSON too large")![2], "anonymous");
    expect(large.statusCode).toBe(413);
  });
});

describe("what Node refuses before the app sees the request", () => {
  /** Raw bytes to the listening portal; the whole answer, as the connection closes. */
  async function raw(bytes: string): Promise<{ status: number; headers: string; body: string }> {
    const address = t.app.server.address() as AddressInfo;
    const socket = connect(address.port, "127.0.0.1");
    socket.write(bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const [head = "", body = ""] = text.split("\r\n\r\n");
    return { status: Number(head.split(" ")[1]), headers: head, body };
  }
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
  });

  it("answers a 20 KB address in the API's error shape or as a page, in the asker's language", async () => {
    const words = Array.from({ length: 3000 }, () => "patrols").join("+");
    // The headers after a 20 KB address are never read: English, the API's shape.
    const api = await raw(`GET /api/v1/search?q=${words} HTTP/1.1\r\nHost: x\r\nAccept-Language: fr\r\n\r\n`);
    expect(api.status).toBe(431);
    expect(JSON.parse(api.body)).toEqual({
      error: {
        code: "request_header_too_large",
        message:
          "The address or the headers of the request are too long: together they may not exceed 16 KB. Search with fewer words.",
      },
    });
    // Headers read before the one too long name the language.
    const cookie = await raw(
      `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAccept-Language: fr\r\nCookie: a=${"b".repeat(20_000)}\r\n\r\n`,
    );
    expect(cookie.status).toBe(431);
    expect(JSON.parse(cookie.body).error.message).toBe(
      "L’adresse ou les en-têtes de la requête sont trop longs\u00a0: ensemble, ils ne peuvent dépasser 16\u00a0Ko. Cherchez avec moins de mots.",
    );
    const page = await raw(`GET /en/search?q=${words} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(page.status).toBe(431);
    expect(page.headers).toMatch(/content-type: text\/html; charset=utf-8/i);
    expect(page.body).toContain("<h1>The address or the headers of the request are too long");
    const notHttp = await raw("HELLO\r\n\r\n");
    expect(notHttp.status).toBe(400);
    expect(JSON.parse(notHttp.body).error.code).toBe("bad_request");
  });
});

/** A body for routes that change something, so they get past "no body" to their own checks. */
function bodyFor(route: Route): Partial<InjectOptions> {
  if (route.method === "GET" || route.method === "OPTIONS") return {};
  return { payload: { email: "a@b.example", title: "x" } };
}
