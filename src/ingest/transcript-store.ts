import type { TranscriptSegment } from "../catalogue/types.ts";
import type { Database } from "../db/database.ts";

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
