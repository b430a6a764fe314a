import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsubscribeUrl } from "../../src/accounts/profile.ts";
import { findUserById } from "../../src/accounts/store.ts";
import type { Mailer } from "../../src/core/mailer.ts";
import { createMailer } from "../../src/mail/transport.ts";
import { type SendOptions, sendIssue } from "../../src/newsletter/jobs.ts";
import { startSending } from "../../src/newsletter/sending.ts";
import { insertIssue } from "../../src/newsletter/store.ts";
import { type PageClient, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import {
  addAccount,
  addSubscribers,
  deliveryStatuses,
  issueStatus,
  loggedIn,
  subscriberEmail,
} from "./fixtures.ts";
import { startRefusingSmtpServer } from "./refusing-smtp.ts";

/** The send job run by hand (no workers here), with mailers that fail the way real ones do. */

let t: TestApp;
let editor: PageClient;
const options: SendOptions = { batchSize: 5, claimMs: 60_000, maxAttempts: 3, concurrency: 1 };

beforeAll(async () => {
  t = await startTestApp();
  editor = await loggedIn(
    t,
    await addAccount(t.db, { email: "editor@x.example", role: "editor" }, t.clock.now()),
  );
});
afterAll(() => t.close());

/** An issue being sent to exactly `count` fresh subscribers (earlier tests' subscribers leave first). */
async function sendingTo(count: number, prefix: string): Promise<{ id: number; userIds: number[] }> {
  const now = t.clock.now();
  await t.db.query("UPDATE users SET newsletter_subscribed_at = NULL");
  const userIds = await addSubscribers(t.db, count, now, prefix);
  const content = {
    subject: { en: `Issue ${prefix}`, fr: `Numéro ${prefix}` },
    intro: { en: "Hello.", fr: "Bonjour." },
    events: [],
  };
  const id = await insertIssue(t.db, content, userIds[0]!, now);
  expect(await startSending(t.deps, id)).toBe(count);
  return { id, userIds };
}

/** How many messages each of the `count` subscribers received. */
function received(prefix: string, count: number): number[] {
  return Array.from({ length: count }, (_, i) => t.smtp.mailsTo(subscriberEmail(i, prefix)).length);
}

function failingAfter(successes: number, error: () => Error): Mailer {
  let sent = 0;
  return {
    async send(to, message) {
      if (sent >= successes) throw error();
      sent++;
      await t.deps.mailer.send(to, message);
    },
    close() {},
  };
}

describe("a send that stops halfway", () => {
  it("completes on the next run without sending anyone twice; the message in doubt waits for the editor", async () => {
    const { id } = await sendingTo(20, "crash");
    const lost = () => new Error("Connection closed unexpectedly"); // neither a refusal nor "no connection"
    await expect(sendIssue({ ...t.deps, mailer: failingAfter(12, lost) }, id, options)).rejects.toThrow(
      /closed/,
    );
    expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 12, sending: 1, pending: 7 });

    await sendIssue(t.deps, id, options);
    expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 19, sending: 1 });
    expect(await issueStatus(t.db, id)).toBe("sent");
    expect(received("crash", 20).filter((n) => n !== 1)).toEqual([0]);
    expect(received("crash", 20)[12]).toBe(0);

    const page = await editor.get(`/en/editor/newsletter/${id}`);
    expect(textOf(page.body)).toContain("Unknown, not resent 1");
    expect(textOf(page.body)).toContain(subscriberEmail(12, "crash"));
    const retry = await editor.submit(`/en/editor/newsletter/${id}/retry`, { which: "unknown" });
    expect(retry.statusCode).toBe(303);
    expect(await issueStatus(t.db, id)).toBe("sending");
    await sendIssue(t.deps, id, options);
    expect(received("crash", 20).every((n) => n === 1)).toBe(true);
    expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 20 });
    expect(await issueStatus(t.db, id)).toBe("sent");
  });

  it("takes over a dead worker's batch only after its claim expires, and never resends what it was handing over", async () => {
    const { id } = await sendingTo(20, "frozen");
    let wake: () => void = () => undefined;
    // Resolved when the fourth message is handed to the mailer, which then hangs: "sending" is 1
    // for a moment during every message, so waiting for that state could catch an earlier one.
    let frozenOn: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (frozenOn = resolve));
    let sent = 0;
    const freezing: Mailer = {
      async send(to, message) {
        if (++sent === 4) {
          frozenOn();
          await new Promise<void>((resolve) => (wake = resolve));
        }
        await t.deps.mailer.send(to, message);
      },
      close() {},
    };
    const frozen = sendIssue({ ...t.deps, mailer: freezing }, id, { ...options, batchSize: 10 });
    await stuck;
    expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 3, sending: 1, claimed: 6, pending: 10 });

    // Another worker, while the first one's claim holds: it takes only what nobody holds.
    await sendIssue(t.deps, id, { ...options, batchSize: 10 });
    expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 13, sending: 1, claimed: 6 });
    expect(await issueStatus(t.db, id)).toBe("sending");

    t.clock.advance(options.claimMs + 1);
    await sendIssue(t.deps, id, options);
    expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 19, sending: 1 });
    expect(await issueStatus(t.db, id)).toBe("sent");
    expect(received("frozen", 20).filter((n) => n === 1)).toHaveLength(19);

    // The frozen worker comes back: it finishes the one message it had started, and nothing else.
    wake();
    await frozen;
    expect(received("frozen", 20).every((n) => n === 1)).toBe(true);
    expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 20 });
  });

  it("lets two runs work on one issue at once without sending anyone twice", async () => {
    const { id } = await sendingTo(60, "twin");
    const both = { ...options, batchSize: 7, concurrency: 3 };
    await Promise.all([sendIssue(t.deps, id, both), sendIssue(t.deps, id, both)]);
    expect(received("twin", 60).every((n) => n === 1)).toBe(true);
    expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 60 });
  });
});

