import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/accounts/password-hash.ts";
import { createEvent } from "../catalogue/fixtures.ts";
import { createAccount } from "../helpers/accounts.ts";
import {
  ApiClient,
  otherStrongPassword,
  PageClient,
  startTestApp,
  strongPassword,
  type TestApp,
  textOf,
} from "../helpers/app.ts";
import { codeFrom } from "../helpers/smtp.ts";

/** Issue 8, item 6: API tokens belong to the API, have a scope, and end with the password. */
let t: TestApp;
let eventSlug: string;
beforeAll(async () => {
  t = await startTestApp();
  eventSlug = (await createEvent(t.db, { slug: "token-event" })).slug;
});
afterAll(() => t.close());

async function account(email: string, role: "media" | "editor"): Promise<PageClient> {
  await createAccount(t.db, t.clock.now(), { email, role, passwordHash: await hashPassword(strongPassword) });
  const browser = new PageClient(t.app);
  await browser.get("/en/login");
  expect((await browser.submit("/en/login", { email, password: strongPassword })).statusCode).toBe(303);
  return browser;
}

async function makeToken(browser: PageClient, name: string, scope: string): Promise<string> {
  await browser.get("/en/account");
  const res = await browser.submit("/en/account/tokens", { tokenName: name, scope });
  expect(res.statusCode).toBe(201);
  const token = /<code class="token">(prt_[\w-]+)<\/code>/.exec(res.body)?.[1];
  if (!token) throw new Error("no token on the page");
  return token;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const newItem = (token: string) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/items",
    headers: bearer(token),
    payload: { event: eventSlug, type: "video", title: { en: "Made with a token" } },
  });

