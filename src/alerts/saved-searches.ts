import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eventBySlug } from "../catalogue/event-store.ts";
import { parseFilters } from "../catalogue/search.ts";
import { parseQuery, searchQuerySql } from "../catalogue/search-query.ts";
import { escapeLike, queryHasWords } from "../catalogue/search-store.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { addProblem, type FieldProblems, throwIfProblems } from "../web/form.ts";
import type { Lang } from "../web/i18n.ts";
import { parseId } from "../web/ids.ts";
import {
  type Alert,
  deleteSavedSearch,
  insertSavedSearch,
  QUERY_FIRST_PARAM,
  type SavedSearch,
  savedSearchByFeedToken,
  setAlert,
  setFeedTokenHash,
  stopDailyAlerts,
} from "./store.ts";

/**
 * Saving a search (words and filters, as the search page takes them), its feed token and its
 * signed unsubscribe link. A search with neither words nor filters would match everything: it
 * is refused, naming the query field.
 */

export const alerts = ["none", "immediate", "daily"] as const;
export const filterKeys = ["kind", "event", "from", "to", "speaker", "language"] as const;
export type FilterKey = (typeof filterKeys)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export type SaveInput = { name?: unknown; query?: unknown; filters?: unknown; alert?: unknown };

// Control characters (a NUL cannot even be stored) are spaces, as the search box reads them.
const text = (value: unknown) => (typeof value === "string" ? value.replace(/[\p{Cc}\p{Cf}]/gu, " ") : "");

/** The filters of a request: the page's names, and `year` for a whole year (as the page's year links). */
export function readFilters(raw: unknown): Filters {
  const source = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const filters: Filters = {};
  for (const key of filterKeys) {
    const value = text(source[key]).trim();
    if (value !== "") filters[key] = value;
  }
  const year = text(source.year).trim();
  if (/^\d{4}$/.test(year) && !filters.from && !filters.to) {
    filters.from = `${year}-01-01`;
    filters.to = `${year}-12-31`;
  }
  return filters;
}

export async function saveSearch(
  deps: Pick<FeatureDeps, "db" | "now">,
  userId: number,
  input: SaveInput,
): Promise<{ search: SavedSearch; feedToken: string }> {
  const problems: FieldProblems = {};
  const name = text(input.name).trim();
  if (name === "") addProblem(problems, "name", "field.required");
  else if (name.length > 200) addProblem(problems, "name", "field.too_long");
  const alert = input.alert === undefined || input.alert === "" ? "none" : input.alert;
  if (!alerts.includes(alert as Alert)) addProblem(problems, "alert", "field.invalid");

  const words = text(input.query).trim();
  const query = parseQuery(words);
  const filters = readFilters(input.filters);
  let parsed: ReturnType<typeof parseFilters> | null = null;
  try {
    parsed = parseFilters(filters);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    for (const [field, keys] of Object.entries(error.fields))
      for (const key of keys) addProblem(problems, field, key);
  }
  // An alert on an event no journalist can see would never fire: the feeds and alerts search as
  // a journalist does (published items of published events).
  if (
    parsed?.eventSlug &&
    !(await eventBySlug(deps.db, { editor: false, now: deps.now() }, parsed.eventSlug))
  )
    addProblem(problems, "event", "alerts.unknown_event");
  const hasTerms = query.clauses.length > 0;
  if (words === "" && Object.keys(filters).length === 0) addProblem(problems, "query", "alerts.empty_search");
  else if (words !== "" && !hasTerms) addProblem(problems, "query", "error.search_needs_words");
  else if (hasTerms && !(await queryHasWords(deps.db, query)))
    addProblem(problems, "query", "error.search_common_words");
  throwIfProblems(problems);

  const sql = hasTerms ? searchQuerySql(query, QUERY_FIRST_PARAM) : null;
  const feedToken = newToken();
  const f = parsed!;
  const search = await insertSavedSearch(
    deps.db,
    {
      userId,
      name,
      words,
      kind: f.kind,
      eventSlug: f.eventSlug,
      from: f.from,
      until: f.until,
      speaker: f.speaker,
      speakerPattern: f.speaker === null ? null : escapeLike(f.speaker),
      language: f.language,
      alert: alert as Alert,
      querySql: sql === null ? null : `(${sql.all})`,
      queryParams: sql?.params ?? [],
      feedTokenHash: hashToken(feedToken),
    },
    deps.now(),
  );
  return { search, feedToken };
}

