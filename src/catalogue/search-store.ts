import { jsonColumn, numberOrNull } from "../db/columns.ts";
import type { Queryable } from "../db/database.ts";
import { headlineOptionsSql, headlineSourceSql, sentenceConfigSql } from "./highlight.ts";
import { type ParsedQuery, searchQuerySql } from "./search-query.ts";

/**
 * Table search_documents (kept by the triggers of 009_search.sql) and the search SQL over it.
 * Every query does bounded work whatever the archive's size (docs/SEARCH.md):
 *  - matching items (every word somewhere in the item) come from the GIN indexes or a walk of the
 *    recency index, at most POOL_LIMIT: title and speaker matches first, then the most recently
 *    available. Counts and filters' counts are over that pool ("more than 1,000");
 *  - the first RANK_WINDOW of the pool are ranked by how densely and closely the words occur,
 *    which reads each one's document; the rest follow by date;
 *  - sentences are looked for only in the items of the page shown.
 */

export const POOL_LIMIT = 1000;
export const RANK_WINDOW = 200;

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

export type SearchOrder = "relevance" | "date";

export type RankedItem = {
  id: number;
  /** A title or speaker holds the words: it ranks first. */
  inTitle: boolean;
  /** A title or speaker holds one of the words at least: a reason shown. */
  titleWords: boolean;
  /** Marked headlines of the description and shot list, per language ("" when they do not match). */
  excerptEn: string;
  excerptFr: string;
  /** Marked headline of the event's title when the event's words made the item match. */
  eventTitleEn: string;
  eventTitleFr: string;
};

export type FacetCount = { value: string; count: number; label?: { en: string; fr: string } };

export type Facets = {
  kind: FacetCount[];
  event: FacetCount[];
  speaker: FacetCount[];
  language: FacetCount[];
  year: FacetCount[];
};

export type RankedPage = {
  items: RankedItem[];
  /** Matching items, counted up to POOL_LIMIT. */
  total: number;
  /** More items match than were counted. */
  capped: boolean;
  facets: Facets;
};

export type HitRow = {
  itemId: number;
  position: number;
  start: number | null;
  end: number | null;
  speaker: string;
  /** The transcript the sentence belongs to. */
  lang: "en" | "fr";
  /** The language it is said in: `lang`, or the other one in a bilingual speech. */
  spokenLang: "en" | "fr";
  text: string;
  headline: string;
  /** How many sentences of the item hold a wanted word, these included. */
  matching: number;
};

// Parameters shared by the queries below: $1 now, $2 kind, $3 event slug, $4 from, $5 until,
// $6 speaker (a LIKE pattern, escaped), $7 language. The query's terms follow.
const FIXED_PARAMS = 7;

const speakerMatchSql = (column: string) =>
  `unaccent(lower(${column})) LIKE '%' || unaccent(lower($6)) || '%'`;

// An embargoed item's transcript is not searched, and a filter on speaker or language must not look
// into it either: that an embargoed item matches `speaker=X` tells who speaks in it (issue 8).
const openSql = (d: string) => `(${d}.embargo_until IS NULL OR ${d}.embargo_until <= $1)`;

const filtersSql = (d: string) => `
  ${d}.published_at IS NOT NULL AND ${d}.published_at <= $1
  AND ($2::text IS NULL OR ${d}.kind = $2)
  AND ($3::text IS NULL OR ${d}.event_id = (SELECT id FROM events WHERE slug = $3 AND published_at <= $1))
  AND ($4::timestamptz IS NULL OR ${d}.dated_at >= $4)
  AND ($5::timestamptz IS NULL OR ${d}.dated_at < $5)
  AND ($6::text IS NULL
    OR EXISTS (SELECT 1 FROM unnest(${d}.speakers) sp WHERE ${speakerMatchSql("sp")})
    OR (${openSql(d)} AND EXISTS (SELECT 1 FROM transcript_segments s
          WHERE s.media_item_id = ${d}.item_id AND ${speakerMatchSql("s.speaker")})))
  AND ($7::text IS NULL OR $7 = ANY(${d}.languages)
    OR (${openSql(d)} AND EXISTS (SELECT 1 FROM transcript_segments s
          WHERE s.media_item_id = ${d}.item_id AND s.lang = $7)))`;

