import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/accounts/password-hash.ts";
import { createEvent } from "../catalogue/fixtures.ts";
import { createAccount } from "../helpers/accounts.ts";
import {
  ApiClient,
  PageClient,
  registration,
  startTestApp,
  strongPassword,
  type TestApp,
} from "../helpers/app.ts";
import { codeFrom } from "../helpers/smtp.ts";

/** Issue 8, items 2, 3 and 4: cross-site requests and redirects, however the path is spelled. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function loggedIn(email: string, role: "media" | "editor"): Promise<ApiClient> {
  await createAccount(t.db, t.clock.now(), { email, role, passwordHash: await hashPassword(strongPassword) });
  const browser = new ApiClient(t.app);
  expect((await browser.post("/api/v1/auth/login", { email, password: strongPassword })).statusCode).toBe(
    200,
  );
  return browser;
}

/** What a page on another site can make the user's browser send: a form post with the cookies. */
function crossSite(c: ApiClient, method: "POST" | "PUT", url: string, type: string, payload: string) {
  return c.page.request({ method, url, payload, headers: { "content-type": type, accept: "text/html" } });
}

const forgedTypes = [
  ["text/plain", '{"a":1}'],
  ["application/x-www-form-urlencoded", "a=1"],
  [
    "multipart/form-data; boundary=x",
    '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
  ],
] as const;

describe("the API's CSRF rule, whatever the spelling of the path (item 2)", () => {
  it.each(forgedTypes)("refuses a %s subscription to the newsletter at /%%61pi/…", async (type, payload) => {
    const user = await loggedIn(`news-${type.length}@x.example`, "media");
    for (const url of ["/%61pi/v1/me/newsletter", "/api/v1/me/newsletter", "/api/v1/me/%6eewsletter"]) {
      const res = await crossSite(user, "PUT", url, type, payload);
      expect(res.statusCode).toBe(403);
    }
    expect((await user.get("/api/v1/me")).json().newsletter).toBe(false);
  });

  it("refuses an editor's item made by a cross-site form at /%61pi/v1/items", async () => {
    const editor = await loggedIn("editor2@x.example", "editor");
    const event = await createEvent(t.db, { slug: "csrf-event" });
    const before = await t.db.query("SELECT count(*)::int AS n FROM media_items");
    const res = await crossSite(
      editor,
      "POST",
      "/%61pi/v1/items",
      "text/plain",
      JSON.stringify({ event: event.slug, type: "video", title: { en: "Forged" } }),
    );
    expect(res.statusCode).toBe(403);
    expect(await t.db.query("SELECT count(*)::int AS n FROM media_items")).toEqual(before);
  });

  it("refuses accepting the download terms and logging out from another site", async () => {
    const user = await loggedIn("terms2@x.example", "media");
    const terms = await crossSite(user, "POST", "/%61pi/v1/me/download-terms", "text/plain", "");
    expect(terms.statusCode).toBe(403);
    const out = await crossSite(
      user,
      "POST",
      "/%61pi/v1/auth/logout",
      "application/x-www-form-urlencoded",
      "",
    );
    expect(out.statusCode).toBe(403);
    expect((await user.get("/api/v1/me")).statusCode).toBe(200);
    const accepted = await t.db.query<{ accepted: boolean }>(
      "SELECT download_terms_accepted_at IS NOT NULL AS accepted FROM users WHERE email = $1",
      ["terms2@x.example"],
    );
    expect(accepted[0]?.accepted).toBe(false);
  });

  it("refuses a page form posted without its token at an oddly spelled path", async () => {
    const user = await loggedIn("pageform@x.example", "media");
    for (const url of ["/%65n/account/newsletter", "/en/account/%6eewsletter", "/en//account/newsletter"]) {
      const res = await crossSite(user, "POST", url, "application/x-www-form-urlencoded", "subscribe=1");
      expect([403, 404]).toContain(res.statusCode);
    }
    expect((await user.get("/api/v1/me")).json().newsletter).toBe(false);
  });
});

