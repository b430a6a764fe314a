import type { Queryable } from "../db/database.ts";
import { toSegment } from "./rows.ts";
import type { TranscriptSegment } from "./types.ts";

/**
 * Table transcript_undo: an item's transcript as it was before its last replacement, so an editor
 * can put it back (migration 019). transcript-store.ts writeTranscript keeps it on every replacement.
 */

/** Keeps the item's current sentences, if it has any, as the one step back. Inside the writer's transaction. */
export async function keepForUndo(tx: Queryable, itemId: number, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO transcript_undo (media_item_id, segments, replaced_at)
     SELECT $1, jsonb_agg(to_jsonb(s) - 'tsv' - 'media_item_id' ORDER BY s.position), $2
     FROM transcript_segments s WHERE s.media_item_id = $1
     HAVING count(*) > 0
     ON CONFLICT (media_item_id) DO UPDATE SET segments = EXCLUDED.segments, replaced_at = EXCLUDED.replaced_at`,
    [itemId, now],
  );
}

/** When the transcript kept for undo was replaced, or null when there is none. */
export async function undoReplacedAt(db: Queryable, itemId: number): Promise<Date | null> {
  const rows = await db.query<{ replaced_at: Date | string }>(
    "SELECT replaced_at FROM transcript_undo WHERE media_item_id = $1",
    [itemId],
  );
  const at = rows[0]?.replaced_at;
  return at === undefined ? null : new Date(at);
}

/** The sentences kept for undo, removed from here (the caller writes them back), or null. */
export async function takeUndo(tx: Queryable, itemId: number): Promise<TranscriptSegment[] | null> {
  const rows = await tx.query<{ segments: unknown }>(
    "DELETE FROM transcript_undo WHERE media_item_id = $1 RETURNING segments",
    [itemId],
  );
  if (rows.length === 0) return null;
  const raw = rows[0]!.segments;
  const list = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, unknown>[];
  return list.map(toSegment);
}
