import { UserError } from "../core/errors.ts";
import type { Database, Queryable } from "../db/database.ts";
import { hasMark } from "./highlight.ts";
import { itemCards } from "./item-store.ts";
import { itemProbes } from "./media-store.ts";
import { toMasterView } from "./rows.ts";
import { type ParsedQuery, parseQuery } from "./search-query.ts";
import {
  type Facets,
  filteredItems,
  type HitRow,
  queryHasWords,
  rankItems,
  type SearchFilters,
  type SearchOrder,
  transcriptHits,
} from "./search-store.ts";
import { suggestionRows } from "./suggestion-store.ts";
import { mediaKinds } from "./types.ts";
import { eventPath, itemPath } from "./urls.ts";
import type { ItemCard, MasterView } from "./view-models.ts";

/** Search as the page and the API ask for it: words, filters, a page of results best first. */

export type SearchInput = {
  q?: string | undefined;
  kind?: string | undefined;
  event?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  speaker?: string | undefined;
  language?: string | undefined;
  sort?: string | undefined;
  page?: number | undefined;
};

export type SearchResult = {
  item: ItemCard;
  /** A title or a speaker's name holds the words. */
  inTitle: boolean;
  /** A title or a speaker's name holds one of the words at least. */
  titleWords: boolean;
  /** Marked headlines of the description and shot list, per language ("" when they do not match). */
  excerpt: { en: string; fr: string };
  /** The event's title, marked, when it holds a word (the item matched through its event). */
  eventTitle: { en: string; fr: string };
  /** The best moments: the sentences that hold most of the words, with their times. */
  hits: HitRow[];
  /** Sentences that hold a word beyond those shown. */
  moreHits: number;
  /** The master's clock, so hits show its timecode as the transcript and player do. */
  clock: Pick<MasterView, "frameRate" | "startTimecode"> | null;
};

export type SearchAnswer = {
  words: string;
  query: ParsedQuery;
  filters: SearchFilters;
  order: SearchOrder;
  page: number;
  results: SearchResult[];
  hasMore: boolean;
  /** Matching items, counted up to a bound; `capped` when more match. */
  total: number;
  capped: boolean;
  facets: Facets;
  /** Words were left out: the query was longer than a search takes. */
  truncated: boolean;
  /** False for an empty form: nothing was asked, so "no results" would be wrong. */
  asked: boolean;
};

export const PAGE_SIZE = 20;
const HITS_PER_ITEM = 3;
const noFacets: Facets = { kind: [], event: [], speaker: [], language: [], year: [] };

export async function searchCatalogue(db: Database, now: Date, input: SearchInput): Promise<SearchAnswer> {
  const words = (input.q ?? "").trim();
  const query = parseQuery(words);
  const filters = parseFilters(input);
  const order: SearchOrder = input.sort === "date" ? "date" : "relevance";
  const page = Math.max(1, Math.min(500, Math.floor(input.page ?? 1)));
  const hasTerms = query.clauses.length > 0;
  const hasFilters = Object.values(filters).some((v) => v !== null);
  const asked = words !== "" || hasFilters;
  const base = { words, query, filters, order, page, truncated: query.truncated, asked };
  if (!asked) return { ...base, results: [], hasMore: false, total: 0, capped: false, facets: noFacets };
  if (words !== "" && !hasTerms) {
    // Operators alone, or only words to leave out: there is nothing to look for.
    throw new UserError("search_needs_words");
  }
  if (hasTerms && !(await queryHasWords(db, query))) throw new UserError("search_common_words");

  const offset = (page - 1) * PAGE_SIZE;
  const { ranked, hits } = await withTimeLimit(db, async (tx) => {
    const ranked = hasTerms
      ? await rankItems(tx, { query, now, filters, order, limit: PAGE_SIZE, offset })
      : await filteredItems(tx, { now, filters, limit: PAGE_SIZE, offset });
    const itemIds = ranked.items.map((r) => r.id);
    const hits = await transcriptHits(tx, { query, now, itemIds, filters, perItem: HITS_PER_ITEM });
    return { ranked, hits };
  });
  const ids = ranked.items.map((r) => r.id);
  const [cards, probes] = await Promise.all([itemCards(db, now, ids), itemProbes(db, ids)]);
  const cardById = new Map(cards.map((c) => [c.id, c]));
  const results = ranked.items.flatMap((r): SearchResult[] => {
    const item = cardById.get(r.id);
    if (!item) return [];
    const itemHits = hits.filter((h) => h.itemId === r.id);
    const probe = probes.get(r.id)?.probe ?? null;
    const clock = probe === null ? null : toMasterView(probe, []);
    return [
      {
        item,
        inTitle: r.inTitle,
        titleWords: r.titleWords,
        excerpt: { en: r.excerptEn, fr: r.excerptFr },
        eventTitle: { en: r.eventTitleEn, fr: r.eventTitleFr },
        hits: itemHits,
        moreHits: Math.max(0, (itemHits[0]?.matching ?? 0) - itemHits.length),
        clock,
      },
    ];
  });
  return {
    ...base,
    results,
    hasMore: offset + PAGE_SIZE < ranked.total,
    total: ranked.total,
    capped: ranked.capped,
    facets: ranked.facets,
  };
}

