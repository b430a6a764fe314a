import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalEmail } from "../../src/accounts/email-address.ts";
import { hashPassword } from "../../src/accounts/password-hash.ts";
import { respellStoredAddresses } from "../../src/accounts/respell-addresses.ts";
import { createAccount } from "../helpers/accounts.ts";
import {
  ApiClient,
  otherStrongPassword,
  PageClient,
  registration,
  signUpOverApi,
  startTestApp,
  strongPassword,
  type TestApp,
  textOf,
} from "../helpers/app.ts";
import { codeFrom } from "../helpers/smtp.ts";

/**
 * Finding M1 of the probe of 2026-12-07: spellings of an address that mail delivers to one
 * mailbox (a fullwidth letter, an ideographic full stop, a zero-width space) were separate
 * accounts, each with its own decoy notices and limits. Every client has its own address (`ip`).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_LOGIN_FAILURES: "4" });
});
afterAll(() => t.close());

let clients = 0;
const client = () => new ApiClient(t.app, `198.51.100.${++clients}`);
const exists = "Someone tried to create a Pressroom account with your address";

async function verified(email: string): Promise<number> {
  const res = await signUpOverApi(t, client(), email, { name: "Kim Owner" });
  expect(res.statusCode).toBe(200);
  return res.json().id;
}

const accountsLike = async (pattern: string) =>
  (await t.db.query<{ id: number }>("SELECT id FROM users WHERE email LIKE $1", [pattern])).length;

describe("the one form of an address", () => {
  it.each([
    ["a fullwidth letter", "kim@ｅxample.net", "kim@example.net"],
    ["upper case and an ideographic full stop", "KIM@Example。NET", "kim@example.net"],
    ["fullwidth throughout, with a final dot", "ｋｉｍ＠ｅｘａｍｐｌｅ．ｎｅｔ.", "kim@example.net"],
    ["a ligature", "ﬁn@x.example", "fin@x.example"],
    ["an international domain", "José@Café.fr", "josé@xn--caf-dma.fr"],
  ])("puts %s in the form mail is delivered to, and keeps it so", (_name, typed, one) => {
    expect(canonicalEmail(typed)).toEqual({ email: one });
    expect(canonicalEmail(one)).toEqual({ email: one });
  });

  it.each([
    ["a zero-width space", "kim@example.net\u200b"],
    ["a soft hyphen", "kim\u00ad@example.net"],
    ["a zero-width joiner in the domain", "kim@exa\u200dmple.net"],
    ["a word joiner", "k\u2060im@example.net"],
    ["a Hangul filler", "kim@\u3164example.net"],
    ["a variation selector", "kim\ufe0f@example.net"],
    ["a control character", "kim\u0007@example.net"],
    ["a space inside", "kim @example.net"],
    ["a no-break space inside", "kim\u00a0@example.net"],
  ])("refuses an address with %s", (_name, typed) => {
    expect(canonicalEmail(typed)).toEqual({ problem: "field.email_invisible" });
  });
});

describe("look-alike addresses are the account they look like (M1)", () => {
  it("answers a sign-up with a look-alike as one with the address itself: a notice to the owner, no second account", async () => {
    const id = await verified("kim@example.net");
    const answers = [];
    for (const spelling of ["kim@ｅxample.net", "KIM@example。net", "ｋim＠example.net."]) {
      const before = t.smtp.mailsTo("kim@example.net").length;
      const res = await client().post("/api/v1/auth/register", registration(spelling));
      answers.push({ status: res.statusCode, message: res.json().message });
      const mail = await t.smtp.waitForMail("kim@example.net", before);
      // The decoy's notice, never a code that would make an account of the look-alike.
      expect(mail.parsed.subject).toBe(exists);
    }
    const again = await client().post("/api/v1/auth/register", registration("kim@example.net"));
    expect(answers).toEqual(Array(3).fill({ status: again.statusCode, message: again.json().message }));
    expect(await accountsLike("kim@%")).toBe(1);

    const login = await client().post("/api/v1/auth/login", {
      email: "kim@ｅxample.net",
      password: strongPassword,
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ id, email: "kim@example.net" });
  });

  it("sends a reset asked with a look-alike to the account, and completes it with either spelling", async () => {
    await verified("ana@example.org");
    const resetter = client();
    await t.deps.afterAnswer.settled();
    const before = t.smtp.mailsTo("ana@example.org").length;
    expect(
      (await resetter.post("/api/v1/auth/password-reset", { email: "ana@ｅxample.org" })).statusCode,
    ).toBe(202);
    const code = codeFrom(await t.smtp.waitForMail("ana@example.org", before));
    const done = await resetter.post("/api/v1/auth/password-reset/confirm", {
      email: "ANA@example.org",
      code,
      password: otherStrongPassword,
    });
    expect(done.statusCode).toBe(200);
    const login = await client().post("/api/v1/auth/login", {
      email: "ana@example.org",
      password: otherStrongPassword,
    });
    expect(login.statusCode).toBe(200);
  });

  it("counts limits on the address whatever its spelling: log-in failures and the owner's notices", async () => {
    const email = "lee@example.net";
    await verified(email);
    const guesser = client();
    for (const spelling of ["lee@ｅxample.net", "LEE@example.net", "lee@example。net", "ｌee@example.net"]) {
      const res = await guesser.post("/api/v1/auth/login", { email: spelling, password: "Wrong-Pass-2026!" });
      expect(res.statusCode).toBe(401);
    }
    const stopped = await guesser.post("/api/v1/auth/login", { email, password: strongPassword });
    expect(stopped.statusCode).toBe(429);

    // Three "someone tried to sign up" notices an hour at most, not three per spelling.
    await t.deps.afterAnswer.settled();
    const before = t.smtp.mailsTo(email).length;
    const spammer = client();
    for (const spelling of ["lee@ｅxample.net", "lee@example。net", "ｌee@example.net", "LEE@example.net."]) {
      await spammer.post("/api/v1/auth/register", registration(spelling));
    }
    await t.deps.afterAnswer.settled();
    const notices = t.smtp.mailsTo(email).slice(before);
    expect(notices.map((m) => m.parsed.subject)).toEqual([exists, exists, exists]);
  });
});

describe("addresses with invisible characters (M1)", () => {
  it("refuses them at sign-up, log-in and reset, naming the field in the client's language, and sends nothing", async () => {
    const sneaky = "kim@example.net\u200b";
    const en = await client().post("/api/v1/auth/register", registration(sneaky));
    expect(en.statusCode).toBe(400);
    expect(en.json().error).toMatchObject({
      code: "invalid_email",
      fields: { email: [expect.stringMatching(/^This address holds a space, an invisible character/)] },
    });
    const fr = await client().post("/api/v1/auth/register", registration("kim\u00ad@example.net"), {
      "accept-language": "fr",
    });
    expect(fr.json().error.fields.email).toEqual([
      "Cette adresse contient une espace, un caractère invisible (comme une espace sans chasse ou un trait d’union conditionnel) ou un caractère de contrôle, souvent copié avec elle. Saisissez-la de nouveau.",
    ]);
    for (const [path, body] of [
      ["/api/v1/auth/login", { email: sneaky, password: strongPassword }],
      ["/api/v1/auth/password-reset", { email: sneaky }],
      ["/api/v1/auth/resend", { email: sneaky }],
    ] as const) {
      const res = await client().post(path, body);
      expect(res.statusCode, path).toBe(400);
      expect(Object.keys(res.json().error.fields), path).toEqual(["email"]);
    }
    expect(await t.db.query("SELECT id FROM account_flows WHERE email LIKE 'kim%\u200b'")).toHaveLength(0);
  });

  it("says why on the sign-up, log-in and reset pages, with the address kept in the field", async () => {
    const browser = new PageClient(t.app, "198.51.100.240");
    await browser.get("/fr/register");
    const signUp = await browser.submit("/fr/register", {
      email: "zoe\u200b@x.example",
      password: strongPassword,
      name: "Zoé",
      organisation: "Agence",
      country: "FR",
      language: "fr",
      acceptTerms: "on",
    });
    expect(signUp.statusCode).toBe(400);
    expect(textOf(signUp.body)).toContain("Cette adresse contient une espace, un caractère invisible");
    expect(signUp.body).toContain('aria-invalid="true"');

    await browser.get("/en/login");
    const login = await browser.submit("/en/login", {
      email: "zoe\u2060@x.example",
      password: strongPassword,
    });
    expect(login.statusCode).toBe(400);
    expect(textOf(login.body)).toContain("This address holds a space, an invisible character");
    expect(login.body).toContain("zoe\u2060@x.example");

    await browser.get("/fr/password-reset");
    const reset = await browser.submit("/fr/password-reset", { email: "zoe\u200b@x.example" });
    expect(reset.statusCode).toBe(400);
    expect(textOf(reset.body)).toContain("Cette adresse contient une espace, un caractère invisible");
    expect(t.smtp.mailsTo("zoe@x.example")).toHaveLength(0);
  });
});

describe("accounts stored before addresses had one form", () => {
  it("gives them the one form when it is free, keeps look-alikes and refused ones as they were, and logs in with either spelling", async () => {
    const hash = await hashPassword(strongPassword);
    const add = (email: string) =>
      createAccount(t.db, t.clock.now(), { email, role: "media", passwordHash: hash });
    const idn = await add("josé@café.fr");
    const dot = await add("dot@x.example.");
    const real = await add("max@example.net");
    const lookAlike = await add("max@ｅxample.net");
    const invisible = await add("ivy\u200b@x.example");
    await add("plain@x.example");
    const warnings: object[] = [];
    const quiet = () => undefined;
    const log = { debug: quiet, info: quiet, error: quiet, warn: (o: object) => void warnings.push(o) };

    const first = await respellStoredAddresses({ db: t.db, log, now: t.clock.now });
    expect(first.respelled).toEqual([idn, dot]);
    expect(first.kept).toEqual(
      expect.arrayContaining([
        { id: lookAlike, reason: "taken" },
        { id: invisible, reason: "refused" },
      ]),
    );
    expect(warnings).toHaveLength(first.kept.length);
    const emails = await t.db.query<{ id: number; email: string }>(
      "SELECT id, email FROM users WHERE id = ANY($1::int[]) ORDER BY id",
      [[idn, dot, real, lookAlike]],
    );
    expect(emails.map((r) => r.email)).toEqual([
      "josé@xn--caf-dma.fr",
      "dot@x.example",
      "max@example.net",
      "max@ｅxample.net",
    ]);
    // Once done, nothing more to do.
    expect((await respellStoredAddresses({ db: t.db, log, now: t.clock.now })).respelled).toEqual([]);

    for (const [email, id] of [
      ["josé@café.fr", idn],
      ["dot@x.example", dot],
      ["max@ｅxample.net", real],
    ] as const) {
      const res = await client().post("/api/v1/auth/login", { email, password: strongPassword });
      expect(res.json().id, email).toBe(id);
    }
  });
});
