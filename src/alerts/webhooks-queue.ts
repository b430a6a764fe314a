import type { Queryable } from "../db/database.ts";
import { enqueueWithin } from "../db/jobs.ts";
import { insertItemDeliveries } from "./webhooks-store.ts";

/** The job lease when the caller does not say (JOB_LEASE_SECONDS's default). */
const DEFAULT_LEASE_SECONDS = 60;

/**
 * Queues the webhook deliveries of newly available items, inside the announcing transaction
 * (announce.ts): for each item, one per webhook for everything or for a saved search it matched
 * (`matched`), never two for one (webhook, item). Their "webhooks.deliver" jobs are written through the same transaction
 * (db/jobs.ts `enqueueWithin`): rows and jobs exist together if it commits, neither if it rolls
 * back, so a crash right after the commit loses nothing. Returns how many were queued: after the
 * commit, the caller wakes this process's workers for them (db/jobs.ts `wake`).
 * Sending happens in the workers, never in the announcer: publishing is not held up by a receiver.
 * `now` (the feature's clock) stamps the rows; `leaseSeconds` is the jobs' lease (config.jobs).
 */
export async function queueWebhookDeliveries(
  db: Queryable,
  itemIds: number[],
  matched: { itemId: number; searchId: number }[],
  options: { now?: Date; leaseSeconds?: number } = {},
): Promise<number> {
  const ids = await insertItemDeliveries(db, itemIds, matched, options.now ?? new Date());
  await enqueueWithin(db, "webhooks.deliver", ids, {
    leaseSeconds: options.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
  });
  return ids.length;
}
