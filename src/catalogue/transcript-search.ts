import type { Queryable } from "../db/database.ts";
import { canPlay } from "./access.ts";
import { START_MARK, STOP_MARK } from "./highlight.ts";
import { MAX_QUERY_CHARS, parseQuery } from "./search-query.ts";
import { matchingSentences, type SentenceMatch } from "./transcript-store.ts";
import type { ItemDetail, Viewer } from "./view-models.ts";

/**
 * Search inside one item's transcript (issue 10): the sentences that hold the words, in the
 * order they were spoken, for the item page's list and timeline marks and for the API.
 */

/** Enough to mark a timeline and read through; a word said more often than this is not a search. */
export const MAX_SENTENCE_MATCHES = 100;

export type TranscriptSearch =
  /** No search asked, or a transcript the viewer may not read (embargo): nothing is shown. */
  | { kind: "none" }
  /** Only operators, quotes, excluded words or nothing at all: nothing to look for. */
  | { kind: "needs_words"; words: string }
  /** Only words too common to index ("the", "de"). */
  | { kind: "common_words"; words: string }
  | { kind: "found"; words: string; total: number; matches: SentenceMatch[]; truncated: boolean };

/**
 * `raw` is `q` as the query string gave it (one value: web/bad-input.ts keeps a repeated parameter's
 * first). The transcript is searched only when the viewer may read it, under the rule that
 * loadItem applies: an embargoed item's transcript is never searched, so never revealed.
 */
export async function searchTranscript(
  db: Queryable,
  viewer: Viewer,
  item: Pick<ItemDetail, "id" | "publishedAt" | "embargoUntil" | "transcript">,
  raw: unknown,
): Promise<TranscriptSearch> {
  if (typeof raw !== "string" || !canPlay(item, viewer) || item.transcript.length === 0) {
    return { kind: "none" };
  }
  const query = parseQuery(raw);
  // What the search box shows again: as typed, within the length that is searched.
  const words = raw
    .replace(/\p{Cc}/gu, " ")
    .trim()
    .slice(0, MAX_QUERY_CHARS);
  if (query.clauses.length === 0) return { kind: "needs_words", words };
  const found = await matchingSentences(db, item.id, query, MAX_SENTENCE_MATCHES);
  if (!found.hasWords) return { kind: "common_words", words };
  return { kind: "found", words, total: found.total, matches: found.matches, truncated: query.truncated };
}

/**
 * Where the words found are in the headline's plain text, as [from, to) offsets in UTF-16
 * code units (JavaScript's string indices): what the API gives the browser to mark them with
 * no HTML in the JSON.
 */
export function markRanges(headline: string): [number, number][] {
  const ranges: [number, number][] = [];
  let offset = 0;
  let from: number | null = null;
  for (const c of headline) {
    if (c === START_MARK) from ??= offset;
    else if (c === STOP_MARK) {
      if (from !== null && offset > from) ranges.push([from, offset]);
      from = null;
    } else offset += c.length;
  }
  if (from !== null && offset > from) ranges.push([from, offset]);
  return ranges;
}
