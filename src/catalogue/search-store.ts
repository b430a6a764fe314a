import type { Queryable } from "../db/database.ts";
import { headlineOptionsSql, headlineSourceSql } from "./highlight.ts";

/**
 * Full-text search SQL. The words are parsed with both configurations and OR-ed, so a French
 * word finds French transcripts from the English interface and the other way round; both
 * configurations drop accents (pr_english, pr_french in 002_catalogue.sql).
 */

export type SearchFilters = {
  kind: string | null;
  eventSlug: string | null;
  /** Inclusive lower bound and exclusive upper bound, on the recording date (or the event's). */
  from: Date | null;
  until: Date | null;
  /** A part of a speaker's name, accents and case ignored. */
  speaker: string | null;
  language: "en" | "fr" | null;
};

export type RankedItem = { id: number; score: number; excerptEn: string; excerptFr: string };

export type HitRow = {
  itemId: number;
  position: number;
  start: number | null;
  end: number | null;
  speaker: string;
  lang: "en" | "fr";
  text: string;
  headline: string;
};

const querySql = `SELECT websearch_to_tsquery('pr_english', $1) || websearch_to_tsquery('pr_french', $1) AS query`;

// Embargoed transcripts are not searchable: a hit would show the embargoed words.
const available = (m: string) =>
  `${m}.published_at IS NOT NULL AND ${m}.published_at <= $2 AND (${m}.embargo_until IS NULL OR ${m}.embargo_until <= $2)`;

// A filter on speaker or language must not look into an embargoed transcript either: that an
// embargoed item matches `speaker=X` tells who speaks in it (issue 8).
const transcriptVisible = (m: string) => `(${m}.embargo_until IS NULL OR ${m}.embargo_until <= $2)`;

const speakerMatchSql = (column: string, param: string) =>
  `unaccent(lower(${column})) LIKE '%' || unaccent(lower(${param})) || '%'`;

const filtersSql = `
  m.published_at IS NOT NULL AND m.published_at <= $2
  AND ($3::text IS NULL OR m.kind = $3)
  AND ($4::text IS NULL OR e.slug = $4)
  AND ($5::timestamptz IS NULL OR coalesce(m.recorded_at, e.starts_at) >= $5)
  AND ($6::timestamptz IS NULL OR coalesce(m.recorded_at, e.starts_at) < $6)
  AND ($7::text IS NULL
    OR EXISTS (SELECT 1 FROM unnest(m.speakers) sp WHERE ${speakerMatchSql("sp", "$7")})
    OR (${transcriptVisible("m")} AND EXISTS (SELECT 1 FROM transcript_segments s
          WHERE s.media_item_id = m.id AND ${speakerMatchSql("s.speaker", "$7")})))
  AND ($8::text IS NULL OR $8 = ANY(m.languages)
    OR (${transcriptVisible("m")} AND EXISTS (SELECT 1 FROM transcript_segments s
          WHERE s.media_item_id = m.id AND s.lang = $8)))`;

/** Restricts transcript hits to the speaker and language filtered on. */
const segmentFiltersSql = (s: string, speaker: string, lang: string) =>
  `(${speaker}::text IS NULL OR ${speakerMatchSql(`${s}.speaker`, speaker)})
   AND (${lang}::text IS NULL OR ${s}.lang = ${lang})`;

