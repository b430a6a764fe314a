import type { Queryable } from "../db/database.ts";
import {
  eventSummaryColumns,
  itemColumns,
  toDate,
  toEventSummary,
  toItem,
  toMasterView,
  toSegment,
} from "./rows.ts";
import type { TranscriptSegment } from "./types.ts";
import type { ItemCard, MasterView, Renditions, Viewer } from "./views.ts";

/** SQL for media items, nothing else. Every list is one query: renditions come along as JSON. */

const renditionsJson = `(SELECT coalesce(jsonb_object_agg(r.kind, r.storage_key), '{}'::jsonb)
   FROM renditions r WHERE r.media_item_id = m.id) AS renditions`;

const cardSelect = `SELECT ${itemColumns("m")}, ${eventSummaryColumns("e")}, ${renditionsJson}
  FROM media_items m LEFT JOIN events e ON e.id = m.event_id`;

/**
 * Published items for media users; everything for editors. A fixed fragment, not user input:
 * written out rather than `$1 OR ...` so the planner can use the partial index on published items.
 */
export function visibleItems(viewer: Viewer, nowParam: string): string {
  // Editors see everything; the parameter is still named so PostgreSQL can infer its type.
  return viewer.editor
    ? `(${nowParam}::timestamptz IS NOT NULL)`
    : `(m.published_at IS NOT NULL AND m.published_at <= ${nowParam})`;
}

function toCard(row: Record<string, unknown>, now: Date): ItemCard {
  return {
    ...toItem(row),
    event: toEventSummary(row, now),
    renditions: (row.renditions ?? {}) as Renditions,
  };
}

export async function latestItems(
  db: Queryable,
  viewer: Viewer,
  options: { limit: number; offset?: number; mediaType?: string },
): Promise<ItemCard[]> {
  const rows = await db.query(
    `${cardSelect}
     WHERE ${visibleItems(viewer, "$1")} AND ($4::text IS NULL OR m.media_type = $4)
     ORDER BY m.recorded_at DESC NULLS LAST, m.id DESC
     LIMIT $2 OFFSET $3`,
    [viewer.now, options.limit, options.offset ?? 0, options.mediaType ?? null],
  );
  return rows.map((r) => toCard(r, viewer.now));
}

/** Items available now (published and past any embargo), most recently available first: the feeds. */
export async function recentlyAvailableItems(db: Queryable, now: Date, limit: number): Promise<ItemCard[]> {
  const rows = await db.query(
    `${cardSelect}
     WHERE m.published_at <= $1 AND (m.embargo_until IS NULL OR m.embargo_until <= $1)
     ORDER BY greatest(m.published_at, m.embargo_until) DESC, m.id DESC
     LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => toCard(r, now));
}

export async function eventItems(db: Queryable, viewer: Viewer, eventId: number): Promise<ItemCard[]> {
  const rows = await db.query(
    `${cardSelect}
     WHERE m.event_id = $2 AND ${visibleItems(viewer, "$1")}
     ORDER BY m.position, m.id`,
    [viewer.now, eventId],
  );
  return rows.map((r) => toCard(r, viewer.now));
}

/** Cards for items found by id (search results), in no particular order. */
export async function itemCards(db: Queryable, now: Date, ids: number[]): Promise<ItemCard[]> {
  if (ids.length === 0) return [];
  const rows = await db.query(`${cardSelect} WHERE m.id = ANY($1::int[])`, [ids]);
  return rows.map((r) => toCard(r, now));
}

/** One item with its master's probe, whoever asks: the caller applies the access rules. */
export async function itemById(
  db: Queryable,
  now: Date,
  id: number,
): Promise<(ItemCard & { master: MasterView | null }) | null> {
  const [row] = await db.query(
    `SELECT ${itemColumns("m")}, ${eventSummaryColumns("e")}, ${renditionsJson},
       ma.media_item_id AS master_item, ma.probe AS master_probe, ma.audio_labels AS master_audio_labels
     FROM media_items m
     LEFT JOIN events e ON e.id = m.event_id
     LEFT JOIN masters ma ON ma.media_item_id = m.id
     WHERE m.id = $1`,
    [id],
  );
  if (!row) return null;
  const master = row.master_item === null ? null : toMasterView(row.master_probe, row.master_audio_labels);
  return { ...toCard(row, now), master };
}

export async function transcriptOf(db: Queryable, itemId: number): Promise<TranscriptSegment[]> {
  const rows = await db.query(
    `SELECT position, start_seconds, end_seconds, speaker, questioner_outlet, is_question, lang, text
     FROM transcript_segments WHERE media_item_id = $1 ORDER BY position`,
    [itemId],
  );
  return rows.map(toSegment);
}

/** What the media routes need to decide access, in one query (they answer every segment request). */
export async function itemAccess(
  db: Queryable,
  id: number,
): Promise<{ publishedAt: Date | null; embargoUntil: Date | null; renditions: Renditions } | null> {
  const [row] = await db.query(
    `SELECT m.published_at, m.embargo_until, ${renditionsJson} FROM media_items m WHERE m.id = $1`,
    [id],
  );
  if (!row) return null;
  return {
    publishedAt: toDate(row.published_at),
    embargoUntil: toDate(row.embargo_until),
    renditions: (row.renditions ?? {}) as Renditions,
  };
}