// Counts per filter value over the pool, as JSON: one statement answers the page and its filters.
const facetsSql = `json_build_object(
  'kind', (SELECT coalesce(json_agg(json_build_object('value', kind, 'count', n) ORDER BY n DESC, kind), '[]')
    FROM (SELECT kind, count(*) AS n FROM facts GROUP BY kind) f),
  'event', (SELECT coalesce(json_agg(json_build_object('value', e.slug, 'count', n,
      'label', json_build_object('en', e.title_en, 'fr', e.title_fr)) ORDER BY n DESC, e.starts_at DESC), '[]')
    FROM (SELECT event_id, count(*) AS n FROM facts WHERE event_id IS NOT NULL GROUP BY event_id
          ORDER BY n DESC LIMIT 10) f JOIN events e ON e.id = f.event_id AND e.published_at <= $1),
  'speaker', (SELECT coalesce(json_agg(json_build_object('value', sp, 'count', n) ORDER BY n DESC, sp), '[]')
    FROM (SELECT sp, count(*) AS n FROM facts, unnest(facts.speakers) sp GROUP BY sp ORDER BY n DESC, sp LIMIT 10) f),
  'language', (SELECT coalesce(json_agg(json_build_object('value', l, 'count', n) ORDER BY n DESC, l), '[]')
    FROM (SELECT l, count(*) AS n FROM facts, unnest(facts.languages) l WHERE l IN ('en', 'fr') GROUP BY l) f),
  'year', (SELECT coalesce(json_agg(json_build_object('value', y::text, 'count', n) ORDER BY y DESC), '[]')
    FROM (SELECT extract(year FROM dated_at)::int AS y, count(*) AS n FROM facts
          WHERE dated_at IS NOT NULL GROUP BY 1) f))`;

// The pool carries what the filters count, read from the rows its scan visits anyway: joining 1,000
// items back to their documents cost as much again as reading them (2 ms at 50,000 items).
const factColumns = (d: string) => `${d}.kind, ${d}.event_id, ${d}.speakers, ${d}.languages, ${d}.dated_at`;
const factsSql = `facts AS (SELECT ${factColumns("p")} FROM pool p WHERE p.rn <= ${POOL_LIMIT})`;

function fixedParams(now: Date, f: SearchFilters): unknown[] {
  return [
    now,
    f.kind,
    f.eventSlug,
    f.from,
    f.until,
    f.speaker === null ? null : escapeLike(f.speaker),
    f.language,
  ];
}

