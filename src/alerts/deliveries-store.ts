import type { Queryable } from "../db/database.ts";
import type { Lang } from "../web/i18n.ts";

/**
 * Tables item_announcements, alert_deliveries and alert_digests: SQL and row mapping, nothing
 * else. The owners' addresses, names and languages are read from users (owned by accounts).
 */

/**
 * Claims up to `limit` items available now (published and past any embargo) that were never
 * announced, oldest first, by recording their announcement: one statement. An item another run
 * claimed first is not returned (the conflict waits for that run's commit, then skips it).
 */
export async function claimAnnouncements(db: Queryable, now: Date, limit: number): Promise<number[]> {
  const rows = await db.query<{ item_id: number }>(
    `INSERT INTO item_announcements (item_id, announced_at)
     SELECT d.item_id, $1 FROM search_documents d
     WHERE d.published_at <= $1 AND (d.embargo_until IS NULL OR d.embargo_until <= $1)
       AND NOT EXISTS (SELECT 1 FROM item_announcements a WHERE a.item_id = d.item_id)
     ORDER BY d.available_at, d.item_id
     LIMIT $2
     ON CONFLICT DO NOTHING
     RETURNING item_id`,
    [now, limit],
  );
  return rows.map((r) => Number(r.item_id));
}

export type AlertMatch = { itemId: number; searchId: number; alert: "immediate" | "daily" };

/** One row per (search, item), whatever runs twice: one statement for a whole batch. */
export async function insertDeliveries(db: Queryable, matches: AlertMatch[], now: Date): Promise<void> {
  if (matches.length === 0) return;
  await db.query(
    `INSERT INTO alert_deliveries (saved_search_id, item_id, alert, created_at)
     SELECT m.search_id, m.item_id, m.alert, $4
     FROM unnest($1::int[], $2::int[], $3::text[]) AS m (search_id, item_id, alert)
     ON CONFLICT (saved_search_id, item_id) DO NOTHING`,
    [matches.map((m) => m.searchId), matches.map((m) => m.itemId), matches.map((m) => m.alert), now],
  );
}

export type Recipient = { userId: number; email: string; name: string; language: Lang };

export type PendingAlert = Recipient & {
  deliveryId: number;
  searchId: number;
  searchName: string;
  itemId: number;
  /** The search's alert now: a message for a search whose alert was turned off is not sent. */
  alert: string;
};

const recipientColumns = "u.id AS user_id, u.email, u.name, u.language";

function toRecipient(row: Record<string, unknown>): Recipient {
  return {
    userId: Number(row.user_id),
    email: String(row.email),
    name: String(row.name),
    language: row.language === "fr" ? "fr" : "en",
  };
}

/** Immediate alerts not yet sent, in the order they were made. */
export async function pendingImmediate(
  db: Queryable,
  afterId: number,
  limit: number,
): Promise<PendingAlert[]> {
  const rows = await db.query(
    `SELECT a.id AS delivery_id, a.item_id, s.id AS search_id, s.name AS search_name, s.alert, ${recipientColumns}
     FROM alert_deliveries a JOIN saved_searches s ON s.id = a.saved_search_id JOIN users u ON u.id = s.user_id
     WHERE a.alert = 'immediate' AND a.sent_at IS NULL AND a.id > $1
     ORDER BY a.id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((r) => ({
    ...toRecipient(r),
    deliveryId: Number(r.delivery_id),
    searchId: Number(r.search_id),
    searchName: String(r.search_name),
    itemId: Number(r.item_id),
    alert: String(r.alert),
  }));
}

export async function hasPendingImmediate(db: Queryable): Promise<boolean> {
  const rows = await db.query(
    "SELECT 1 FROM alert_deliveries WHERE alert = 'immediate' AND sent_at IS NULL LIMIT 1",
  );
  return rows.length > 0;
}

/** Marks deliveries done: sent, or skipped because their alert was turned off. */
export async function markDelivered(db: Queryable, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.query("UPDATE alert_deliveries SET sent_at = $2 WHERE id = ANY($1::int[]) AND sent_at IS NULL", [
    ids,
    now,
  ]);
}

/**
 * The day's digests: for every user with daily alerts made before `cutoff` and not yet in a
 * digest, a digest row for (user, day), and those alerts put in it. Idempotent: a run that died
 * finds its digest rows again (digestsToSend).
 */
export async function prepareDigests(db: Queryable, day: string, cutoff: Date, now: Date): Promise<void> {
  await db.query(
    `WITH due AS (
       SELECT DISTINCT s.user_id FROM alert_deliveries a JOIN saved_searches s ON s.id = a.saved_search_id
       WHERE a.alert = 'daily' AND a.sent_at IS NULL AND a.digest_id IS NULL AND a.created_at < $2
     )
     INSERT INTO alert_digests (user_id, day, created_at) SELECT user_id, $1::date, $3 FROM due
     ON CONFLICT (user_id, day) DO NOTHING`,
    [day, cutoff, now],
  );
  await db.query(
    `UPDATE alert_deliveries a SET digest_id = g.id
     FROM saved_searches s, alert_digests g
     WHERE s.id = a.saved_search_id AND g.user_id = s.user_id AND g.day = $1::date AND g.sent_at IS NULL
       AND a.alert = 'daily' AND a.sent_at IS NULL AND a.digest_id IS NULL AND a.created_at < $2`,
    [day, cutoff],
  );
}

export type DigestEntry = {
  deliveryId: number;
  searchId: number;
  searchName: string;
  itemId: number;
  alert: string;
};
export type Digest = Recipient & { digestId: number; entries: DigestEntry[] };

/** The day's digests not yet sent, with what each holds. */
export async function digestsToSend(
  db: Queryable,
  day: string,
  afterId: number,
  limit: number,
): Promise<Digest[]> {
  const rows = await db.query(
    `SELECT g.id AS digest_id, ${recipientColumns},
       coalesce(json_agg(json_build_object('deliveryId', a.id, 'searchId', s.id, 'searchName', s.name,
         'itemId', a.item_id, 'alert', s.alert) ORDER BY s.id, a.id) FILTER (WHERE a.id IS NOT NULL), '[]') AS entries
     FROM alert_digests g JOIN users u ON u.id = g.user_id
     LEFT JOIN alert_deliveries a ON a.digest_id = g.id
     LEFT JOIN saved_searches s ON s.id = a.saved_search_id
     WHERE g.day = $1::date AND g.sent_at IS NULL AND g.id > $2
     GROUP BY g.id, u.id ORDER BY g.id LIMIT $3`,
    [day, afterId, limit],
  );
  return rows.map((r) => ({
    ...toRecipient(r),
    digestId: Number(r.digest_id),
    entries: (typeof r.entries === "string" ? JSON.parse(r.entries) : r.entries) as DigestEntry[],
  }));
}

/** The digest and what it holds are done, in one statement. */
export async function markDigestSent(db: Queryable, digestId: number, now: Date): Promise<void> {
  await db.query(
    `WITH d AS (UPDATE alert_digests SET sent_at = $2 WHERE id = $1 RETURNING id)
     UPDATE alert_deliveries SET sent_at = $2 WHERE digest_id IN (SELECT id FROM d) AND sent_at IS NULL`,
    [digestId, now],
  );
}
