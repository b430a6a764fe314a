import { performance } from "node:perf_hooks";
import pino from "pino";
import { announceAvailableItems } from "../../src/alerts/announce.ts";
import { saveSearch } from "../../src/alerts/saved-searches.ts";
import { sendImmediateAlerts } from "../../src/alerts/sending.ts";
import { openServices } from "../../src/app/services.ts";
import { loadConfig } from "../../src/core/config.ts";
import type { Mailer } from "../../src/core/mailer.ts";
import type { Database } from "../../src/db/database.ts";
import { loadAverage, machine } from "../lib/machine.ts";
import { newDataDir, portalEnv, removeDataDir } from "../lib/portal.ts";
import { type PartReport, runContext } from "../lib/results.ts";
import { startCountingSmtp } from "../lib/smtp.ts";
import { seconds, table, verdict } from "../lib/stats.ts";

/** Saved searches the published item matches (each with an e-mail at once), and as many it does not. */
const MATCHING = 1000;
const TARGET_QUEUE_SECONDS = 1;
/** Sending may take this much longer than the same number of messages sent straight to SMTP. */
const TARGET_SEND_RATIO = 1.5;

/**
 * Part "publishing": an item is published that matches 1,000 saved searches with immediate alerts
 * (2,000 searches in all). Timed: the announcing job (announcement, matching, one alert row per
 * search, webhook deliveries, queuing the send) and then sending every e-mail through a real SMTP
 * server, against a baseline measured in the same run: the same number of messages handed to the
 * same mailer straight, with as many at once (the SMTP server's own pace).
 */
export async function publishingPart(log: (line: string) => void): Promise<PartReport> {
  const started = new Date();
  const loadBefore = loadAverage();
  const smtp = await startCountingSmtp();
  const dataDir = await newDataDir("publishing");
  const config = loadConfig({
    ...portalEnv(dataDir, 0),
    SMTP_URL: smtp.url,
    PUBLIC_URL: "http://pressroom.bench",
  });
  const services = await openServices(config, pino({ level: "silent" }));
  const { deps } = services;
  try {
    log(`saving ${MATCHING * 2} searches for ${MATCHING} users`);
    const users = await seedUsers(deps.db, MATCHING);
    for (const [i, userId] of users.entries()) {
      await saveSearch(deps, userId, { name: `Harbours ${i}`, query: "harbour OR port", alert: "immediate" });
      await saveSearch(deps, userId, { name: `Glaciers ${i}`, query: "glacier", alert: "immediate" });
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

    let t0 = performance.now();
    const announced = await announceAvailableItems(deps);
    const queueSeconds = (performance.now() - t0) / 1000;
    log(`announced: ${announced.alerts} alerts queued in ${seconds(queueSeconds, 3)}`);

    t0 = performance.now();
    const { sent } = await sendImmediateAlerts(deps);
    const sendSeconds = (performance.now() - t0) / 1000;
    log(`sent ${sent} alert e-mails in ${seconds(sendSeconds)}`);

    // Measured before and after the send: the machine's load moves, the mean is the reference.
    const baselineAfter = await straightToSmtp(deps.mailer, MATCHING, "after");
    const baselineSeconds = (baselineBefore + baselineAfter) / 2;
    log(
      `baseline: ${MATCHING} messages straight to SMTP in ${seconds(baselineBefore)} and ${seconds(baselineAfter)}`,
    );
    if (smtp.received() !== 16 + 3 * MATCHING)
      throw new Error(`the SMTP server got ${smtp.received()} messages`);

    const ratio = sendSeconds / baselineSeconds;
    const body = [
      runContext(machine(), started, loadBefore),
      "",
      `One published item matching ${MATCHING} of ${MATCHING * 2} saved searches, each with an e-mail at once; embedded database (PGlite); a real SMTP server on loopback that counts messages.`,
      "",
      table(
        ["step", "time", "target", "verdict"],
        [
          [
            `announce: ${announced.alerts} alerts queued (one matching statement)`,
            seconds(queueSeconds, 3),
            `< ${TARGET_QUEUE_SECONDS} s`,
            verdict(queueSeconds < TARGET_QUEUE_SECONDS && announced.alerts === MATCHING),
          ],
          [
            `send: ${sent} e-mails (8 at once)`,
            seconds(sendSeconds),
            `< ${TARGET_SEND_RATIO} × baseline`,
            verdict(sent === MATCHING && ratio < TARGET_SEND_RATIO),
          ],
          [
            `baseline: ${MATCHING} messages straight to the same SMTP server, 8 at once (mean of before and after: ${seconds(baselineBefore)}, ${seconds(baselineAfter)})`,
            seconds(baselineSeconds),
            "—",
            "—",
          ],
        ],
      ),
    ].join("\n");
    return { id: "publishing", title: "Publishing: alerts for 1,000 saved searches", body };
  } finally {
    await services.close();
    await smtp.close();
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