describe("API tokens (item 6)", () => {
  it("opens no page and no form: the account page, the token form and the editor's forms refuse a token", async () => {
    const editor = await account("editor6@x.example", "editor");
    const token = await makeToken(editor, "CMS", "editor");

    const accountPage = await t.app.inject({
      url: "/en/account",
      headers: { ...bearer(token), accept: "text/html" },
    });
    expect(accountPage.statusCode).toBe(303);
    expect(String(accountPage.headers.location)).toMatch(/^\/en\/login/);

    const moreTokens = await t.app.inject({
      method: "POST",
      url: "/en/account/tokens",
      headers: { ...bearer(token), "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      payload: "tokenName=more&scope=editor",
    });
    expect([303, 403]).toContain(moreTokens.statusCode);
    const workspaceForm = await t.app.inject({
      method: "POST",
      url: "/en/editor/events",
      headers: { ...bearer(token), "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      payload: "slug=by-token&title_en=By+token",
    });
    expect([303, 401, 403]).toContain(workspaceForm.statusCode);
    const tokens = await t.db.query("SELECT id FROM api_tokens");
    expect(tokens).toHaveLength(1);
    const events = await t.db.query("SELECT id FROM events WHERE slug = 'by-token'");
    expect(events).toHaveLength(0);
  });

  it("acts with its scope: a read token of an editor cannot create, an editor token can", async () => {
    const editor = await account("editor6b@x.example", "editor");
    const read = await makeToken(editor, "Reader", "read");
    const write = await makeToken(editor, "Importer", "editor");
    expect((await newItem(read)).statusCode).toBe(403);
    expect((await newItem(write)).statusCode).toBe(201);
    const me = await t.app.inject({ url: "/api/v1/me", headers: bearer(read) });
    expect(me.statusCode).toBe(200);
  });

  it("offers the editor scope to editors only", async () => {
    const media = await account("media6@x.example", "media");
    const page = await media.get("/en/account");
    expect(page.body).not.toContain('value="editor"');
    await media.get("/en/account");
    const res = await media.submit("/en/account/tokens", { tokenName: "Sneaky", scope: "editor" });
    expect(res.statusCode).toBe(400);
  });

  it("lists each token with its scope and last use on the account page", async () => {
    const editor = await account("editor6c@x.example", "editor");
    const token = await makeToken(editor, "Archive importer", "editor");
    t.clock.advance(60_000);
    await t.app.inject({ url: "/api/v1/me", headers: bearer(token) });
    const text = textOf((await editor.get("/en/account")).body);
    expect(text).toMatch(/Archive importer Editor: create and publish through the API .+ UTC .+ UTC/);
  });

  it("refuses a name too long at the field, keeping it, and says a revoked token is revoked", async () => {
    const media = await account("media6n@x.example", "media");
    await media.get("/fr/account");
    const long = "Outil ".repeat(20);
    const refused = await media.submit("/fr/account/tokens", { tokenName: long, scope: "read" });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain("Le nom d’un jeton a 100 caractères au plus.");
    expect(refused.body).toContain('aria-invalid="true"');
    expect(refused.body).toContain(`value="${long}"`);
    expect(await t.db.query("SELECT id FROM api_tokens WHERE name LIKE 'Outil%'")).toHaveLength(0);

    await makeToken(media, "Wire", "read");
    const [row] = await t.db.query<{ id: number }>("SELECT id FROM api_tokens WHERE name = 'Wire'");
    const page = await media.get("/fr/account");
    expect(page.statusCode).toBe(200);
    const revoked = await media.submit(`/fr/account/tokens/${row!.id}/revoke`, {});
    expect(revoked.statusCode).toBe(303);
    expect(textOf((await media.follow(revoked)).body)).toContain(
      "Le jeton a été révoqué : il n’ouvre plus rien.",
    );
  });

  it("says no token was found when asked to revoke another account's token (or an unknown one), in the page's language, and revokes nothing", async () => {
    const owner = await account("owner6l@x.example", "media");
    const theirs = await makeToken(owner, "Theirs", "read");
    const [row] = await t.db.query<{ id: number }>("SELECT id FROM api_tokens WHERE name = 'Theirs'");
    const other = await account("other6l@x.example", "media");
    await other.get("/fr/account");
    const refused = await other.submit(`/fr/account/tokens/${row!.id}/revoke`, {});
    expect(refused.statusCode).toBe(404);
    const text = textOf(refused.body);
    expect(text).toContain("Ce jeton est introuvable dans votre compte : il a peut-être déjà été révoqué.");
    expect(text).not.toContain("révoqué : il n’ouvre plus rien");
    expect((await t.app.inject({ url: "/api/v1/me", headers: bearer(theirs) })).statusCode).toBe(200);

    for (const id of ["2147483000", "abc"]) {
      await other.get("/en/account");
      const unknown = await other.submit(`/en/account/tokens/${id}/revoke`, {});
      expect(unknown.statusCode, id).toBe(404);
      expect(textOf(unknown.body), id).toContain(
        "No such token was found in your account: it may have been revoked already.",
      );
    }
    // Revoked twice: the second time, there is no such token any more.
    await makeToken(other, "Mine", "read");
    const [mine] = await t.db.query<{ id: number }>("SELECT id FROM api_tokens WHERE name = 'Mine'");
    await other.get("/en/account");
    expect((await other.submit(`/en/account/tokens/${mine!.id}/revoke`, {})).statusCode).toBe(303);
    await other.get("/en/account");
    expect((await other.submit(`/en/account/tokens/${mine!.id}/revoke`, {})).statusCode).toBe(404);
  });

  it("are all revoked by a password reset", async () => {
    const email = "reset6@x.example";
    const browser = await account(email, "editor");
    const token = await makeToken(browser, "Old tool", "editor");
    const resetter = new ApiClient(t.app);
    await resetter.post("/api/v1/auth/password-reset", { email });
    const code = codeFrom(await t.smtp.waitForMail(email));
    await resetter.post("/api/v1/auth/password-reset/confirm", {
      email,
      code,
      password: otherStrongPassword,
    });
    const refused = await t.app.inject({ url: "/api/v1/me", headers: bearer(token) });
    expect(refused.statusCode).toBe(401);
    // Said as a token's fault, not as "log in first", and the same on what needs no token: a tool
    // must not take a revoked token's answers for its own.
    expect(refused.json().error.code).toBe("invalid_token");
    expect(refused.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
    const open = await t.app.inject({
      url: "/api/v1/search?q=summit",
      headers: { ...bearer("prt_mistyped_mistyped_mistyped"), "accept-language": "fr" },
    });
    expect(open.statusCode).toBe(401);
    expect(open.json().error.message).toMatch(/^Ce jeton d’API n’est pas valide/);
    const none = await t.app.inject({ url: "/api/v1/me" });
    expect([none.statusCode, none.headers["www-authenticate"]]).toEqual([401, "Bearer"]);
  });

  it("are revoked by a password change when the user leaves the box ticked, and kept when not", async () => {
    const browser = await account("change6@x.example", "editor");
    const kept = await makeToken(browser, "Kept", "read");
    await browser.get("/en/account");
    await browser.submit("/en/account/password", {
      currentPassword: strongPassword,
      newPassword: otherStrongPassword,
    });
    expect((await t.app.inject({ url: "/api/v1/me", headers: bearer(kept) })).statusCode).toBe(200);

    const revoked = await makeToken(browser, "Revoked", "read");
    await browser.get("/en/account");
    await browser.submit("/en/account/password", {
      currentPassword: otherStrongPassword,
      newPassword: strongPassword,
      revokeTokens: "on",
    });
    expect((await t.app.inject({ url: "/api/v1/me", headers: bearer(revoked) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: "/api/v1/me", headers: bearer(kept) })).statusCode).toBe(401);
  });
});
