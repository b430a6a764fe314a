import type { Database, Queryable } from "../db/database.ts";
import { toSegment } from "./rows.ts";
import type { TranscriptSegment } from "./types.ts";

/** Table transcript_segments: an item's transcript, sentence by sentence, in order. */

export async function transcriptOf(db: Queryable, itemId: number): Promise<TranscriptSegment[]> {
  const rows = await db.query(
    `SELECT position, start_seconds, end_seconds, speaker, questioner_outlet, is_question, lang, text
     FROM transcript_segments WHERE media_item_id = $1 ORDER BY position`,
    [itemId],
  );
  return rows.map(toSegment);
}

export async function countSegments(db: Queryable, itemId: number): Promise<number> {
  const rows = await db.query<{ n: number | string }>(
    "SELECT count(*) AS n FROM transcript_segments WHERE media_item_id = $1",
    [itemId],
  );
  return Number(rows[0]?.n ?? 0);
}

/** New start and end times for the segments at these positions, in one statement. */
export async function setSegmentTimes(
  db: Queryable,
  itemId: number,
  times: { position: number; start: number | null; end: number | null }[],
): Promise<void> {
  await db.query(
    `UPDATE transcript_segments s SET start_seconds = t.start_seconds, end_seconds = t.end_seconds
     FROM unnest($2::int[], $3::float8[], $4::float8[]) AS t(position, start_seconds, end_seconds)
     WHERE s.media_item_id = $1 AND s.position = t.position`,
    [itemId, times.map((t) => t.position), times.map((t) => t.start), times.map((t) => t.end)],
  );
}

/**
 * Stores an item's transcript, replacing the one it had, in one transaction: readers see the
 * old transcript or the new one, never half of each.
 */
export async function replaceTranscript(
  db: Database,
  itemId: number,
  segments: TranscriptSegment[],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("DELETE FROM transcript_segments WHERE media_item_id = $1", [itemId]);
    if (segments.length === 0) return;
    // One statement for the whole transcript: an hour of cues is a thousand rows.
    await tx.query(
      `INSERT INTO transcript_segments (media_item_id, position, start_seconds, end_seconds, speaker,
         questioner_outlet, is_question, lang, text)
       SELECT $1, * FROM unnest($2::int[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::bool[],
         $8::text[], $9::text[])`,
      [
        itemId,
        segments.map((s) => s.position),
        segments.map((s) => s.startSeconds),
        segments.map((s) => s.endSeconds),
        segments.map((s) => s.speaker),
        segments.map((s) => s.questionerOutlet),
        segments.map((s) => s.isQuestion),
        segments.map((s) => s.lang),
        segments.map((s) => s.text),
      ],
    );
  });
}