const withWordsSql = `
WITH q AS (${querySql}),
candidates AS (
  SELECT m.id FROM media_items m, q WHERE m.search_en @@ q.query OR m.search_fr @@ q.query
  UNION
  SELECT s.media_item_id FROM transcript_segments s JOIN media_items m ON m.id = s.media_item_id, q
    WHERE s.tsv @@ q.query AND ${available("m")}
  UNION
  SELECT m.id FROM events e JOIN media_items m ON m.event_id = e.id, q
    WHERE (e.search_en @@ q.query OR e.search_fr @@ q.query) AND e.published_at <= $2
),
ranked AS (
  SELECT m.id, m.recorded_at,
    greatest(ts_rank(m.search_en, q.query), ts_rank(m.search_fr, q.query))
    + CASE WHEN to_tsvector('pr_english', m.title_en) @@ q.query
             OR to_tsvector('pr_french', m.title_fr) @@ q.query THEN 1 ELSE 0 END
    + coalesce((SELECT max(ts_rank(s.tsv, q.query)) FROM transcript_segments s
        WHERE s.media_item_id = m.id AND s.tsv @@ q.query AND ${available("m")}
          AND ${segmentFiltersSql("s", "$7", "$8")}), 0)
    + CASE WHEN e.published_at <= $2
        THEN 0.5 * greatest(ts_rank(e.search_en, q.query), ts_rank(e.search_fr, q.query)) ELSE 0 END
    AS score
  FROM candidates c JOIN media_items m ON m.id = c.id LEFT JOIN events e ON e.id = m.event_id, q
  WHERE ${filtersSql}
  ORDER BY score DESC, m.recorded_at DESC NULLS LAST, m.id DESC
  LIMIT $9 OFFSET $10
)
SELECT r.id, r.score,
  ts_headline('pr_english', ${headlineSourceSql("m.description_en || ' ' || m.shot_list_en")}, q.query,
    ${headlineOptionsSql("MaxWords=30, MinWords=12")}) AS excerpt_en,
  ts_headline('pr_french', ${headlineSourceSql("m.description_fr || ' ' || m.shot_list_fr")}, q.query,
    ${headlineOptionsSql("MaxWords=30, MinWords=12")}) AS excerpt_fr
FROM ranked r JOIN media_items m ON m.id = r.id, q
ORDER BY r.score DESC, r.recorded_at DESC NULLS LAST, r.id DESC`;

// Filters without words: the matching items, newest first.
const filtersOnlySql = `
SELECT m.id, 0 AS score, '' AS excerpt_en, '' AS excerpt_fr
FROM media_items m LEFT JOIN events e ON e.id = m.event_id
WHERE $1::text = '' AND ${filtersSql}
ORDER BY coalesce(m.recorded_at, e.starts_at) DESC NULLS LAST, m.id DESC
LIMIT $9 OFFSET $10`;

export async function rankItems(
  db: Queryable,
  input: { words: string; now: Date; filters: SearchFilters; limit: number; offset: number },
): Promise<RankedItem[]> {
  const { words, now, filters: f } = input;
  const rows = await db.query(words ? withWordsSql : filtersOnlySql, [
    words,
    now,
    f.kind,
    f.eventSlug,
    f.from,
    f.until,
    f.speaker === null ? null : escapeLike(f.speaker),
    f.language,
    input.limit,
    input.offset,
  ]);
  return rows.map((r) => ({
    id: Number(r.id),
    score: Number(r.score),
    excerptEn: String(r.excerpt_en ?? ""),
    excerptFr: String(r.excerpt_fr ?? ""),
  }));
}

/** The best few matching sentences of each item, with their times, marked for highlighting. */
export async function transcriptHits(
  db: Queryable,
  input: { words: string; now: Date; itemIds: number[]; filters: SearchFilters; perItem: number },
): Promise<HitRow[]> {
  if (!input.words || input.itemIds.length === 0) return [];
  const speaker = input.filters.speaker === null ? null : escapeLike(input.filters.speaker);
  const rows = await db.query(
    `WITH q AS (${querySql}),
     best AS (
       SELECT s.media_item_id, s.position, s.start_seconds, s.end_seconds, s.speaker, s.lang, s.text,
         row_number() OVER (PARTITION BY s.media_item_id ORDER BY ts_rank(s.tsv, q.query) DESC, s.position) AS n
       FROM transcript_segments s JOIN media_items m ON m.id = s.media_item_id, q
       WHERE s.media_item_id = ANY($6::int[]) AND s.tsv @@ q.query AND ${available("m")}
         AND ${segmentFiltersSql("s", "$3", "$4")}
     )
     SELECT b.*, ts_headline(CASE WHEN b.lang = 'fr' THEN 'pr_french'::regconfig ELSE 'pr_english'::regconfig END,
         ${headlineSourceSql("b.text")}, q.query, ${headlineOptionsSql("HighlightAll=true")}) AS headline
     FROM best b, q WHERE b.n <= $5
     ORDER BY b.media_item_id, b.n`,
    [input.words, input.now, speaker, input.filters.language, input.perItem, input.itemIds],
  );
  return rows.map((r) => ({
    itemId: Number(r.media_item_id),
    position: Number(r.position),
    start: r.start_seconds === null ? null : Number(r.start_seconds),
    end: r.end_seconds === null ? null : Number(r.end_seconds),
    speaker: String(r.speaker),
    lang: r.lang === "fr" ? "fr" : "en",
    text: String(r.text),
    headline: String(r.headline),
  }));
}

/** A speaker filter is a LIKE pattern inside: its own % and _ must match themselves. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