/** One page of matching items, best first (or newest first), with the counts that explain the rest. */
export async function rankItems(
  db: Queryable,
  input: {
    query: ParsedQuery;
    now: Date;
    filters: SearchFilters;
    order: SearchOrder;
    limit: number;
    offset: number;
  },
): Promise<RankedPage> {
  const words = searchQuerySql(input.query, FIXED_PARAMS + 3);
  // The query's expressions are written where they are used, not in a CTE: the planner then folds
  // them (their terms are parameters, pr_term_query is immutable) and reads the index statistics,
  // so a common word walks the recency index and a rare one takes the posting list.
  const all = `(${words.all})`;
  const pairs = await phrasePairs(db, input.query);
  const pairsFirst = FIXED_PARAMS + 3 + words.params.length;
  // A phrase's word pairs narrow the documents read for its positions (017_search_pairs.sql).
  const withPairs = pairs.map((_, i) => `AND d.pairs_doc @@ $${pairsFirst + i}::tsquery`).join(" ");
  // With pairs, the documents holding them are the candidates, each read for the phrase; written
  // so that no index answers it, or the planner also intersects the words' long posting lists
  // (15,000 items for two common words: 12 ms at 10 M words) with the pairs' short one.
  const inFull = pairs.length > 0 ? `(d.full_doc @@ ${all}) IS TRUE` : `d.full_doc @@ ${all}`;
  const byDate = input.order === "date";
  // The full document holds the title's words; only a word to leave out can make a title match
  // that the whole item does not.
  const whole = input.query.excluded.length > 0 ? `AND d.full_doc @@ ${all}` : "";
  // An item under embargo matches on its metadata only (its transcript may not be searched).
  const openOrHead = `(${openSql("d")} OR d.head_doc @@ ${all})`;
  const branch = (where: string, inTitle: string, order: string) => `(
    SELECT d.item_id, ${inTitle} AS in_title, d.available_at, ${factColumns("d")} FROM search_documents d
    WHERE ${where} AND ${openOrHead} AND ${filtersSql("d")}
    ORDER BY ${order} LIMIT ${POOL_LIMIT + 1})`;
  const recency = "d.available_at DESC, d.item_id DESC";
  // Title and speaker matches come first in the pool: the others are read only when titles leave
  // room, so when they fill it no whole document is read. The test runs once, before the branch (a
  // limit computed from it would hide the limit from the planner, which then plans for every match).
  const titlePool = branch(`d.title_doc @@ ${all} ${whole}`, "true", recency);
  const titleMatches = byDate ? "" : `title_pool AS MATERIALIZED ${titlePool},`;
  const room = `(SELECT count(*) FROM title_pool) <= ${POOL_LIMIT}`;
  const others = branch(
    `${room} AND ${inFull} ${withPairs} AND NOT (d.title_doc @@ ${all})`,
    "false",
    recency,
  );
  const pool = byDate
    ? branch(
        `${inFull} ${withPairs}`,
        `(d.title_doc @@ ${all})`,
        "d.dated_at DESC NULLS LAST, d.item_id DESC",
      )
    : `SELECT * FROM title_pool UNION ALL ${others}`;
  const poolOrder = byDate
    ? "dated_at DESC NULLS LAST, item_id DESC"
    : "in_title DESC, available_at DESC, item_id DESC";
  const pageOrder = byDate
    ? "rn"
    : `in_title DESC, (rn <= ${RANK_WINDOW}) DESC, density DESC, available_at DESC, item_id DESC`;
  const rows = await db.query(
    `WITH ${titleMatches} pool AS MATERIALIZED (
       SELECT item_id, in_title, available_at, ${factColumns("found")},
         row_number() OVER (ORDER BY ${poolOrder}) AS rn
       FROM (${pool}) AS found
       ORDER BY ${poolOrder} LIMIT ${POOL_LIMIT + 1}
     ),
     ${factsSql},
     scored AS (
       SELECT p.item_id, p.in_title, p.rn, p.available_at,
         CASE WHEN ${byDate ? "false" : `p.rn <= ${RANK_WINDOW}`}
           THEN (SELECT ts_rank_cd(CASE WHEN ${openSql("d")} THEN d.full_doc ELSE d.head_doc END, ${all}, 2)
                 FROM search_documents d WHERE d.item_id = p.item_id)
           ELSE 0 END AS density
       FROM pool p
       WHERE p.rn <= ${POOL_LIMIT}
     ),
     page AS (
       SELECT *, row_number() OVER (ORDER BY ${pageOrder}) AS n FROM scored
       ORDER BY ${pageOrder}
       LIMIT $${FIXED_PARAMS + 1} OFFSET $${FIXED_PARAMS + 2}
     ),
     shown AS (
       SELECT pg.item_id, pg.in_title, pg.n, (d.title_doc @@ (${words.any})) AS title_words,
         ts_headline('pr_english', ${headlineSourceSql("m.description_en || ' ' || m.shot_list_en")}, (${words.any}),
           ${headlineOptionsSql("MaxWords=30, MinWords=12")}) AS excerpt_en,
         ts_headline('pr_french', ${headlineSourceSql("m.description_fr || ' ' || m.shot_list_fr")}, (${words.any}),
           ${headlineOptionsSql("MaxWords=30, MinWords=12")}) AS excerpt_fr,
         CASE WHEN e.published_at <= $1 THEN ts_headline('pr_english', ${headlineSourceSql("e.title_en")}, (${words.any}),
           ${headlineOptionsSql("HighlightAll=true")}) ELSE '' END AS event_title_en,
         CASE WHEN e.published_at <= $1 THEN ts_headline('pr_french', ${headlineSourceSql("e.title_fr")}, (${words.any}),
           ${headlineOptionsSql("HighlightAll=true")}) ELSE '' END AS event_title_fr
       FROM page pg JOIN media_items m ON m.id = pg.item_id JOIN search_documents d ON d.item_id = pg.item_id
         LEFT JOIN events e ON e.id = m.event_id
     )
     SELECT
       (SELECT coalesce(json_agg(shown ORDER BY n), '[]') FROM shown) AS items,
       (SELECT count(*) FROM pool) AS pooled,
       ${facetsSql} AS facets`,
    [...fixedParams(input.now, input.filters), input.limit, input.offset, ...words.params, ...pairs],
  );
  return toRankedPage(rows[0] ?? {});
}

