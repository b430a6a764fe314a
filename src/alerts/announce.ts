import type { FeatureDeps } from "../core/deps.ts";
import {
  hasPendingImmediate,
  insertAnnouncement,
  insertDeliveries,
  unannouncedItems,
} from "./deliveries-store.ts";
import { matchingSavedSearches } from "./store.ts";
import { queueWebhookDeliveries } from "./webhooks-queue.ts";

/**
 * The "alerts.announce" job: every item that became available (published, and past any embargo)
 * and was never announced is announced once. For each, in one transaction: its announcement,
 * the saved searches it matches (one statement, however many there are), one alert row per
 * search that asked for e-mails, and its webhook deliveries. Nothing is announced before its
 * embargo lifts: the job runs every 30 s (jobs.ts's ticker) and right after a publish.
 * Then the e-mails are queued: "alerts.send" sends the immediate ones, "alerts.digest" the
 * daily ones at 07:00 UTC.
 */

const BATCH = 100;

export async function announceAvailableItems(
  deps: Pick<FeatureDeps, "db" | "now" | "jobs" | "config">,
  signal?: AbortSignal,
): Promise<{ announced: number; alerts: number }> {
  let announced = 0;
  let alerts = 0;
  for (;;) {
    signal?.throwIfAborted();
    const now = deps.now();
    const ids = await unannouncedItems(deps.db, now, BATCH);
    for (const itemId of ids) {
      const made = await deps.db.transaction(async (tx) => {
        // Another run announced it first: it did the rest too.
        if (!(await insertAnnouncement(tx, itemId, now))) return null;
        const matched = await matchingSavedSearches(tx, itemId, now);
        const mailed = matched.flatMap((s) => (s.alert === "none" ? [] : [{ id: s.id, alert: s.alert }]));
        await insertDeliveries(tx, itemId, mailed, now);
        const searchIds = matched.map((s) => s.id);
        const leaseSeconds = deps.config.jobs.leaseSeconds;
        await queueWebhookDeliveries(tx, itemId, searchIds, { now, leaseSeconds });
        return mailed.length;
      });
      if (made !== null) {
        announced += 1;
        alerts += made;
      }
    }
    if (ids.length < BATCH) break;
  }
  // Also when this run made none: a send that was finishing as the last ones came is caught up.
  if (await hasPendingImmediate(deps.db)) await deps.jobs.enqueue("alerts.send", "all");
  return { announced, alerts };
}