describe("log-in CSRF through the API (item 3)", () => {
  it.each([
    ["login", "/api/v1/auth/login"],
    ["login, spelled otherwise", "/%61pi/v1/auth/login"],
  ])("refuses a cross-site form posting a log-in (%s), and sets no session", async (_name, url) => {
    await createAccount(t.db, t.clock.now(), {
      email: `victim-${url.length}@x.example`,
      role: "media",
      passwordHash: await hashPassword(strongPassword),
    });
    const browser = new PageClient(t.app);
    for (const [type, payload] of [
      [
        "application/x-www-form-urlencoded",
        `email=victim-${url.length}%40x.example&password=${encodeURIComponent(strongPassword)}`,
      ],
      ["text/plain", JSON.stringify({ email: `victim-${url.length}@x.example`, password: strongPassword })],
    ] as const) {
      const res = await browser.request({ method: "POST", url, payload, headers: { "content-type": type } });
      expect(res.statusCode).toBe(403);
      expect(res.cookies.find((c) => c.name === "pressroom_session")).toBeUndefined();
    }
  });

  it("refuses cross-site sign-up and verify forms, which would set the attacker's session", async () => {
    const email = "forged-signup@x.example";
    const browser = new PageClient(t.app);
    const form = new URLSearchParams({
      ...(registration(email) as unknown as Record<string, string>),
      acceptTerms: "true",
    });
    const register = await browser.request({
      method: "POST",
      url: "/api/v1/auth/register",
      payload: form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(register.statusCode).toBe(403);
    const verify = await browser.request({
      method: "POST",
      url: "/api/v1/auth/verify",
      payload: `email=${encodeURIComponent(email)}&code=123456&password=x`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(verify.statusCode).toBe(403);
    expect(browser.cookies.size).toBe(0);
  });
});

describe("return-to after normalisation (item 4)", () => {
  const evil = ["/.//evil.example", "/en/..//evil.example", "/%2e//evil.example", "/x/%2e%2e//evil.example"];

  it.each(evil)("logs in and stays on this site for returnTo=%s", async (returnTo) => {
    const email = `redirect-${evil.indexOf(returnTo)}@x.example`;
    await createAccount(t.db, t.clock.now(), {
      email,
      role: "media",
      passwordHash: await hashPassword(strongPassword),
    });
    const browser = new PageClient(t.app);
    await browser.get(`/en/login?returnTo=${encodeURIComponent(returnTo)}`);
    const res = await browser.submit("/en/login", { email, password: strongPassword, returnTo });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toMatch(/^\/(?!\/)/);
    expect(String(res.headers.location)).not.toContain("evil.example");
  });

  it("never renders a link off the site on the welcome and reset-done pages", async () => {
    for (const returnTo of evil) {
      const email = `welcome-${evil.indexOf(returnTo)}@x.example`;
      const browser = new PageClient(t.app);
      await browser.get("/en/register");
      await browser.submit("/en/register", {
        ...(registration(email) as unknown as Record<string, string>),
        acceptTerms: "on",
        returnTo,
      });
      const verified = await browser.submit("/en/verify", {
        email,
        code: codeFrom(await t.smtp.waitForMail(email)),
        returnTo,
      });
      const welcome = await browser.follow(verified);
      expect(welcome.statusCode).toBe(200);
      expect(welcome.body).not.toMatch(/href="\/\//);
      expect(welcome.body).not.toContain("evil.example");

      await browser.submit("/en/logout", {});
      await browser.get("/en/password-reset");
      await browser.submit("/en/password-reset", { email, returnTo });
      const code = codeFrom(await t.smtp.waitForMail(email, 1));
      await browser.submit("/en/password-reset/code", { email, code, returnTo });
      const done = await browser.submit("/en/password-reset/new", {
        email,
        code,
        returnTo,
        password: "Brand-New-Pass-1!",
      });
      expect(done.statusCode).toBe(200);
      expect(done.body).not.toMatch(/href="\/\//);
      expect(done.body).not.toContain("evil.example");
    }
  });
});

describe("canonical addresses: a trailing slash is redirected, never off the site (issue 10)", () => {
  /** A real request, so the path goes out exactly as written (inject would resolve `//host/`). */
  function rawGet(path: string): Promise<{ status: number; location: string | undefined }> {
    const { port } = t.app.server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port, path, headers: { accept: "text/html" } }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
        })
        .on("error", reject);
    });
  }

  it("sends /fr/, pages, queries and API paths to the address without the slash, with a 301", async () => {
    const cases = [
      ["/fr/", "/fr"],
      ["/en/", "/en"],
      ["/en/search/?q=x", "/en/search?q=x"],
      ["/en/events/some-event//", "/en/events/some-event"],
      ["/api/v1/events/?page=2", "/api/v1/events?page=2"],
    ];
    for (const [from, to] of cases) {
      const res = await t.app.inject({ url: from });
      expect([from, res.statusCode, res.headers.location]).toEqual([from, 301, to]);
    }
    expect((await t.app.inject({ method: "HEAD", url: "/fr/" })).headers.location).toBe("/fr");
    expect((await t.app.inject({ url: "/" })).statusCode).toBe(302);
    // A post is not turned into a GET elsewhere: it stays what it was, a 404.
    const posted = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login/",
      payload: { email: "x@x.example", password: "x" },
    });
    expect(posted.statusCode).toBe(404);
  });

  it("never redirects to another host, however the path is spelled", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    // Each of these would be another host once its slash is gone: no redirect, the 404 it was.
    const hostile = [
      "//evil.example/",
      "///evil.example/",
      "/\\evil.example/",
      "/%5Cevil.example/",
      "/.//evil.example/",
      "/en/..//evil.example/",
      "/%2e//evil.example/?q=1",
    ];
    for (const path of hostile) {
      expect([path, await rawGet(path)]).toEqual([path, { status: 404, location: undefined }]);
    }
    // Encoded slashes are a path on this site: the redirect keeps them encoded.
    expect(await rawGet("/%2F%2Fevil.example/")).toEqual({ status: 301, location: "/%2F%2Fevil.example" });
  });
});