export async function removeSavedSearch(
  deps: Pick<FeatureDeps, "db">,
  userId: number,
  id: number,
): Promise<void> {
  if (!(await deleteSavedSearch(deps.db, userId, id))) throw new UserError("not_found");
}

export async function changeAlert(
  deps: Pick<FeatureDeps, "db">,
  userId: number,
  id: number,
  alert: string,
): Promise<void> {
  if (!alerts.includes(alert as Alert))
    throw new UserError("invalid_input", {}, { alert: ["field.invalid"] });
  if (!(await setAlert(deps.db, id, userId, alert as Alert))) throw new UserError("not_found");
}

/** A new feed token for one of the user's searches: the old addresses stop working. */
export async function renewFeedToken(
  deps: Pick<FeatureDeps, "db">,
  userId: number,
  id: number,
): Promise<string> {
  const token = newToken();
  if (!(await setFeedTokenHash(deps.db, userId, id, hashToken(token)))) throw new UserError("not_found");
  return token;
}

/** The search a feed address opens: 401 without a token, 404 for a wrong one (or another search's). */
export async function searchForFeed(
  deps: Pick<FeatureDeps, "db">,
  id: number,
  token: unknown,
): Promise<SavedSearch> {
  if (typeof token !== "string" || token === "") throw new UserError("not_authenticated");
  const search = await savedSearchByFeedToken(deps.db, id, hashToken(token));
  if (!search) throw new UserError("not_found");
  return search;
}

/** The search as the search page's query string (to open it there). */
export function searchParams(search: SavedSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.words) params.set("q", search.words);
  for (const [key, value] of Object.entries(filtersOf(search))) params.set(key, value);
  return params;
}

export function filtersOf(search: SavedSearch): Filters {
  const day = (d: Date | null, shift = 0) =>
    d === null ? undefined : new Date(d.getTime() - shift).toISOString().slice(0, 10);
  const all: Filters = {
    kind: search.kind ?? undefined,
    event: search.eventSlug ?? undefined,
    from: day(search.from),
    // Stored as the next midnight: shown as the last day included.
    to: day(search.until, 86_400_000),
    speaker: search.speaker ?? undefined,
    language: search.language ?? undefined,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Filters;
}

export type FeedLinks = { rss: string; ninjs: string };

/** Its feeds' addresses; with the token only when it is known (just made), as it is never stored. */
export function feedLinks(publicUrl: string, lang: Lang, id: number, token: string | null): FeedLinks {
  const query = new URLSearchParams({ lang, ...(token ? { token } : {}) });
  return {
    rss: `${publicUrl}/feeds/saved/${id}.rss?${query}`,
    ninjs: `${publicUrl}/feeds/saved/${id}.json?${query}`,
  };
}

/** What an unsubscribe link stops: one search's alert, or (a digest's link) all of a user's daily ones. */
export type UnsubscribeTarget = { search: number } | { dailyOf: number };

/** A link that stops alerts without logging in: its target signed with the server secret. */
export function alertUnsubscribeUrl(
  deps: Pick<FeatureDeps, "secret" | "config">,
  lang: Lang,
  target: UnsubscribeTarget,
): string {
  const [name, id] = "search" in target ? ["s", target.search] : ["u", target.dailyOf];
  return `${deps.config.publicUrl}/${lang}/alerts/unsubscribe?${name}=${id}&t=${signature(deps.secret, name, id)}`;
}

/** The target of a valid unsubscribe link, or an `unsubscribe_link_invalid` error. */
export function checkAlertUnsubscribe(secret: string, query: Record<string, unknown>): UnsubscribeTarget {
  const name = query.s !== undefined ? "s" : "u";
  const id = parseId(query[name]);
  if (id === null || typeof query.t !== "string") throw new UserError("unsubscribe_link_invalid");
  const expected = Buffer.from(signature(secret, name, id));
  const given = Buffer.from(query.t);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new UserError("unsubscribe_link_invalid");
  }
  return name === "s" ? { search: id } : { dailyOf: id };
}

/** One click in an e-mail: the search stays (and its feeds), its e-mails stop. */
export async function unsubscribeAlert(
  deps: Pick<FeatureDeps, "db">,
  target: UnsubscribeTarget,
): Promise<void> {
  if ("search" in target) await setAlert(deps.db, target.search, null, "none");
  else await stopDailyAlerts(deps.db, target.dailyOf);
}

function signature(secret: string, name: string, id: number): string {
  return createHmac("sha256", secret).update(`alert-unsubscribe:${name}:${id}`).digest("base64url");
}

function newToken(): string {
  return `prf_${randomBytes(32).toString("base64url")}`;
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