describe("who receives it", () => {
  it("skips a subscriber who unsubscribes before their batch is sent", async () => {
    const { id, userIds } = await sendingTo(10, "leaver");
    const leaver = (await findUserById(t.db, userIds[7]!))!;
    const link = new URL(unsubscribeUrl(t.deps, leaver));
    const click = await t.app.inject({
      method: "POST",
      url: link.pathname + link.search,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(click.statusCode).toBe(200);
    await sendIssue(t.deps, id, options);
    expect(received("leaver", 10)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 1, 1]);
    expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 9, skipped: 1 });
  });
});

describe("when the mail server says no", () => {
  it("retries a refused message a few times, then reports it as failed for the editor to retry", async () => {
    const refusing = await startRefusingSmtpServer();
    const log = pino({ level: "silent" });
    const mailer = createMailer({
      smtpUrl: refusing.url,
      from: "a@x.example",
      outboxDir: path.join(t.dataDir, "x"),
      log,
    });
    try {
      const { id } = await sendingTo(6, "ok");
      await t.db.query(
        "UPDATE users SET email = 'refused-' || email WHERE email LIKE 'ok-4@%' OR email LIKE 'ok-5@%'",
      );
      await sendIssue({ ...t.deps, mailer }, id, options);
      expect(refusing.accepted.sort()).toEqual([0, 1, 2, 3].map((i) => subscriberEmail(i, "ok")));
      expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 4, failed: 2 });
      const rows = await t.db.query<{ attempts: number; last_error: string }>(
        "SELECT attempts, last_error FROM newsletter_deliveries WHERE issue_id = $1 AND status = 'failed'",
        [id],
      );
      expect(rows.map((r) => r.attempts)).toEqual([3, 3]);
      expect(rows[0]!.last_error).toMatch(/550/);

      const page = textOf((await editor.get(`/en/editor/newsletter/${id}`)).body);
      expect(page).toContain("Refused by the mail server 2");
      expect(page).toContain("refused-ok-4@x.example");
      await editor.submit(`/en/editor/newsletter/${id}/retry`, { which: "failed" });
      await sendIssue(t.deps, id, options); // the test server takes everyone
      expect(t.smtp.mailsTo("refused-ok-5@x.example")).toHaveLength(1);
      expect(await deliveryStatuses(t.db, id)).toEqual({ sent: 6 });
    } finally {
      mailer.close();
      await refusing.close();
    }
  });

  it("stops without counting a try when there is no connection at all, and sends everyone later", async () => {
    const { id } = await sendingTo(4, "offline");
    const log = pino({ level: "silent" });
    const closedPort = createMailer({
      smtpUrl: "smtp://127.0.0.1:9",
      from: "a@x.example",
      outboxDir: path.join(t.dataDir, "x"),
      log,
    });
    await expect(sendIssue({ ...t.deps, mailer: closedPort }, id, options)).rejects.toThrow();
    expect(await deliveryStatuses(t.db, id)).toEqual({ pending: 4 });
    const [row] = await t.db.query<{ attempts: number }>(
      "SELECT max(attempts) AS attempts FROM newsletter_deliveries WHERE issue_id = $1",
      [id],
    );
    expect(row!.attempts).toBe(0);
    // Had the job given up, the editor starts it again.
    await editor.get(`/en/editor/newsletter/${id}`);
    expect((await editor.submit(`/en/editor/newsletter/${id}/resume`, {})).statusCode).toBe(303);
    await sendIssue(t.deps, id, options);
    expect(received("offline", 4)).toEqual([1, 1, 1, 1]);
  });
});
