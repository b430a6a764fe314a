import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
 * Issue 8, items 1, 5, 7 and 11: attacks on the account flows, each as the probe made it. Every
 * client has its own address (`ip`), as the portal sees clients.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_LOGIN_FAILURES: "4", RATE_LIMIT_CODE_FAILURES: "6" });
});
afterAll(() => t.close());

let clients = 0;
const client = () => new ApiClient(t.app, `198.51.100.${++clients}`);
const attackerPassword = "Attacker-Pass-66!";

async function verified(email: string): Promise<void> {
  expect((await signUpOverApi(t, client(), email)).statusCode).toBe(200);
}

describe("taking over a sign-up in progress (item 1)", () => {
  it("activates the owner's sign-up, not a stranger's made after it, when the owner enters their code", async () => {
    const email = "victim1@x.example";
    const owner = client();
    await owner.post("/api/v1/auth/register", registration(email, { name: "Owner One" }));
    const ownerCode = codeFrom(await t.smtp.waitForMail(email));

    const attacker = client();
    await attacker.post(
      "/api/v1/auth/register",
      registration(email, { name: "Attacker", password: attackerPassword }),
    );
    await t.smtp.waitForMail(email, 1);

    const res = await owner.post("/api/v1/auth/verify", { email, code: ownerCode });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe("Owner One");
    const stolen = await client().post("/api/v1/auth/login", { email, password: attackerPassword });
    expect(stolen.statusCode).toBe(401);
    const mine = await client().post("/api/v1/auth/login", { email, password: strongPassword });
    expect(mine.json().name).toBe("Owner One");
  });

  it("does not let a stranger who signed up first with someone's address own it when the owner signs up", async () => {
    const email = "victim2@x.example";
    const attacker = client();
    await attacker.post(
      "/api/v1/auth/register",
      registration(email, { name: "Attacker", password: attackerPassword }),
    );
    const attackerCode = codeFrom(await t.smtp.waitForMail(email));
    const owner = client();
    await owner.post("/api/v1/auth/register", registration(email, { name: "Owner Two" }));
    const ownerCode = codeFrom(await t.smtp.waitForMail(email, 1));

    // The owner types the code of the stranger's sign-up, which also reached their inbox: it is not theirs.
    if (attackerCode !== ownerCode) {
      const wrong = await owner.post("/api/v1/auth/verify", { email, code: attackerCode });
      expect(wrong.statusCode).toBe(400);
    }
    const res = await owner.post("/api/v1/auth/verify", { email, code: ownerCode });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe("Owner Two");
    expect(
      (await client().post("/api/v1/auth/login", { email, password: attackerPassword })).statusCode,
    ).toBe(401);
    // The stranger's own sign-up ended with the owner's.
    const late = await attacker.post("/api/v1/auth/verify", { email, code: attackerCode });
    expect(late.statusCode).toBe(400);
  });

  it("needs the sign-up's token or its password along with the code: the code alone verifies nothing", async () => {
    const email = "victim3@x.example";
    await client().post("/api/v1/auth/register", registration(email, { name: "Owner Three" }));
    const code = codeFrom(await t.smtp.waitForMail(email));
    const stranger = client();
    const codeOnly = await stranger.post("/api/v1/auth/verify", { email, code });
    expect(codeOnly.statusCode).toBe(400);
    const wrongPassword = await stranger.post("/api/v1/auth/verify", {
      email,
      code,
      password: attackerPassword,
    });
    expect(wrongPassword.statusCode).toBe(400);
    expect(wrongPassword.json().error.code).toBe("code_or_password_invalid");
    expect(stranger.session).toBeUndefined();

    // The owner on another device proves the sign-up is theirs with the password they chose.
    const phone = client();
    const res = await phone.post("/api/v1/auth/verify", { email, code, password: strongPassword });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe("Owner Three");
  });

  it("verifies with the token of the sign-up's answer, for API clients that keep no cookies", async () => {
    const email = "tokenclient@x.example";
    const registered = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/register",
      payload: registration(email),
    });
    const code = codeFrom(await t.smtp.waitForMail(email));
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/verify",
      payload: { email, code, signup: registered.json().signup },
    });
    expect(res.statusCode).toBe(200);
  });

  it("asks for the password on a verify page opened in another browser, and the owner's code and password verify", async () => {
    const email = "pages@x.example";
    const laptop = new PageClient(t.app, "198.51.100.200");
    await laptop.get("/en/register");
    await laptop.submit("/en/register", {
      email,
      password: strongPassword,
      name: "Page Owner",
      organisation: "Agency",
      country: "BE",
      language: "en",
      acceptTerms: "on",
    });
    const code = codeFrom(await t.smtp.waitForMail(email));
    const other = new PageClient(t.app, "198.51.100.201");
    const form = await other.get(`/en/verify?email=${encodeURIComponent(email)}`);
    expect(form.body).toContain('name="password"');
    expect((await laptop.get(`/en/verify?email=${encodeURIComponent(email)}`)).body).not.toContain(
      'name="password"',
    );
    const noPassword = await other.submit("/en/verify", { email, code });
    expect(noPassword.statusCode).toBe(400);
    const done = await other.submit("/en/verify", { email, code, password: strongPassword });
    expect(done.statusCode).toBe(303);
    expect(other.cookies.has("pressroom_session")).toBe(true);
  });
});