/**
 * The word pairs each clause made of phrases needs (pr_pair_query), worked out in a statement of
 * their own: passed to the search as values, they let the planner see how rare a pair is, so a
 * rare one takes its posting list. A phrase without two words side by side needs none.
 */
async function phrasePairs(db: Queryable, query: ParsedQuery): Promise<string[]> {
  const params: string[] = [];
  const clauses = query.clauses
    .filter((clause) => clause.every((term) => term.phrase))
    .map((clause) =>
      clause
        .map((term) => {
          params.push(term.text);
          return `pr_pair_query($${params.length}::text)`;
        })
        .join(" || "),
    );
  if (clauses.length === 0) return [];
  const [row] = await db.query(
    `SELECT ARRAY[${clauses.map((c) => `(${c})::text`).join(", ")}] AS pairs`,
    params,
  );
  const found = Array.isArray(row?.pairs) ? (row.pairs as unknown[]) : [];
  return found.filter((pair): pair is string => typeof pair === "string");
}

/** Filters without words: the matching items, newest first, and the filters' counts. */
export async function filteredItems(
  db: Queryable,
  input: { now: Date; filters: SearchFilters; limit: number; offset: number },
): Promise<RankedPage> {
  const rows = await db.query(
    `WITH pool AS MATERIALIZED (
       SELECT d.item_id, ${factColumns("d")},
         row_number() OVER (ORDER BY d.dated_at DESC NULLS LAST, d.item_id DESC) AS rn
       FROM search_documents d
       WHERE ${filtersSql("d")}
       ORDER BY d.dated_at DESC NULLS LAST, d.item_id DESC
       LIMIT ${POOL_LIMIT + 1}
     ),
     ${factsSql},
     shown AS (
       SELECT item_id, rn AS n FROM pool WHERE rn <= ${POOL_LIMIT} ORDER BY rn
       LIMIT $${FIXED_PARAMS + 1} OFFSET $${FIXED_PARAMS + 2}
     )
     SELECT
       (SELECT coalesce(json_agg(shown ORDER BY n), '[]') FROM shown) AS items,
       (SELECT count(*) FROM pool) AS pooled,
       ${facetsSql} AS facets`,
    [...fixedParams(input.now, input.filters), input.limit, input.offset],
  );
  return toRankedPage(rows[0] ?? {});
}

function toRankedPage(row: Record<string, unknown>): RankedPage {
  const pooled = Number(row.pooled ?? 0);
  const items = jsonColumn<Record<string, unknown>[]>(row.items, []);
  return {
    items: items.map((r) => ({
      id: Number(r.item_id),
      inTitle: r.in_title === true,
      titleWords: r.title_words === true,
      excerptEn: String(r.excerpt_en ?? ""),
      excerptFr: String(r.excerpt_fr ?? ""),
      eventTitleEn: String(r.event_title_en ?? ""),
      eventTitleFr: String(r.event_title_fr ?? ""),
    })),
    total: Math.min(pooled, POOL_LIMIT),
    capped: pooled > POOL_LIMIT,
    facets: toFacets(jsonColumn(row.facets, {})),
  };
}

