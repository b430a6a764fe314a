import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, registration, startTestApp, strongPassword, type TestApp } from "../helpers/app.ts";
import { codeFrom } from "../helpers/smtp.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const client = () => new ApiClient(t.app);

describe("sign-up with an e-mailed code (API)", () => {
  it("sends a 6-digit code in the user's language, and the right code logs the user in", async () => {
    const email = "claire@rtt.example";
    const browser = client();
    const res = await browser.post("/api/v1/auth/register", registration(email, { language: "fr" }));
    expect(res.statusCode).toBe(202);

    const mail = await t.smtp.waitForMail(email);
    expect(mail.parsed.subject).toMatch(/code de vérification/);
    expect(mail.parsed.html).toContain(codeFrom(mail));
    expect(mail.parsed.text).toMatch(/30 minutes/);

    const verified = await browser.post("/api/v1/auth/verify", {
      email: "Claire@RTT.example",
      code: codeFrom(mail),
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({
      email,
      name: "Claire Martin",
      language: "fr",
      newsletter: false,
      role: "media",
    });
    const cookie = verified.cookies.find((c) => c.name === "pressroom_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });

    const me = await t.app.inject({ url: "/api/v1/me", cookies: { pressroom_session: cookie!.value } });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe(email);
  });

  it("names every unmet part of the password rule, in the Accept-Language language", async () => {
    const res = await client().post(
      "/api/v1/auth/register",
      registration("weak@x.example", { password: "short pass" }),
      {
        "accept-language": "fr-BE,fr;q=0.9",
      },
    );
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe("password_too_weak");
    expect(error.message).toBe("Choisissez un mot de passe plus robuste.");
    expect(error.fields.password).toEqual([
      "au moins 12 caractères",
      "aucune espace ni caractère invisible",
      "une lettre majuscule",
      "un chiffre",
      "un symbole (par exemple ! ? # % &)",
    ]);
    expect(t.smtp.mailsTo("weak@x.example")).toHaveLength(0);
  });

  it("refuses a missing terms acceptance, a bad e-mail and an unknown country, field by field", async () => {
    const res = await client().post(
      "/api/v1/auth/register",
      registration("not-an-email", { acceptTerms: false, country: "ZZ", name: "  ", language: "de" }),
    );
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe("invalid_input");
    expect(Object.keys(error.fields).sort()).toEqual(["acceptTerms", "country", "email", "language", "name"]);
    expect(error.fields.language).toEqual(["Choose English or French."]);
  });

  it("names a field it does not know instead of ignoring it, and sends nothing", async () => {
    const before = t.smtp.received.length;
    const res = await client().post("/api/v1/auth/register", {
      ...registration("news@example.test"),
      newsletter: true,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ newsletter: ["This field is not known: check its name."] });
    expect(t.smtp.received.length).toBe(before);
  });

  it("says a wrong code is wrong, counts down, and kills the code after 5 wrong tries", async () => {
    const email = "wrong@x.example";
    const browser = client();
    await browser.post("/api/v1/auth/register", registration(email));
    const code = codeFrom(await t.smtp.waitForMail(email));
    const wrong = code === "000000" ? "111111" : "000000";
    const messages: string[] = [];
    const said: string[] = [];
    for (let i = 0; i < 5; i++) {
      const lang = i === 3 ? "fr" : "en";
      const res = await browser.post(
        "/api/v1/auth/verify",
        { email, code: wrong },
        { "accept-language": lang },
      );
      expect(res.statusCode).toBe(400);
      messages.push(res.json().error.code);
      said.push(res.json().error.message);
    }
    // The last try is one try, in both languages.
    expect(said.slice(2, 4)).toEqual([
      "That code is not right. 2 tries left.",
      "Ce code n'est pas le bon. Il vous reste 1 essai.",
    ]);
    expect(messages).toEqual([
      "code_invalid",
      "code_invalid",
      "code_invalid",
      "code_invalid",
      "code_exhausted",
    ]);
    const right = await browser.post("/api/v1/auth/verify", { email, code });
    expect(right.statusCode).toBe(400);
    expect(right.json().error.code).toBe("code_exhausted");

    // A new code (allowed after a minute) works again.
    t.clock.advance(61_000);
    expect((await browser.post("/api/v1/auth/resend", { email })).statusCode).toBe(202);
    const fresh = codeFrom(await t.smtp.waitForMail(email, 1));
    expect((await browser.post("/api/v1/auth/verify", { email, code: fresh })).statusCode).toBe(200);
  });

  it("expires a code after 30 minutes (moved clock), not before", async () => {
    const email = "late@x.example";
    const browser = client();
    await browser.post("/api/v1/auth/register", registration(email));
    const code = codeFrom(await t.smtp.waitForMail(email));
    t.clock.advance(30 * 60_000 + 1000);
    const expired = await browser.post("/api/v1/auth/verify", { email, code });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.code).toBe("code_expired");

    const email2 = "intime@x.example";
    await browser.post("/api/v1/auth/register", registration(email2));
    const code2 = codeFrom(await t.smtp.waitForMail(email2));
    t.clock.advance(29 * 60_000);
    expect((await browser.post("/api/v1/auth/verify", { email: email2, code: code2 })).statusCode).toBe(200);
  });

  it("sends a new code at most once a minute, and the new code kills the old one", async () => {
    const email = "resend@x.example";
    const browser = client();
    await browser.post("/api/v1/auth/register", registration(email));
    const first = codeFrom(await t.smtp.waitForMail(email));

    const tooSoon = await browser.post("/api/v1/auth/resend", { email }, { "accept-language": "en" });
    expect(tooSoon.statusCode).toBe(429);
    expect(tooSoon.json().error.message).toMatch(/once a minute\. Try again in 60 seconds\.$/);
    t.clock.advance(59_500);
    const lastSecond = await browser.post("/api/v1/auth/resend", { email }, { "accept-language": "en" });
    expect(lastSecond.json().error.message).toMatch(/Try again in 1 second\.$/);

    t.clock.advance(500);
    expect((await browser.post("/api/v1/auth/resend", { email })).statusCode).toBe(202);
    const second = codeFrom(await t.smtp.waitForMail(email, 1));
    if (second !== first) {
      const old = await browser.post("/api/v1/auth/verify", { email, code: first });
      expect(old.json().error.code).toBe("code_invalid");
    }
    expect((await browser.post("/api/v1/auth/verify", { email, code: second })).statusCode).toBe(200);
  });

  it("lets a person sign up again before verifying: the latest sign-up, with its own code, is the one verified", async () => {
    const email = "again@x.example";
    const browser = client();
    await browser.post("/api/v1/auth/register", registration(email, { name: "First Try" }));
    const firstCode = codeFrom(await t.smtp.waitForMail(email));
    await browser.post("/api/v1/auth/register", registration(email, { name: "Second Try" }));
    const secondCode = codeFrom(await t.smtp.waitForMail(email, 1));
    if (firstCode !== secondCode) {
      const old = await browser.post("/api/v1/auth/verify", { email, code: firstCode });
      expect(old.json().error.code).toBe("code_invalid");
    }
    const res = await browser.post("/api/v1/auth/verify", { email, code: secondCode });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe("Second Try");
  });

  it("never registers a verified address twice, answers a stranger as usual, and tells the owner", async () => {
    const email = "taken@x.example";
    const owner = client();
    await owner.post("/api/v1/auth/register", registration(email, { name: "Owner" }));
    await owner.post("/api/v1/auth/verify", { email, code: codeFrom(await t.smtp.waitForMail(email)) });

    const stranger = await client().post(
      "/api/v1/auth/register",
      registration(email, { name: "Stranger", password: "Another-Pass-99" }),
    );
    expect(stranger.statusCode).toBe(202);
    const fresh = await client().post("/api/v1/auth/register", registration("nobody-yet@x.example"));
    const { signup: strangerToken, ...strangerAnswer } = stranger.json();
    const { signup: freshToken, ...freshAnswer } = fresh.json();
    expect(strangerAnswer).toEqual(freshAnswer);
    expect(String(strangerToken)).toHaveLength(String(freshToken).length);

    const notice = await t.smtp.waitForMail(email, 1);
    expect(notice.parsed.subject).toMatch(/already|tried to create/i);
    expect(notice.parsed.text).not.toMatch(/\b\d{6}\b/);
    // The owner's password and name are unchanged.
    const login = await client().post("/api/v1/auth/login", { email, password: strongPassword });
    expect(login.statusCode).toBe(200);
    expect(login.json().name).toBe("Owner");
  });

  it("answers resend from a client without a sign-up as usual, without sending anything", async () => {
    const res = await client().post("/api/v1/auth/resend", { email: "ghost@x.example" });
    expect(res.statusCode).toBe(202);
    await t.deps.afterAnswer.settled();
    expect(t.smtp.mailsTo("ghost@x.example")).toHaveLength(0);
  });

  it("asks for the sign-up's password when the code comes without the sign-up's token", async () => {
    const res = await client().post("/api/v1/auth/verify", { email: "ghost@x.example", code: "123456" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.password).toHaveLength(1);
  });
});
