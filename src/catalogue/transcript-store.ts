import type { Database, Queryable } from "../db/database.ts";
import type { Lang } from "../web/i18n.ts";
import { headlineOptionsSql, headlineSourceSql, sentenceConfigSql } from "./highlight.ts";
import { toSegment } from "./rows.ts";
import { type ParsedQuery, searchQuerySql } from "./search-query.ts";
import { keepForUndo } from "./transcript-undo-store.ts";
import type { TranscriptSegment } from "./types.ts";

/** Table transcript_segments: an item's transcript, sentence by sentence, in order. */

export async function transcriptOf(db: Queryable, itemId: number): Promise<TranscriptSegment[]> {
  const rows = await db.query(
    `SELECT position, start_seconds, end_seconds, speaker, questioner_outlet, is_question, lang, text,
       spoken_lang, words, timing, confidence
     FROM transcript_segments WHERE media_item_id = $1 ORDER BY position`,
    [itemId],
  );
  return rows.map(toSegment);
}

/** The text of each of an item's segments, in order (the editor counts its sentences from them). */
export async function segmentTexts(db: Queryable, itemId: number): Promise<string[]> {
  const rows = await db.query<{ text: string }>(
    "SELECT text FROM transcript_segments WHERE media_item_id = $1 ORDER BY position",
    [itemId],
  );
  return rows.map((r) => r.text);
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
 * Sentences whose start an editor typed: the aligner's words, review flag and confidence no longer
 * describe them (NULL timing is "timed by hand", migration 010).
 */
export async function markTimedByHand(db: Queryable, itemId: number, positions: number[]): Promise<void> {
  if (positions.length === 0) return;
  await db.query(
    `UPDATE transcript_segments SET timing = NULL, words = NULL, confidence = NULL
     WHERE media_item_id = $1 AND position = ANY($2::int[]) AND timing IS NOT NULL`,
    [itemId, positions],
  );
}

export type AutomaticTimings = Partial<Record<Lang, { timed: number; flagged: string[] }>>;

/**
 * Per language: how many segments carry an automatic timing, and the texts of those it flagged for
 * review (the editor leaves out the notes to the reader among them, editor/transcript-timing.ts).
 */
export async function automaticTimings(db: Queryable, itemId: number): Promise<AutomaticTimings> {
  const counts = await db.query<{ lang: Lang; timed: number | string }>(
    `SELECT lang, count(timing) AS timed FROM transcript_segments
     WHERE media_item_id = $1 GROUP BY lang`,
    [itemId],
  );
  const flagged = await db.query<{ lang: Lang; text: string }>(
    `SELECT lang, text FROM transcript_segments
     WHERE media_item_id = $1 AND timing IN ('unsure', 'unspoken') ORDER BY position`,
    [itemId],
  );
  return Object.fromEntries(
    counts.map((r) => [
      r.lang,
      { timed: Number(r.timed), flagged: flagged.filter((f) => f.lang === r.lang).map((f) => f.text) },
    ]),
  );
}

/**
 * Stores an item's transcript, replacing the one it had, in one transaction: readers see the
 * old transcript or the new one, never half of each. The one it had is kept for undo.
 */
export async function replaceTranscript(
  db: Database,
  itemId: number,
  segments: TranscriptSegment[],
  now: Date,
): Promise<void> {
  await db.transaction((tx) => writeTranscript(tx, itemId, segments, now));
}

/**
 * replaceTranscript inside the caller's transaction (which decides with other writes). The transcript it
 * replaces is kept for "put back" unless `keepForUndo` is false (a re-time's result: editor/alignment.ts).
 */
export async function writeTranscript(
  tx: Queryable,
  itemId: number,
  segments: TranscriptSegment[],
  now: Date,
  options: { keepForUndo: boolean } = { keepForUndo: true },
): Promise<void> {
  if (options.keepForUndo) await keepForUndo(tx, itemId, now);
  await tx.query("DELETE FROM transcript_segments WHERE media_item_id = $1", [itemId]);
  if (segments.length === 0) return;
  // One statement for the whole transcript: an hour of cues is a thousand rows.
  await tx.query(
    `INSERT INTO transcript_segments (media_item_id, position, start_seconds, end_seconds, speaker,
         questioner_outlet, is_question, lang, text, words, timing, confidence, spoken_lang)
       SELECT $1, position, start_seconds, end_seconds, speaker, outlet, question, lang, text,
         (CASE WHEN words = '' THEN NULL ELSE words END)::jsonb, timing, confidence,
         -- Stored only where it differs: NULL is "said in the transcript's language".
         CASE WHEN spoken = lang THEN NULL ELSE spoken END
       FROM unnest($2::int[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::bool[],
         $8::text[], $9::text[], $10::text[], $11::text[], $12::real[], $13::text[])
         AS t(position, start_seconds, end_seconds, speaker, outlet, question, lang, text, words, timing,
           confidence, spoken)`,
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
      // jsonb arrays do not travel as parameters: as text, "" for none.
      segments.map((s) => (s.words ? JSON.stringify(s.words) : "")),
      segments.map((s) => s.timing ?? null),
      segments.map((s) => s.confidence ?? null),
      segments.map((s) => s.spokenLang ?? null),
    ],
  );
}

/** A sentence of one item's transcript that holds a searched word: `headline` is its text with our markers. */
export type SentenceMatch = TranscriptSegment & { headline: string };

export type SentenceMatches = {
  /** Whether the query asked for any word once stop words ("the", "de") are set aside. */
  hasWords: boolean;
  /** Every matching sentence, of which `matches` are the first `limit` in transcript order. */
  total: number;
  matches: SentenceMatch[];
};

/**
 * The sentences of an item's transcript that hold any wanted word of the query and none of
 * its excluded ones, in the order they were spoken, with the words marked (highlight.ts).
 * Callers decide whether the viewer may read the transcript at all.
 */
export async function matchingSentences(
  db: Queryable,
  itemId: number,
  query: ParsedQuery,
  limit: number,
): Promise<SentenceMatches> {
  const wanted = searchQuerySql(query, 3);
  // The excluded terms as one "any of them" query: each its own clause.
  const unwanted = searchQuerySql(
    { clauses: query.excluded.map((term) => [term]), excluded: [], truncated: false },
    3 + wanted.anyParams.length,
  );
  const rows = await db.query(
    `WITH q AS (SELECT ${wanted.any} AS wanted${query.excluded.length ? `, ${unwanted.any} AS unwanted` : ""}),
     found AS (
       SELECT s.position, s.start_seconds, s.end_seconds, s.speaker, s.questioner_outlet, s.is_question,
         s.lang, s.text, s.spoken_lang, count(*) OVER () AS total
       FROM transcript_segments s, q
       WHERE s.media_item_id = $1 AND s.tsv @@ q.wanted${query.excluded.length ? " AND NOT s.tsv @@ q.unwanted" : ""}
       ORDER BY s.position LIMIT $2
     )
     SELECT numnode(q.wanted) > 0 AS has_words, f.*,
       ts_headline(${sentenceConfigSql("f")},
         ${headlineSourceSql("f.text")}, q.wanted, ${headlineOptionsSql("HighlightAll=true")}) AS headline
     FROM q LEFT JOIN found f ON true
     ORDER BY f.position`,
    [itemId, limit, ...wanted.anyParams, ...(query.excluded.length ? unwanted.params : [])],
  );
  const found = rows.filter((r) => r.position !== null);
  return {
    hasWords: rows[0]?.has_words === true,
    total: Number(found[0]?.total ?? 0),
    matches: found.map((r) => ({ ...toSegment(r), headline: String(r.headline) })),
  };
}
