import { setImmediate as nextTurn } from "node:timers/promises";
import type { FeatureDeps } from "../core/deps.ts";
import {
  type AlertMatch,
  claimAnnouncements,
  hasPendingImmediate,
  insertDeliveries,
} from "./deliveries-store.ts";
import { matchingSavedSearches } from "./store.ts";
import { queueWebhookDeliveries } from "./webhooks-queue.ts";

/**
 * The "alerts.announce" job: every item that became available (published, and past any embargo)
 * and was never announced is announced once. A batch of items at a time, in one transaction of
 * four statements whatever the batch's size or the number of saved searches and webhooks: the
 * batch's announcements, the (item, saved search) pairs that match, one alert row per pair whose
 * search asked for e-mails, and the webhook deliveries with their jobs. Nothing is announced
 * before its embargo lifts: the job runs every 30 s (jobs.ts's ticker) and right after a publish.
 * Then the e-mails are queued: "alerts.send" sends the immediate ones, "alerts.digest" the
 * daily ones at 07:00 UTC.
 *
 * Between batches the job gives the event loop a turn. The embedded database runs in this
 * thread: a chain of statements would otherwise hold off every request until the last batch of
 * a large import (50,000 items once froze the portal for minutes).
 */

const BATCH = 200;

export async function announceAvailableItems(
  deps: Pick<FeatureDeps, "db" | "now" | "jobs" | "config">,
  signal?: AbortSignal,
): Promise<{ announced: number; alerts: number }> {
  let announced = 0;
  let alerts = 0;
  let webhooks = 0;
  for (;;) {
    signal?.throwIfAborted();
    const now = deps.now();
    const made = await deps.db.transaction(async (tx) => {
      const itemIds = await claimAnnouncements(tx, now, BATCH);
      const matched = await matchingSavedSearches(tx, itemIds, now);
      const mailed = matched.flatMap((m): AlertMatch[] =>
        m.alert === "none" ? [] : [{ ...m, alert: m.alert }],
      );
      await insertDeliveries(tx, mailed, now);
      const leaseSeconds = deps.config.jobs.leaseSeconds;
      const deliveries = await queueWebhookDeliveries(tx, itemIds, matched, { now, leaseSeconds });
      return { items: itemIds.length, alerts: mailed.length, deliveries };
    });
    announced += made.items;
    alerts += made.alerts;
    webhooks += made.deliveries;
    if (made.items < BATCH) break;
    await nextTurn();
  }
  // Committed: newsrooms' systems hear of the items now, not at the workers' next look for jobs.
  if (webhooks > 0) deps.jobs.wake("webhooks.deliver");
  // Also when this run made none: a send that was finishing as the last ones came is caught up.
  if (await hasPendingImmediate(deps.db)) await deps.jobs.enqueue("alerts.send", "all");
  return { announced, alerts };
}
