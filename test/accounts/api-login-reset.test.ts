import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  otherStrongPassword,
  registration,
  signUpOverApi,
  startTestApp,
  strongPassword,
  type TestApp,
} from "../helpers/app.ts";
import { codeFrom, rawHeader } from "../helpers/smtp.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_LOGIN_FAILURES: "4" });
});
afterAll(() => t.close());

const post = (url: string, payload?: object, cookie?: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: "POST",
    url,
    ...(payload ? { payload } : {}),
    headers: { ...(cookie ? { cookie: `pressroom_session=${cookie}` } : {}), ...headers },
  });

async function verifiedUser(email: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const browser = new ApiClient(t.app);
  await signUpOverApi(t, browser, email, overrides);
  return browser.session!;
}

const me = (cookie: string) =>
  t.app.inject({ url: "/api/v1/me", headers: { cookie: `pressroom_session=${cookie}` } });

describe("log-in and log-out (API)", () => {
  it("logs in with the right password and out again; the cookie then opens nothing", async () => {
    await verifiedUser("login@x.example");
    const res = await post("/api/v1/auth/login", { email: " LOGIN@x.example ", password: strongPassword });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === "pressroom_session")!.value;
    expect((await me(cookie)).statusCode).toBe(200);

    const out = await post("/api/v1/auth/logout", undefined, cookie, { "x-requested-with": "fetch" });
    expect(out.statusCode).toBe(204);
    const after = await me(cookie);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe("not_authenticated");
  });

  it("gives the same answer for a wrong password and an unknown address", async () => {
    await verifiedUser("same@x.example");
    const wrong = await post("/api/v1/auth/login", { email: "same@x.example", password: "Wrong-password-1" });
    const unknown = await post("/api/v1/auth/login", {
      email: "nobody@x.example",
      password: "Wrong-password-1",
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it("stops a client that keeps failing, even with the right password, until the window passes; the owner elsewhere still logs in", async () => {
    await verifiedUser("locked@x.example");
    const attacker = new ApiClient(t.app, "203.0.113.7");
    for (let i = 0; i < 4; i++)
      await attacker.post("/api/v1/auth/login", { email: "locked@x.example", password: "Wrong-password-1" });
    const blocked = await attacker.post(
      "/api/v1/auth/login",
      { email: "locked@x.example", password: strongPassword },
      { "accept-language": "fr" },
    );
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.message).toMatch(/Trop de tentatives/);
    // Near the end of the window (15 minutes, fixed), one minute to wait is said as one.
    const now = t.clock.now().getTime();
    const windowEnd = (Math.floor(now / (15 * 60_000)) + 1) * 15 * 60_000;
    if (windowEnd - now > 60_000) t.clock.advance(windowEnd - now - 30_000);
    const lastMinute = await attacker.post(
      "/api/v1/auth/login",
      { email: "locked@x.example", password: strongPassword },
      { "accept-language": "fr" },
    );
    expect(lastMinute.json().error.message).toBe("Trop de tentatives. Réessayez dans 1 minute.");
    const owner = new ApiClient(t.app, "198.51.100.20");
    expect(
      (await owner.post("/api/v1/auth/login", { email: "locked@x.example", password: strongPassword }))
        .statusCode,
    ).toBe(200);
    t.clock.advance(15 * 60_000);
    expect(
      (await attacker.post("/api/v1/auth/login", { email: "locked@x.example", password: strongPassword }))
        .statusCode,
    ).toBe(200);
  });

  it("continues an unverified sign-up on the client that knows its password, with a fresh code", async () => {
    const email = "unverified@x.example";
    await new ApiClient(t.app).post("/api/v1/auth/register", registration(email));
    await t.smtp.waitForMail(email);
    t.clock.advance(61_000);
    const elsewhere = new ApiClient(t.app, "198.51.100.30");
    const res = await elsewhere.post("/api/v1/auth/login", { email, password: strongPassword });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe("email_not_verified");
    const code = codeFrom(await t.smtp.waitForMail(email, 1));
    expect((await elsewhere.post("/api/v1/auth/verify", { email, code })).statusCode).toBe(200);
  });

  it("refuses a cookie-authenticated API change without a JSON body or X-Requested-With (CSRF)", async () => {
    const cookie = await verifiedUser("csrf@x.example");
    const forged = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { cookie: `pressroom_session=${cookie}`, "content-type": "application/x-www-form-urlencoded" },
      payload: "a=1",
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe("csrf_failed");
    expect((await me(cookie)).statusCode).toBe(200);
  });
});

describe("password reset (API)", () => {
  it("answers the same for any address, e-mails a code only to an account, and the code sets a new password", async () => {
    const email = "reset@x.example";
    const oldSession = await verifiedUser(email, { language: "fr" });

    const browser = new ApiClient(t.app);
    const known = await browser.post("/api/v1/auth/password-reset", { email });
    const unknown = await new ApiClient(t.app).post("/api/v1/auth/password-reset", {
      email: "ghost@x.example",
    });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    const { reset: knownToken, ...knownAnswer } = known.json();
    const { reset: unknownToken, ...unknownAnswer } = unknown.json();
    expect(knownAnswer).toEqual(unknownAnswer);
    expect(String(knownToken)).toHaveLength(String(unknownToken).length);

    const mail = await t.smtp.waitForMail(email, 1);
    expect(mail.parsed.subject).toMatch(/réinitialisation/);
    const weak = await browser.post("/api/v1/auth/password-reset/confirm", {
      email,
      code: codeFrom(mail),
      password: "weakpassword",
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe("password_too_weak");

    const done = await browser.post(
      "/api/v1/auth/password-reset/confirm",
      { email, code: codeFrom(mail), password: otherStrongPassword },
      { "accept-language": "fr" },
    );
    expect(done.statusCode).toBe(200);
    expect(done.json().message).toBe("Votre mot de passe a été mis à jour");

    // Every session of the account ended; the old password no longer works; the new one does.
    expect((await me(oldSession)).statusCode).toBe(401);
    expect((await post("/api/v1/auth/login", { email, password: strongPassword })).statusCode).toBe(401);
    expect((await post("/api/v1/auth/login", { email, password: otherStrongPassword })).statusCode).toBe(200);
    // The code is used up, with the reset it belonged to.
    const reuse = await post("/api/v1/auth/password-reset/confirm", {
      email,
      code: codeFrom(mail),
      password: "Third-Password-33",
      reset: knownToken,
    });
    expect(reuse.json().error.code).toBe("flow_missing");
    await t.deps.afterAnswer.settled();
    expect(t.smtp.mailsTo("ghost@x.example")).toHaveLength(0);
  });

  it("rejects a reset code after 30 minutes", async () => {
    const email = "slowreset@x.example";
    await verifiedUser(email);
    const browser = new ApiClient(t.app);
    await browser.post("/api/v1/auth/password-reset", { email });
    const code = codeFrom(await t.smtp.waitForMail(email, 1));
    t.clock.advance(31 * 60_000);
    const res = await browser.post("/api/v1/auth/password-reset/confirm", {
      email,
      code,
      password: otherStrongPassword,
    });
    expect(res.json().error.code).toBe("code_expired");
    expect((await post("/api/v1/auth/login", { email, password: strongPassword })).statusCode).toBe(200);
  });

  it("does not let a sign-up code reset a password", async () => {
    const email = "crossed@x.example";
    const browser = new ApiClient(t.app);
    await browser.post("/api/v1/auth/register", registration(email));
    const signUpCode = codeFrom(await t.smtp.waitForMail(email));
    await browser.post("/api/v1/auth/password-reset", { email });
    const res = await browser.post("/api/v1/auth/password-reset/confirm", {
      email,
      code: signUpCode,
      password: otherStrongPassword,
    });
    expect(res.json().error.code).toBe("code_invalid");
  });
});

describe("newsletter (API)", () => {
  it("subscribes in one call, mails a welcome with one-click unsubscribe that works without logging in", async () => {
    const email = "news@x.example";
    const cookie = await verifiedUser(email);
    const json = { "content-type": "application/json" };
    expect(
      (
        await t.app.inject({
          method: "PUT",
          url: "/api/v1/me/newsletter",
          headers: { cookie: `pressroom_session=${cookie}`, ...json },
        })
      ).statusCode,
    ).toBe(204);
    expect((await me(cookie)).json().newsletter).toBe(true);

    const mail = await t.smtp.waitForMail(email, 1);
    expect(rawHeader(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const url = new URL(String(rawHeader(mail, "List-Unsubscribe")).replace(/^<|>$/g, ""));
    expect(mail.parsed.text).toContain(url.toString());

    // What a mail provider does for the one-click button (RFC 8058): a POST, no cookie, no CSRF token.
    const oneClick = await t.app.inject({
      method: "POST",
      url: `${url.pathname}${url.search}`,
      payload: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(oneClick.statusCode).toBe(200);
    expect((await me(cookie)).json().newsletter).toBe(false);

    const forged = await t.app.inject({
      method: "POST",
      url: `${url.pathname}?u=${url.searchParams.get("u")}&t=forged`,
    });
    expect(forged.statusCode).toBe(400);
  });

  it("unsubscribes with DELETE and needs a log-in", async () => {
    const cookie = await verifiedUser("news2@x.example");
    const headers = { cookie: `pressroom_session=${cookie}`, "x-requested-with": "fetch" };
    await t.app.inject({ method: "PUT", url: "/api/v1/me/newsletter", headers });
    expect((await t.app.inject({ method: "DELETE", url: "/api/v1/me/newsletter", headers })).statusCode).toBe(
      204,
    );
    expect((await me(cookie)).json().newsletter).toBe(false);
    const anonymous = { "x-requested-with": "fetch" };
    expect(
      (await t.app.inject({ method: "PUT", url: "/api/v1/me/newsletter", headers: anonymous })).statusCode,
    ).toBe(401);
  });
});