/** Where a result's words were found, as far as it shows: the reasons a page or API client gives. */
export function matchedIn(
  result: SearchResult,
  lang: "en" | "fr",
): ("title" | "transcript" | "description" | "event")[] {
  const reasons: ("title" | "transcript" | "description" | "event")[] = [];
  if (result.titleWords) reasons.push("title");
  if (result.hits.length > 0) reasons.push("transcript");
  if (hasMark(result.excerpt[lang]) || hasMark(result.excerpt[lang === "en" ? "fr" : "en"]))
    reasons.push("description");
  if (hasMark(result.eventTitle.en) || hasMark(result.eventTitle.fr)) reasons.push("event");
  return reasons;
}

/** How long a search may run on PostgreSQL before it is stopped with "try fewer words". */
const SEARCH_TIMEOUT_MS = 3000;
const QUERY_CANCELED = "57014";

/**
 * Runs the search statements under a statement timeout on PostgreSQL. The embedded database cannot
 * interrupt a statement (WebAssembly has no timer signal): there the bounds are in the queries
 * themselves (MAX_TERMS, POOL_LIMIT, RANK_WINDOW in search-store.ts).
 */
async function withTimeLimit<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<T> {
  if (db.kind !== "postgres") return work(db);
  try {
    return await db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL statement_timeout = ${SEARCH_TIMEOUT_MS}`);
      return work(tx);
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === QUERY_CANCELED) throw new UserError("search_too_slow");
    throw error;
  }
}

/** The search's filters as the page and the API send them; saved searches keep them the same way. */
export function parseFilters(input: SearchInput): SearchFilters {
  const text = (value: string | undefined) => {
    const trimmed = (value ?? "").replace(/[\p{Cc}\p{Cf}]/gu, "").trim();
    return trimmed === "" ? null : trimmed.slice(0, 200);
  };
  const language = text(input.language);
  if (language !== null && language !== "en" && language !== "fr") {
    throw new UserError("invalid_input", {}, { language: ["field.invalid"] });
  }
  const from = day(input.from, "from");
  const to = day(input.to, "to");
  // Filters that could never match are said to be wrong, not answered with nothing.
  const kind = text(input.kind);
  const never: Record<string, string[]> = {};
  if (from !== null && to !== null && to < from) never.to = ["search.to_before_from"];
  if (kind !== null && !(mediaKinds as readonly string[]).includes(kind))
    never.kind = ["search.invalid_kind"];
  if (Object.keys(never).length > 0) throw new UserError("invalid_input", {}, never);
  return {
    kind,
    eventSlug: text(input.event),
    from,
    // "to" is the last day included: results before the next midnight.
    until: to === null ? null : new Date(to.getTime() + 86_400_000),
    speaker: text(input.speaker),
    language,
  };
}

/** A calendar date (YYYY-MM-DD, what <input type=date> sends), as midnight UTC. */
function day(value: string | undefined, field: string): Date | null {
  const trimmed = (value ?? "").trim();
  if (trimmed === "") return null;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? new Date(`${trimmed}T00:00:00Z`) : null;
  if (date === null || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== trimmed) {
    throw new UserError("invalid_input", {}, { [field]: ["search.invalid_date"] });
  }
  return date;
}

export type Suggestion = { type: "speaker" | "event" | "item"; label: string; path: string };

const SUGGESTIONS_PER_TYPE = 4;
const MAX_SUGGESTION_WORDS = 6;

/** Suggestions for what is being typed: at least two letters of the last word. */
export async function suggest(
  db: Database,
  now: Date,
  lang: "en" | "fr",
  typed: string,
): Promise<Suggestion[]> {
  const words = (typed.slice(0, 200).match(/[\p{L}\p{N}]+/gu) ?? []).slice(-MAX_SUGGESTION_WORDS);
  const last = words[words.length - 1];
  if (last === undefined || last.length < 2) return [];
  const rows = await suggestionRows(db, { now, words, perType: SUGGESTIONS_PER_TYPE });
  const titleIn = (title: { en: string; fr: string }) =>
    lang === "fr" ? title.fr || title.en : title.en || title.fr;
  return rows.map((r) => {
    if (r.type === "speaker") {
      return {
        type: r.type,
        label: r.name,
        path: `/${lang}/search?${new URLSearchParams({ speaker: r.name })}`,
      };
    }
    if (r.type === "event") return { type: r.type, label: titleIn(r.title), path: eventPath(lang, r.slug) };
    return { type: r.type, label: titleIn(r.title), path: itemPath(lang, r.id) };
  });
}