describe("not telling who has an account (item 5)", () => {
  /** The same request for a fresh address and for one with an account: everything but tokens equal. */
  async function compare(
    path: string,
    body: (email: string) => object,
    prepare: (c: ApiClient, email: string) => Promise<void>,
  ) {
    const real = "known5@x.example";
    await verified(real).catch(() => undefined);
    const answers = [];
    for (const email of [real, `nobody-${clients}@x.example`]) {
      const c = client();
      await prepare(c, email);
      const res = await c.post(path, body(email));
      answers.push({ status: res.statusCode, body: res.body });
    }
    return answers;
  }

  it("counts wrong sign-up codes down alike for an address with an account and one without", async () => {
    const [known, unknown] = await compare(
      "/api/v1/auth/verify",
      (email) => ({ email, code: "000000" }),
      async (c, email) => {
        await c.post("/api/v1/auth/register", registration(email));
      },
    );
    expect(known).toEqual(unknown);
    expect(JSON.parse(known!.body).error.message).toMatch(/4 tries left/);
  });

  it("counts wrong reset codes down alike for an address with an account and one without", async () => {
    const [known, unknown] = await compare(
      "/api/v1/auth/password-reset/confirm",
      (email) => ({ email, code: "000000", password: otherStrongPassword }),
      async (c, email) => {
        await c.post("/api/v1/auth/password-reset", { email });
      },
    );
    expect(known).toEqual(unknown);
    expect(JSON.parse(known!.body).error.message).toMatch(/4 tries left/);
  });

  it("answers resend within the minute alike (429) for an address with an account and one without", async () => {
    const [known, unknown] = await compare(
      "/api/v1/auth/resend",
      (email) => ({ email }),
      async (c, email) => {
        await c.post("/api/v1/auth/register", registration(email));
      },
    );
    expect(known).toEqual(unknown);
    expect(known!.status).toBe(429);
  });

  it("stops a client guessing codes for an unknown address exactly as for a real one", async () => {
    for (const email of ["known5@x.example", "nobody-guess@x.example"]) {
      const guesser = client();
      const statuses: number[] = [];
      // Six wrong codes per client and address (RATE_LIMIT_CODE_FAILURES), over two sign-ups.
      for (let round = 0; round < 2; round++) {
        t.clock.advance(61_000);
        await guesser.post("/api/v1/auth/register", registration(email));
        for (let i = 0; i < 4; i++) {
          statuses.push((await guesser.post("/api/v1/auth/verify", { email, code: "000000" })).statusCode);
        }
      }
      expect(statuses.slice(0, 6).every((s) => s === 400)).toBe(true);
      expect(statuses.slice(6)).toEqual([429, 429]);
    }
  });
});

describe("locking people out (item 7)", () => {
  it("lets the owner reset their password while another client fails on its codes", async () => {
    const email = "lockout7@x.example";
    await verified(email);
    const attacker = client();
    for (let round = 0; round < 3; round++) {
      t.clock.advance(61_000);
      await attacker.post("/api/v1/auth/password-reset", { email });
      for (let i = 0; i < 5; i++) {
        await attacker.post("/api/v1/auth/password-reset/confirm", {
          email,
          code: "000000",
          password: attackerPassword,
        });
      }
    }
    const limited = await attacker.post("/api/v1/auth/password-reset/confirm", {
      email,
      code: "000000",
      password: attackerPassword,
    });
    expect(limited.statusCode).toBe(429);

    const owner = client();
    // Every code the attacker had sent has arrived: the next mail is the owner's.
    await t.deps.afterAnswer.settled();
    const before = t.smtp.mailsTo(email).length;
    await owner.post("/api/v1/auth/password-reset", { email });
    const code = codeFrom(await t.smtp.waitForMail(email, before));
    const res = await owner.post("/api/v1/auth/password-reset/confirm", {
      email,
      code,
      password: otherStrongPassword,
    });
    expect(res.statusCode).toBe(200);
  });

  it("lets the owner log in while another client is stopped for wrong passwords", async () => {
    const email = "lockout7b@x.example";
    await verified(email);
    const attacker = client();
    for (let i = 0; i < 10; i++) {
      await attacker.post("/api/v1/auth/login", { email, password: attackerPassword });
    }
    expect((await attacker.post("/api/v1/auth/login", { email, password: strongPassword })).statusCode).toBe(
      429,
    );
    expect((await client().post("/api/v1/auth/login", { email, password: strongPassword })).statusCode).toBe(
      200,
    );
  });
});

describe("the 12-character rule (item 11)", () => {
  it.each([
    ["combining marks", `Aa1!${"\u0301".repeat(8)}`],
    ["zero-width spaces", `Aa1!${"\u200b".repeat(8)}`],
    ["a zero-width joiner inside a long password", "Aa1!Aa1!\u200dAa1!"],
    ["a control character", "Aa1!Aa1!\u0007Aa1!"],
  ])("refuses a password padded with %s", async (_name, password) => {
    const page = new PageClient(t.app, "198.51.100.250");
    await page.get("/en/register");
    const res = await page.submit("/en/register", {
      email: `padded-${clients++}@x.example`,
      password,
      name: "Padded",
      organisation: "Agency",
      country: "BE",
      language: "en",
      acceptTerms: "on",
    });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toMatch(/at least 12 characters|no spaces or invisible characters/);
  });

  it("counts an accented letter once, typed composed or decomposed, and logs in either way", async () => {
    const composed = "Étoile-filante-7";
    const decomposed = composed.normalize("NFD");
    const email = "accent@x.example";
    const owner = client();
    await owner.post("/api/v1/auth/register", registration(email, { password: decomposed }));
    await owner.post("/api/v1/auth/verify", { email, code: codeFrom(await t.smtp.waitForMail(email)) });
    expect((await client().post("/api/v1/auth/login", { email, password: composed })).statusCode).toBe(200);
  });
});
