import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../src/accounts/api-tokens.ts";
import { findUserById } from "../../src/accounts/store.ts";
import { createEvent, createItem, sessionCookie } from "../catalogue/fixtures.ts";
import { createAccount } from "../helpers/accounts.ts";
import { startTestApp, type TestApp, textOf } from "../helpers/app.ts";

/**
 * Issue 10: what every anonymous visitor sees alike may be kept by a cache in front of the portal
 * (and revalidated with a 304); what a session or a token sees never is. The numbers come from
 * HTTP_CACHE_MAX_AGE and HTTP_CACHE_STALE_SECONDS.
 */
const SHARED = "public, max-age=60, stale-while-revalidate=600";

let t: TestApp;
let itemId: number;
let eventSlug: string;
let member: string;
beforeAll(async () => {
  t = await startTestApp({ HTTP_CACHE_MAX_AGE: "60", HTTP_CACHE_STALE_SECONDS: "600" });
  const event = await createEvent(t.db, { title: { en: "Cached summit" } });
  eventSlug = event.slug;
  itemId = await createItem(t.db, { eventId: event.id, title: { en: "Cached statement" } });
  member = await sessionCookie(t, "media");
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ url, headers: { accept: "text/html", ...headers } });

describe("HTTP caching of the catalogue (issue 10)", () => {
  it("lets a shared cache keep anonymous catalogue pages, with an ETag that answers 304", async () => {
    for (const url of [
      "/en",
      "/fr",
      `/en/events/${eventSlug}`,
      `/en/items/${itemId}`,
      "/en/search?q=statement",
    ]) {
      const res = await get(url);
      expect([url, res.statusCode, res.headers["cache-control"]]).toEqual([url, 200, SHARED]);
      expect(res.headers["set-cookie"]).toBeUndefined();
      expect(String(res.headers.vary)).toMatch(/\bCookie\b/);
      expect(res.headers.etag).toMatch(/^W\/".+"$/);
    }
    const first = await get("/en");
    expect(textOf(first.body)).toContain("Cached statement");
    const again = await get("/en", { "if-none-match": String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers["cache-control"]).toBe(SHARED);
    const head = await t.app.inject({ method: "HEAD", url: "/en" });
    expect([head.headers["cache-control"], head.headers.etag]).toEqual([SHARED, first.headers.etag]);
  });

  it("keeps what a logged-in person sees private, and never answers them with the anonymous copy", async () => {
    const anonymous = await get("/en");
    const res = await get("/en", { cookie: member, "if-none-match": String(anonymous.headers.etag) });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("private, no-store");
    expect(textOf(res.body)).toContain("Log out");
    // A session cookie that no longer opens a session is not the anonymous visitor either.
    const stale = await get("/en", { cookie: "pressroom_session=ended" });
    expect(stale.headers["cache-control"]).toBe("private, no-store");
  });

  it("never lets a shared cache keep an account page or a page that sets a cookie", async () => {
    const account = await get("/en/account", { cookie: member });
    expect(account.statusCode).toBe(200);
    expect(account.headers["cache-control"]).toBe("private, no-store");
    const login = await get("/en/login");
    expect(login.headers["set-cookie"]).toBeDefined();
    expect(login.headers["cache-control"]).toBe("private, no-store");
  });

  it("makes the catalogue JSON public without a token and private with one", async () => {
    const anonymous = await t.app.inject({ url: `/api/v1/items/${itemId}` });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.headers["cache-control"]).toBe(SHARED);
    expect(String(anonymous.headers.vary)).toMatch(/Cookie.*Authorization.*Accept-Language/);
    const repeat = await t.app.inject({
      url: `/api/v1/items/${itemId}`,
      headers: { "if-none-match": String(anonymous.headers.etag) },
    });
    expect(repeat.statusCode).toBe(304);
    for (const url of [
      "/api/v1/events",
      `/api/v1/events/${eventSlug}`,
      "/api/v1/search?q=statement",
      `/api/v1/items/${itemId}/transcript/search?q=statement`,
      "/api/v1/suggest?q=stat",
    ]) {
      expect((await t.app.inject({ url })).headers["cache-control"]).toBe(SHARED);
    }

    const id = await createAccount(t.db, t.clock.now(), { email: "cms@x.example", role: "media" });
    const user = await findUserById(t.db, id);
    if (!user) throw new Error("no account");
    const token = await createApiToken(t.deps, user, "CMS", "read");
    const withToken = await t.app.inject({
      url: `/api/v1/items/${itemId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withToken.statusCode).toBe(200);
    expect(withToken.headers["cache-control"]).toBe("private, no-store");
  });
});
