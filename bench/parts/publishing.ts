import { performance } from "node:perf_hooks";
import pino from "pino";
import { announceAvailableItems } from "../../src/alerts/announce.ts";
import { saveSearch } from "../../src/alerts/saved-searches.ts";
import { sendImmediateAlerts } from "../../src/alerts/sending.ts";
import { deliverWebhookJob } from "../../src/alerts/webhook-delivery.ts";
import { postSigned } from "../../src/alerts/webhook-http.ts";
import { createWebhook } from "../../src/alerts/webhooks.ts";
import { openServices } from "../../src/app/services.ts";
import { loadConfig } from "../../src/core/config.ts";
import type { Mailer } from "../../src/core/mailer.ts";
import type { Database } from "../../src/db/database.ts";
import { workQueue } from "../../src/db/job-worker.ts";
import { loadAverage, machine } from "../lib/machine.ts";
import { newDataDir, portalEnv, removeDataDir } from "../lib/portal.ts";
import { startCluster } from "../lib/postgres.ts";
import { type PartReport, runContext } from "../lib/results.ts";
import { startCountingSmtp } from "../lib/smtp.ts";
import { seconds, table, verdict } from "../lib/stats.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../lib/webhook-receiver.ts";

/** Saved searches the published item matches (each with an e-mail at once), and as many it does not. */
const MATCHING = 1000;
/** Webhooks registered for matching saved searches (one each, for the first users). */
const WEBHOOKS = 100;
const TARGET_QUEUE_SECONDS = 1;
/** Sending may take this much longer than the same number of messages sent straight to SMTP. */
const TARGET_SEND_RATIO = 1.5;
/** The portal's workers look for new jobs this often when their queue is empty (db/jobs.ts). */
const POLLING_SECONDS = 2;

type Smtp = Awaited<ReturnType<typeof startCountingSmtp>>;
type Run = {
  database: string;
  queueSeconds: number;
  alerts: number;
  sent: number;
  sendSeconds: number;
  baselineBefore: number;
  baselineAfter: number;
  webhookSeconds: number;
  webhookBaseline: number;
  delivered: number;
  duplicates: number;
};

/**
 * Part "publishing": an item is published that matches 1,000 saved searches with immediate alerts
 * (2,000 searches in all), 100 of them with a webhook. Timed: the announcing job (announcement,
 * matching, one alert row per search, webhook deliveries and their jobs, queuing the send); then
 * sending every e-mail through a real SMTP server while a "webhooks.deliver" worker, as the
 * portal runs it, posts every delivery to a real HTTP receiver that checks its signature. Against
 * baselines measured in the same run: the same number of messages handed to the same mailer
 * straight, and as many signed POSTs straight to the same receiver. On PGlite, and on PostgreSQL
 * when its server is installed.
 */
