import { dateOrNull, numberOrNull, stringOrNull } from "../db/columns.ts";
import type { Queryable } from "../db/database.ts";
import type { Lang } from "../web/i18n.ts";

/**
 * Tables webhooks and webhook_deliveries (014_webhooks.sql): SQL and row mapping, nothing else.
 * The saved search's name is read from saved_searches (store.ts owns it), the owner's language
 * from users (accounts owns it).
 */

export type Webhook = {
  id: number;
  userId: number;
  url: string;
  savedSearch: { id: number; name: string } | null;
  createdAt: Date;
};

export type DeliveryStatus = "pending" | "delivered" | "failed";

export type Delivery = {
  id: string;
  webhookId: number;
  /** Null for a test. */
  itemId: number | null;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
};

function toWebhook(row: Record<string, unknown>): Webhook {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    url: String(row.url),
    savedSearch:
      row.saved_search_id === null
        ? null
        : { id: Number(row.saved_search_id), name: String(row.search_name ?? "") },
    createdAt: new Date(row.created_at as string | Date),
  };
}

function toDelivery(row: Record<string, unknown>): Delivery {
  return {
    id: String(row.id),
    webhookId: Number(row.webhook_id),
    itemId: numberOrNull(row.item_id),
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    lastStatusCode: numberOrNull(row.last_status_code),
    lastError: stringOrNull(row.last_error),
    nextAttemptAt: dateOrNull(row.next_attempt_at),
    createdAt: new Date(row.created_at as string | Date),
    deliveredAt: dateOrNull(row.delivered_at),
  };
}

const webhookColumns = "w.id, w.user_id, w.url, w.saved_search_id, s.name AS search_name, w.created_at";
const webhookFrom = "webhooks w LEFT JOIN saved_searches s ON s.id = w.saved_search_id";

export async function insertWebhook(
  db: Queryable,
  hook: { userId: number; url: string; savedSearchId: number | null; secret: string },
  now: Date,
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO webhooks (user_id, url, saved_search_id, secret, created_at)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [hook.userId, hook.url, hook.savedSearchId, hook.secret, now],
  );
  return Number(row!.id);
}

export async function listWebhooks(db: Queryable, userId: number): Promise<Webhook[]> {
  const rows = await db.query(
    `SELECT ${webhookColumns} FROM ${webhookFrom} WHERE w.user_id = $1 ORDER BY w.id`,
    [userId],
  );
  return rows.map(toWebhook);
}

export async function findWebhook(db: Queryable, userId: number, id: number): Promise<Webhook | null> {
  const [row] = await db.query(
    `SELECT ${webhookColumns} FROM ${webhookFrom} WHERE w.user_id = $1 AND w.id = $2`,
    [userId, id],
  );
  return row ? toWebhook(row) : null;
}

export async function deleteWebhook(db: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await db.query("DELETE FROM webhooks WHERE user_id = $1 AND id = $2 RETURNING id", [
    userId,
    id,
  ]);
  return rows.length > 0;
}

/** Whether saved search `id` is `userId`'s: a webhook follows only its owner's searches. */
export async function ownsSavedSearch(db: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM saved_searches WHERE id = $1 AND user_id = $2", [id, userId]);
  return rows.length > 0;
}

/**
 * For each of `itemIds`, one delivery per webhook for everything or for a saved search the item
 * matched (`matched`: pairs of item and search), at most one per (webhook, item) whatever calls
 * this twice. One statement for a whole batch. Returns the new deliveries' ids.
 */
