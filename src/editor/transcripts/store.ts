import type { TranscriptSegment } from "../../catalogue/types.ts";
import type { Queryable } from "../../db/database.ts";
import type { Lang } from "../../web/i18n.ts";

type SegmentRow = {
  position: number;
  start_seconds: number | null;
  end_seconds: number | null;
  speaker: string;
  questioner_outlet: string;
  is_question: boolean;
  lang: Lang;
  text: string;
};

export async function transcriptSegments(db: Queryable, itemId: number): Promise<TranscriptSegment[]> {
  const rows = await db.query<SegmentRow>(
    `SELECT position, start_seconds, end_seconds, speaker, questioner_outlet, is_question, lang, text
     FROM transcript_segments WHERE media_item_id = $1 ORDER BY position`,
    [itemId],
  );
  return rows.map((row) => ({
    position: row.position,
    startSeconds: row.start_seconds === null ? null : Number(row.start_seconds),
    endSeconds: row.end_seconds === null ? null : Number(row.end_seconds),
    speaker: row.speaker,
    questionerOutlet: row.questioner_outlet,
    isQuestion: row.is_question,
    lang: row.lang,
    text: row.text,
  }));
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