export async function publishingPart(log: (line: string) => void): Promise<PartReport> {
  const started = new Date();
  const loadBefore = loadAverage();
  const smtp = await startCountingSmtp();
  const runs: Run[] = [];
  try {
    runs.push(await measureOn("embedded PGlite (the default)", undefined, smtp, log));
    const cluster = await startCluster("publishing");
    if (cluster) {
      try {
        runs.push(await measureOn("PostgreSQL 15 (throwaway cluster, fsync off)", cluster.url, smtp, log));
      } finally {
        cluster.stop();
      }
    } else log("PostgreSQL server binaries not found: PGlite only");
  } finally {
    await smtp.close();
  }

  const rows = runs.flatMap((r) => {
    const baselineSeconds = (r.baselineBefore + r.baselineAfter) / 2;
    const ratio = r.sendSeconds / baselineSeconds;
    return [
      [
        r.database,
        `announce: ${r.alerts} alerts and ${WEBHOOKS} webhook deliveries queued (one matching statement)`,
        seconds(r.queueSeconds, 3),
        `< ${TARGET_QUEUE_SECONDS} s`,
        verdict(r.queueSeconds < TARGET_QUEUE_SECONDS && r.alerts === MATCHING),
      ],
      [
        r.database,
        `send: ${r.sent} e-mails (8 at once), while the webhooks go`,
        seconds(r.sendSeconds),
        `< ${TARGET_SEND_RATIO} × baseline (${ratio.toFixed(2)} ×)`,
        verdict(r.sent === MATCHING && ratio < TARGET_SEND_RATIO),
      ],
      [
        r.database,
        `baseline: ${MATCHING} messages straight to the same SMTP server, 8 at once (mean of before and after: ${seconds(r.baselineBefore)}, ${seconds(r.baselineAfter)})`,
        seconds(baselineSeconds),
        "—",
        "—",
      ],
      [
        r.database,
        `webhooks: ${r.delivered} of ${WEBHOOKS} deliveries arrived signed, ${r.duplicates} twice (from the announce's start; one worker, as the portal runs it)`,
        seconds(r.webhookSeconds),
        `all, once each, < ${POLLING_SECONDS} s polling + ${WEBHOOKS} × 2 × baseline's pace`,
        verdict(
          r.delivered === WEBHOOKS &&
            r.duplicates === 0 &&
            r.webhookSeconds < POLLING_SECONDS + 2 * r.webhookBaseline + r.queueSeconds,
        ),
      ],
      [
        r.database,
        `baseline: ${WEBHOOKS} signed POSTs straight to the same receiver, one after another`,
        seconds(r.webhookBaseline),
        "—",
        "—",
      ],
    ];
  });
  const body = [
    runContext(machine(), started, loadBefore),
    "",
    `One published item matching ${MATCHING} of ${MATCHING * 2} saved searches, each with an e-mail at once, ${WEBHOOKS} of them with a webhook; a real SMTP server on loopback that counts messages and a real HTTP receiver on loopback (node:http, WEBHOOKS_ALLOW_PRIVATE=1) that checks each signature and counts deliveries by their id.`,
    "",
    table(["database", "step", "time", "target", "verdict"], rows),
  ].join("\n");
  return { id: "publishing", title: "Publishing: alerts for 1,000 saved searches and 100 webhooks", body };
}

async function measureOn(
  database: string,
  databaseUrl: string | undefined,
  smtp: Smtp,
  log: (line: string) => void,
): Promise<Run> {
  const receiver = await startWebhookReceiver();
  const dataDir = await newDataDir("publishing");
  const config = loadConfig({
    ...portalEnv(dataDir, 0, databaseUrl),
    SMTP_URL: smtp.url,
    PUBLIC_URL: "http://pressroom.bench",
    WEBHOOKS_ALLOW_PRIVATE: "1",
  });
  const quiet = pino({ level: "silent" });
  const services = await openServices(config, quiet);
  const { deps } = services;
  const receivedBefore = smtp.received();
  try {
    log(`${database}: saving ${MATCHING * 2} searches for ${MATCHING} users, ${WEBHOOKS} webhooks`);
    const users = await seedUsers(deps.db, MATCHING);
    for (const [i, userId] of users.entries()) {
      const { search } = await saveSearch(deps, userId, {
        name: `Harbours ${i}`,
        query: "harbour OR port",
        alert: "immediate",
      });
      await saveSearch(deps, userId, { name: `Glaciers ${i}`, query: "glacier", alert: "immediate" });
      if (i < WEBHOOKS) {
        const url = receiver.address(`desk-${i}`);
        const { secret } = await createWebhook(deps, userId, { url, savedSearch: search.id });
        receiver.trust(`desk-${i}`, secret);
      }
    }
    // What an editor's publish leaves: a published item (the catalogue's triggers index it).
    await deps.db.query(
      `INSERT INTO media_items (media_type, kind, title_en, title_fr, description_en, published_at, status,
         progress, created_at, updated_at)
       VALUES ('video', 'press-conference', 'The harbour reopens', 'Le port rouvre', 'Ships are back.', $1,
         'ready', 100, $1, $1)`,
      [deps.now()],
    );

    // The SMTP connections and the mail code warmed up first, for the send and its baseline alike.
    await straightToSmtp(deps.mailer, 16, "warm-up");
    const baselineBefore = await straightToSmtp(deps.mailer, MATCHING, "before");
    const webhookBaseline = await straightToReceiver(receiver);

    // The portal's worker for webhook deliveries, waiting for jobs as it does in a portal process.
    const worker = workQueue(services.runtime.boss, "webhooks.deliver", deliverWebhookJob(deps), {
      db: deps.db,
      log: quiet,
      leaseSeconds: config.jobs.leaseSeconds,
      pollingIntervalSeconds: POLLING_SECONDS,
    });
    let queueSeconds: number;
    let alerts: number;
    let sent: number;
    let sendSeconds: number;
    let webhookSeconds: number;
    try {
      const t0 = performance.now();
      const hooksArrived = receiver
        .waitFor(receiver.delivered() + WEBHOOKS)
        .then(() => (performance.now() - t0) / 1000);
      const announced = await announceAvailableItems(deps);
      queueSeconds = (performance.now() - t0) / 1000;
      alerts = announced.alerts;
      log(`${database}: ${alerts} alerts and the webhook deliveries queued in ${seconds(queueSeconds, 3)}`);

      const t1 = performance.now();
      sent = (await sendImmediateAlerts(deps)).sent;
      sendSeconds = (performance.now() - t1) / 1000;
      log(`${database}: sent ${sent} alert e-mails in ${seconds(sendSeconds)}`);
      webhookSeconds = await hooksArrived;
      log(`${database}: the ${WEBHOOKS} webhook deliveries arrived in ${seconds(webhookSeconds)}`);
    } finally {
      await worker.stop();
    }

    // Measured before and after the send: the machine's load moves, the mean is the reference.
    const baselineAfter = await straightToSmtp(deps.mailer, MATCHING, "after");
    const mails = smtp.received() - receivedBefore;
    if (mails !== 16 + 3 * MATCHING) throw new Error(`the SMTP server got ${mails} messages`);
    if (receiver.badSignatures() > 0)
      throw new Error(`${receiver.badSignatures()} deliveries were badly signed`);
    return {
      database,
      queueSeconds,
      alerts,
      sent,
      sendSeconds,
      baselineBefore,
      baselineAfter,
      webhookSeconds,
      webhookBaseline,
      // The baseline's own POSTs are not deliveries of the item.
      delivered: receiver.delivered() - WEBHOOKS,
      duplicates: receiver.duplicates(),
    };
  } finally {
    await services.close();
    await receiver.close();
    await removeDataDir(dataDir);
  }
}

