import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import { itemCards } from "./item-store.ts";
import { itemProbes } from "./media-store.ts";
import { toMasterView } from "./rows.ts";
import { type HitRow, rankItems, type SearchFilters, transcriptHits } from "./search-store.ts";
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
  page?: number | undefined;
};

export type SearchResult = {
  item: ItemCard;
  score: number;
  /** Marked headlines of the description and shot list, per language ("" when they do not match). */
  excerpt: { en: string; fr: string };
  hits: HitRow[];
  /** The master's clock, so hits show its timecode as the transcript and player do. */
  clock: Pick<MasterView, "frameRate" | "startTimecode"> | null;
};

export type SearchAnswer = {
  words: string;
  filters: SearchFilters;
  page: number;
  results: SearchResult[];
  hasMore: boolean;
  /** False for an empty form: nothing was asked, so "no results" would be wrong. */
  asked: boolean;
};

export const PAGE_SIZE = 20;
const HITS_PER_ITEM = 3;

export async function searchCatalogue(db: Database, now: Date, input: SearchInput): Promise<SearchAnswer> {
  const words = (input.q ?? "").trim().slice(0, 200);
  const filters = parseFilters(input);
  const page = Math.max(1, Math.min(500, Math.floor(input.page ?? 1)));
  const asked = words !== "" || Object.values(filters).some((v) => v !== null);
  if (!asked) return { words, filters, page, results: [], hasMore: false, asked };

  const ranked = await rankItems(db, {
    words,
    now,
    filters,
    limit: PAGE_SIZE + 1,
    offset: (page - 1) * PAGE_SIZE,
  });
  const shown = ranked.slice(0, PAGE_SIZE);
  const ids = shown.map((r) => r.id);
  const [cards, hits, probes] = await Promise.all([
    itemCards(db, now, ids),
    transcriptHits(db, { words, now, itemIds: ids, filters, perItem: HITS_PER_ITEM }),
    itemProbes(db, ids),
  ]);
  const cardById = new Map(cards.map((c) => [c.id, c]));
  const results = shown.flatMap((r) => {
    const item = cardById.get(r.id);
    if (!item) return [];
    const itemHits = hits.filter((h) => h.itemId === r.id);
    const probe = probes.get(r.id)?.probe ?? null;
    const clock = probe === null ? null : toMasterView(probe, []);
    return [{ item, score: r.score, excerpt: { en: r.excerptEn, fr: r.excerptFr }, hits: itemHits, clock }];
  });
  return { words, filters, page, results, hasMore: ranked.length > PAGE_SIZE, asked };
}

function parseFilters(input: SearchInput): SearchFilters {
  const text = (value: string | undefined) => {
    const trimmed = (value ?? "").trim();
    return trimmed === "" ? null : trimmed.slice(0, 200);
  };
  const language = text(input.language);
  if (language !== null && language !== "en" && language !== "fr") {
    throw new UserError("invalid_input", {}, { language: ["field.invalid"] });
  }
  const from = day(input.from, "from");
  const to = day(input.to, "to");
  return {
    kind: text(input.kind),
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
  if (date === null || Number.isNaN(date.getTime())) {
    throw new UserError("invalid_input", {}, { [field]: ["search.invalid_date"] });
  }
  return date;
}
