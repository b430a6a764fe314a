import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/accounts/password-hash.ts";
import { createAccount } from "../helpers/accounts.ts";
import {
  ApiClient,
  otherStrongPassword,
  PageClient,
  registration,
  startTestApp,
  strongPassword,
  type TestApp,
  textOf,
} from "../helpers/app.ts";
import { codeFrom } from "../helpers/smtp.ts";

/**
 * Finding M2 of the probe of 2026-12-07: 20 requests from 4 IP addresses used up the hour's code
 * e-mails to an address, and the owner's own request was then answered "sent" with nothing sent.
 * A client without cookies (curl, as the probe) starts a new flow each time: `fresh(ip)`.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

let ips = 0;
const newIp = () => `203.0.113.${++ips}`;
const fresh = (ip: string) => new ApiClient(t.app, ip);
const MINUTE = 60_000;

/** Minutes from the clock's time to the end of its window of `ms`, as the refusal says them. */
function minutesLeft(ms: number): number {
  const now = t.clock.now().getTime();
  return Math.ceil(((Math.floor(now / ms) + 1) * ms - now) / MINUTE);
}

const tooMany = (minutes: number) =>
  `Too many codes were asked for this address. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;

/** Starts the next test in a new hour, so the counts of one test do not reach the next. */
function nextHour(): void {
  const now = t.clock.now().getTime();
  t.clock.advance((Math.floor(now / (60 * MINUTE)) + 1) * 60 * MINUTE - now);
}

async function account(email: string): Promise<void> {
  await createAccount(t.db, t.clock.now(), {
    email,
    role: "media",
    passwordHash: await hashPassword(strongPassword),
  });
}

/** The probe's flood: 5 requests from each of 4 addresses. */
async function flood(path: string, body: object): Promise<{ statuses: number[]; ips: string[] }> {
  const statuses: number[] = [];
  const ips = [newIp(), newIp(), newIp(), newIp()];
  for (const ip of ips)
    for (let n = 0; n < 5; n++) statuses.push((await fresh(ip).post(path, body)).statusCode);
  return { statuses, ips };
}

async function mailsTo(email: string): Promise<number> {
  await t.deps.afterAnswer.settled();
  return t.smtp.mailsTo(email).length;
}

describe("code e-mails to an address that others asked for (M2)", () => {
  it("still sends the owner's reset code after 4 clients used up the address's 20 codes, and refuses those clients", async () => {
    nextHour();
    const email = "vic@example.net";
    await account(email);
    const { statuses, ips: attackers } = await flood("/api/v1/auth/password-reset", { email });
    expect(statuses).toEqual(Array(20).fill(202));
    expect(await mailsTo(email)).toBe(20);

    const owner = fresh(newIp());
    expect((await owner.post("/api/v1/auth/password-reset", { email })).statusCode).toBe(202);
    const code = codeFrom(await t.smtp.waitForMail(email, 20));
    const done = await owner.post("/api/v1/auth/password-reset/confirm", {
      email,
      code,
      password: otherStrongPassword,
    });
    expect(done.statusCode).toBe(200);

    // The attacker's clients are told to wait for the hour's end; a new one for the spare's.
    const again = await fresh(attackers[0]!).post("/api/v1/auth/password-reset", { email });
    expect(again.statusCode).toBe(429);
    expect(again.json().error).toEqual({
      code: "too_many_codes",
      message: tooMany(minutesLeft(60 * MINUTE)),
    });
    const another = await fresh(newIp()).post("/api/v1/auth/password-reset", { email });
    expect(another.statusCode).toBe(429);
    expect(another.json().error.message).toBe(tooMany(minutesLeft(10 * MINUTE)));
    expect(await mailsTo(email)).toBe(21);

    // One more new client per 10 minutes gets a code: at most 6 an hour beyond the 20.
    t.clock.advance(minutesLeft(10 * MINUTE) * MINUTE);
    const later = [];
    for (let i = 0; i < 3; i++)
      later.push((await fresh(newIp()).post("/api/v1/auth/password-reset", { email })).statusCode);
    expect(later).toEqual([202, 429, 429]);
    expect(await mailsTo(email)).toBe(22);
  });

  it("still sends a new user's sign-up code after others flooded the address with sign-ups", async () => {
    nextHour();
    const email = "newcomer@example.net";
    const { statuses } = await flood(
      "/api/v1/auth/register",
      registration(email, { password: "Attacker-Pass-66!" }),
    );
    expect(statuses).toEqual(Array(20).fill(202));
    const owner = fresh(newIp());
    expect(
      (await owner.post("/api/v1/auth/register", registration(email, { name: "New Comer" }))).statusCode,
    ).toBe(202);
    const code = codeFrom(await t.smtp.waitForMail(email, 20));
    const verified = await owner.post("/api/v1/auth/verify", { email, code });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().name).toBe("New Comer");
  });

  it("answers alike, refusals included, for an address with an account and one without", async () => {
    nextHour();
    await account("known-m2@example.net");
    const answers: Record<string, { status: number; error?: unknown }[]> = {};
    for (const email of ["known-m2@example.net", "nobody-m2@example.net"]) {
      const list: { status: number; error?: unknown }[] = [];
      // The same sequence of clients for both: 5 each from 5 addresses, then a sign-up from each.
      const clients = Array.from({ length: 5 }, (_, i) => `198.18.${email.length}.${i}`);
      for (const ip of clients)
        for (let n = 0; n < 5; n++) {
          const res = await fresh(ip).post("/api/v1/auth/password-reset", { email });
          list.push({ status: res.statusCode, error: res.json().error });
        }
      for (const ip of [...clients, "198.18.200.1", "198.18.200.2"]) {
        const res = await fresh(ip).post("/api/v1/auth/register", registration(email));
        list.push({ status: res.statusCode, error: res.json().error });
      }
      answers[email] = list;
    }
    const [known, unknown] = Object.values(answers);
    expect(known).toEqual(unknown);
    // 20, then the spare for the fifth client's first, then its four more and the sign-ups refused
    // but for the first new client, which is refused too: the spare of these 10 minutes is used.
    expect(known!.map((a) => a.status)).toEqual([...Array(21).fill(202), ...Array(11).fill(429)]);
  });

  it("stops one client after 5 codes an hour for an address, in the page's language, while another gets one", async () => {
    nextHour();
    const email = "mia@example.net";
    await account(email);
    const browser = new PageClient(t.app, newIp());
    const sent: number[] = [];
    let minutes = 0;
    for (let i = 0; i < 6; i++) {
      t.clock.advance(61_000);
      await browser.get("/fr/password-reset");
      minutes = minutesLeft(60 * MINUTE);
      sent.push((await browser.submit("/fr/password-reset", { email })).statusCode);
    }
    expect(sent).toEqual([303, 303, 303, 303, 303, 429]);
    expect(await mailsTo(email)).toBe(5);
    expect(textOf(browser.lastHtml)).toContain(
      `Trop de codes ont été demandés pour cette adresse. Réessayez dans ${minutes} minutes.`,
    );
    expect(browser.lastHtml).toContain(`value="${email}"`);

    const other = fresh(newIp());
    expect((await other.post("/api/v1/auth/password-reset", { email })).statusCode).toBe(202);
    expect(await mailsTo(email)).toBe(6);
  });
});