/** Seconds to hand `count` messages of an alert's size to the mailer, 8 at once (as the send does). */
async function straightToSmtp(mailer: Mailer, count: number, label: string): Promise<number> {
  const message = { subject: "Baseline", text: "x".repeat(1500), html: `<p>${"x".repeat(3000)}</p>` };
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        next += 1;
        await mailer.send(`baseline-${label}-${next}@example.org`, message);
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

/** Seconds for `WEBHOOKS` signed POSTs of a ninjs document's size, one after another (as one worker sends). */
async function straightToReceiver(receiver: WebhookReceiver): Promise<number> {
  const secret = "whsec_baseline";
  receiver.trust("baseline", secret);
  const url = new URL(receiver.address("baseline"));
  const body = JSON.stringify({ baseline: "x".repeat(3000) });
  const t0 = performance.now();
  for (let i = 0; i < WEBHOOKS; i++) {
    const options = { secret, deliveryId: `baseline-${i}`, now: new Date(), timeoutMs: 10_000 };
    const result = await postSigned(url, body, { ...options, allowPrivate: true });
    if (!("statusCode" in result) || result.statusCode !== 204)
      throw new Error("the receiver refused the baseline");
  }
  return (performance.now() - t0) / 1000;
}

async function seedUsers(db: Database, count: number): Promise<number[]> {
  const now = new Date();
  const rows = await db.query<{ id: number }>(
    `INSERT INTO users (email, password_hash, name, organisation, country, language, role, terms_accepted_at,
       email_verified_at, created_at, updated_at)
     SELECT 'alerts-' || g || '@example.org', 'not-a-real-hash', 'Desk ' || g, 'Bench Broadcasting', 'BE',
       CASE WHEN g % 2 = 0 THEN 'fr' ELSE 'en' END, 'media', $2, $2, $2, $2
     FROM generate_series(1, $1::int) g RETURNING id`,
    [count, now],
  );
  return rows.map((r) => r.id);
}