export async function insertItemDeliveries(
  db: Queryable,
  itemIds: number[],
  matched: { itemId: number; searchId: number }[],
  now: Date,
): Promise<string[]> {
  if (itemIds.length === 0) return [];
  const rows = await db.query<{ id: string }>(
    `INSERT INTO webhook_deliveries (id, webhook_id, item_id, created_at)
     SELECT gen_random_uuid(), w.id, i.item_id, $4
     FROM unnest($1::int[]) AS i (item_id) CROSS JOIN webhooks w
     WHERE w.saved_search_id IS NULL
        OR EXISTS (SELECT 1 FROM unnest($2::int[], $3::int[]) AS m (item_id, search_id)
                   WHERE m.item_id = i.item_id AND m.search_id = w.saved_search_id)
     ON CONFLICT (webhook_id, item_id) DO NOTHING
     RETURNING id::text AS id`,
    [itemIds, matched.map((m) => m.itemId), matched.map((m) => m.searchId), now],
  );
  return rows.map((r) => r.id);
}

export async function insertTestDelivery(db: Queryable, webhookId: number, now: Date): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO webhook_deliveries (id, webhook_id, item_id, created_at)
     VALUES (gen_random_uuid(), $1, NULL, $2) RETURNING id::text AS id`,
    [webhookId, now],
  );
  return row!.id;
}

/** The most recent deliveries of each of `webhookIds`, newest first. */
export async function recentDeliveries(
  db: Queryable,
  webhookIds: number[],
  perWebhook: number,
): Promise<Delivery[]> {
  if (webhookIds.length === 0) return [];
  const rows = await db.query(
    `SELECT * FROM (
       SELECT d.*, row_number() OVER (PARTITION BY d.webhook_id ORDER BY d.created_at DESC, d.id) AS n
       FROM webhook_deliveries d WHERE d.webhook_id = ANY($1::int[])
     ) x WHERE n <= $2 ORDER BY created_at DESC, id`,
    [webhookIds, perWebhook],
  );
  return rows.map(toDelivery);
}

export async function findDelivery(
  db: Queryable,
  id: string,
): Promise<(Delivery & { claimedUntil: Date | null }) | null> {
  const [row] = await db.query("SELECT * FROM webhook_deliveries WHERE id = $1::uuid", [id]);
  return row ? { ...toDelivery(row), claimedUntil: dateOrNull(row.claimed_until) } : null;
}

/** A delivery a worker holds for one try, with what it needs to send. */
export type ClaimedDelivery = Delivery & {
  url: string;
  secret: string;
  language: Lang;
  firstAttemptAt: Date;
};

/**
 * Takes the delivery for one try, when it is pending, due and not held by another live try.
 * Counts the try now: one cut short by a crash may have reached the receiver.
 */
export async function claimDelivery(
  db: Queryable,
  id: string,
  now: Date,
  until: Date,
): Promise<ClaimedDelivery | null> {
  const [row] = await db.query(
    `UPDATE webhook_deliveries d SET claimed_until = $3, attempts = d.attempts + 1,
       first_attempt_at = COALESCE(d.first_attempt_at, $2)
     FROM webhooks w JOIN users u ON u.id = w.user_id
     WHERE d.id = $1::uuid AND w.id = d.webhook_id AND d.status = 'pending'
       AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= $2)
       AND (d.claimed_until IS NULL OR d.claimed_until <= $2)
     RETURNING d.*, w.url, w.secret, u.language`,
    [id, now, until],
  );
  if (!row) return null;
  return {
    ...toDelivery(row),
    url: String(row.url),
    secret: String(row.secret),
    language: row.language === "fr" ? "fr" : "en",
    firstAttemptAt: new Date(row.first_attempt_at as string | Date),
  };
}

/** The outcome of a try: delivered, another try at `next`, or failed (`next` null). */
export async function recordTry(
  db: Queryable,
  id: string,
  outcome: {
    status: DeliveryStatus;
    code: number | null;
    error: string | null;
    next: Date | null;
    now: Date;
  },
): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET status = $2, last_status_code = $3, last_error = $4, next_attempt_at = $5,
       claimed_until = NULL, delivered_at = CASE WHEN $2 = 'delivered' THEN $6::timestamptz ELSE delivered_at END
     -- A try never undoes another's success (a claim that lapsed under a very slow receiver).
     WHERE id = $1::uuid AND status = 'pending'`,
    [id, outcome.status, outcome.code, outcome.error, outcome.next, outcome.now],
  );
}