/**
 * The sentences that explain each item: those holding the most wanted words first, then in the
 * order spoken; `perItem` of them, with how many match in all. Only transcripts that may be read.
 * The page's items' sentences (a few thousand at most) are read first and then matched: left to
 * itself the planner intersects the sentence index's posting list of a common word (88,000
 * sentences at 10 M words: 15 ms) with the items' sentences.
 */
export async function transcriptHits(
  db: Queryable,
  input: { query: ParsedQuery; now: Date; itemIds: number[]; filters: SearchFilters; perItem: number },
): Promise<HitRow[]> {
  if (input.itemIds.length === 0 || input.query.clauses.length === 0) return [];
  const words = searchQuerySql(input.query, 6);
  const speaker = input.filters.speaker === null ? null : escapeLike(input.filters.speaker);
  const rows = await db.query(
    `WITH q AS (SELECT ${words.any} AS any_query),
     shown_segments AS MATERIALIZED (
       SELECT * FROM transcript_segments WHERE media_item_id = ANY($5::int[])
     ),
     best AS (
       SELECT s.media_item_id, s.position, s.start_seconds, s.end_seconds, s.speaker, s.lang, s.text,
         s.spoken_lang,
         row_number() OVER (PARTITION BY s.media_item_id ORDER BY ts_rank(s.tsv, q.any_query) DESC, s.position) AS n,
         count(*) OVER (PARTITION BY s.media_item_id) AS matching
       FROM shown_segments s JOIN search_documents d ON d.item_id = s.media_item_id, q
       WHERE s.tsv @@ q.any_query
         AND d.published_at <= $1 AND ${openSql("d")}
         AND ($2::text IS NULL OR unaccent(lower(s.speaker)) LIKE '%' || unaccent(lower($2)) || '%')
         AND ($3::text IS NULL OR s.lang = $3)
     )
     SELECT b.*, ts_headline(${sentenceConfigSql("b")},
         ${headlineSourceSql("b.text")}, q.any_query, ${headlineOptionsSql("HighlightAll=true")}) AS headline
     FROM best b, q WHERE b.n <= $4
     ORDER BY b.media_item_id, b.n`,
    [input.now, speaker, input.filters.language, input.perItem, input.itemIds, ...words.anyParams],
  );
  return rows.map((r) => ({
    itemId: Number(r.media_item_id),
    position: Number(r.position),
    start: numberOrNull(r.start_seconds),
    end: numberOrNull(r.end_seconds),
    speaker: String(r.speaker),
    lang: r.lang === "fr" ? "fr" : "en",
    spokenLang: (r.spoken_lang ?? r.lang) === "fr" ? "fr" : "en",
    text: String(r.text),
    headline: String(r.headline),
    matching: Number(r.matching),
  }));
}

/** Whether the words ask for anything once stop words are set aside ("the", "de" alone do not). */
export async function queryHasWords(db: Queryable, query: ParsedQuery): Promise<boolean> {
  const words = searchQuerySql(query, 1);
  const [row] = await db.query(
    `SELECT numnode(${words.all}) > 0 AND numnode(${words.any}) > 0 AS ok`,
    words.params,
  );
  return row?.ok === true;
}

function toFacets(raw: Record<string, unknown>): Facets {
  const list = (key: string): FacetCount[] =>
    (Array.isArray(raw[key]) ? (raw[key] as Record<string, unknown>[]) : []).map((f) => {
      const label = f.label as { en?: unknown; fr?: unknown } | undefined;
      return {
        value: String(f.value),
        count: Number(f.count),
        ...(label ? { label: { en: String(label.en ?? ""), fr: String(label.fr ?? "") } } : {}),
      };
    });
  return {
    kind: list("kind"),
    event: list("event"),
    speaker: list("speaker"),
    language: list("language"),
    year: list("year"),
  };
}

/** A speaker filter is a LIKE pattern inside: its own % and _ must match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
