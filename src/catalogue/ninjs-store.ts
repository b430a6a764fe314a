import { dateOrNull } from "../db/columns.ts";
import type { Queryable } from "../db/database.ts";
import { masterColumns, toMaster } from "./rows.ts";
import type { Master } from "./types.ts";

/**
 * What a ninjs document says beyond the item page's view (ninjs.ts): when the record was made
 * and last changed, and the master as ingest read it (size, container, picture), from which
 * the download renditions are described. SQL and row mapping, nothing else; the caller has
 * applied the access rules (browse.ts) before asking.
 */

export type RecordTimes = { createdAt: Date; updatedAt: Date };

export type ItemFacts = RecordTimes & { master: Master | null };

export async function itemFacts(db: Queryable, itemId: number): Promise<ItemFacts | null> {
  const [row] = await db.query(
    `SELECT i.created_at, i.updated_at, ma.media_item_id AS master_item, ${masterColumns("ma")}
     FROM media_items i LEFT JOIN masters ma ON ma.media_item_id = i.id
     WHERE i.id = $1`,
    [itemId],
  );
  if (!row) return null;
  return {
    createdAt: dateOrNull(row.created_at)!,
    updatedAt: dateOrNull(row.updated_at)!,
    master: row.master_item === null ? null : toMaster(row),
  };
}

export async function eventTimes(db: Queryable, eventId: number): Promise<RecordTimes | null> {
  const [row] = await db.query("SELECT created_at, updated_at FROM events WHERE id = $1", [eventId]);
  return row ? { createdAt: dateOrNull(row.created_at)!, updatedAt: dateOrNull(row.updated_at)! } : null;
}
