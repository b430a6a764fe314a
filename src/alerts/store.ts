import type { SearchFilters } from "../catalogue/search-store.ts";
import { dateOrNull } from "../db/columns.ts";
import type { Queryable } from "../db/database.ts";

/**
 * Table saved_searches: SQL and row mapping, nothing else. Matching reads search_documents (kept
 * by the catalogue's triggers, 009_search.sql) with the same rules as the search page's filters
 * (catalogue/search-store.ts), for items that are available: their transcripts may be searched.
 */

export type Alert = "none" | "immediate" | "daily";

/** Words and the search page's filters, with a name and an alert. */
export type SavedSearch = SearchFilters & {
  id: number;
  userId: number;
  name: string;
  words: string;
  alert: Alert;
  createdAt: Date;
};

/** What is stored: the search as typed, and what matching reads (made by the caller's SQL). */
export type NewSavedSearch = Omit<SavedSearch, "id" | "createdAt"> & {
  /** A tsquery expression over `$10` onwards (catalogue/search-query.ts), or null without words. */
  querySql: string | null;
  queryParams: string[];
  speakerPattern: string | null;
  feedTokenHash: string;
};

/** Where the words' parameters start in insertSavedSearch's statement. */
export const QUERY_FIRST_PARAM = 14;

const columns =
  "s.id, s.user_id, s.name, s.words, s.kind, s.event_slug, s.from_at, s.until_at, s.speaker, s.language, s.alert, s.created_at";

function toSavedSearch(row: Record<string, unknown>): SavedSearch {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    name: String(row.name),
    words: String(row.words),
    kind: text(row.kind),
    eventSlug: text(row.event_slug),
    from: dateOrNull(row.from_at),
    until: dateOrNull(row.until_at),
    speaker: text(row.speaker),
    language: row.language === "en" || row.language === "fr" ? row.language : null,
    alert: row.alert as Alert,
    createdAt: dateOrNull(row.created_at)!,
  };
}

export async function insertSavedSearch(db: Queryable, s: NewSavedSearch, now: Date): Promise<SavedSearch> {
  const [row] = await db.query(
    `INSERT INTO saved_searches AS s (user_id, name, words, words_query, kind, event_slug, from_at, until_at,
       speaker, speaker_pattern, language, alert, feed_token_hash, created_at)
     VALUES ($1, $2, $3, ${s.querySql ?? "NULL"}, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     RETURNING ${columns}`,
    [
      s.userId,
      s.name,
      s.words,
      s.kind,
      s.eventSlug,
      s.from,
      s.until,
      s.speaker,
      s.speakerPattern,
      s.language,
      s.alert,
      s.feedTokenHash,
      now,
      ...s.queryParams,
    ],
  );
  return toSavedSearch(row!);
}

export async function listSavedSearches(db: Queryable, userId: number): Promise<SavedSearch[]> {
  const rows = await db.query(
    `SELECT ${columns} FROM saved_searches s WHERE s.user_id = $1 ORDER BY s.id DESC`,
    [userId],
  );
  return rows.map(toSavedSearch);
}

export async function findSavedSearch(db: Queryable, id: number): Promise<SavedSearch | null> {
  const [row] = await db.query(`SELECT ${columns} FROM saved_searches s WHERE s.id = $1`, [id]);
  return row ? toSavedSearch(row) : null;
}

/** The search behind a feed token's hash, or null. */
export async function savedSearchByFeedToken(
  db: Queryable,
  id: number,
  hash: string,
): Promise<SavedSearch | null> {
  const [row] = await db.query(
    `SELECT ${columns} FROM saved_searches s WHERE s.id = $1 AND s.feed_token_hash = $2`,
    [id, hash],
  );
  return row ? toSavedSearch(row) : null;
}

/** Deletes one of the user's searches; false when it is not theirs (or not there). */
export async function deleteSavedSearch(db: Queryable, userId: number, id: number): Promise<boolean> {
  const rows = await db.query("DELETE FROM saved_searches WHERE id = $1 AND user_id = $2 RETURNING id", [
    id,
    userId,
  ]);
  return rows.length > 0;
}

/** Changes the alert of a search; `userId` null for the signed unsubscribe link (no session). */
export async function setAlert(
  db: Queryable,
  id: number,
  userId: number | null,
  alert: Alert,
): Promise<boolean> {
  const rows = await db.query(
    "UPDATE saved_searches SET alert = $2 WHERE id = $1 AND ($3::int IS NULL OR user_id = $3) RETURNING id",
    [id, alert, userId],
  );
  return rows.length > 0;
}

/** The one-click link of a digest: the user's daily alerts stop. */
export async function stopDailyAlerts(db: Queryable, userId: number): Promise<void> {
  await db.query("UPDATE saved_searches SET alert = 'none' WHERE user_id = $1 AND alert = 'daily'", [userId]);
}

export async function setFeedTokenHash(
  db: Queryable,
  userId: number,
  id: number,
  hash: string,
): Promise<boolean> {
  const rows = await db.query(
    "UPDATE saved_searches SET feed_token_hash = $3 WHERE id = $1 AND user_id = $2 RETURNING id",
    [id, userId, hash],
  );
  return rows.length > 0;
}

/**
 * Whether the search `s` matches the search document `d` (its event `e` left-joined), for an
 * available item, at time `now` (a parameter): the search page's filters (search-store.ts's
 * filtersSql), with the words matched against the whole document.
 */
export function matchSql(now: string): string {
  const speakerMatch = (column: string) =>
    `unaccent(lower(${column})) LIKE '%' || unaccent(lower(s.speaker_pattern)) || '%'`;
  return `(s.words_query IS NULL OR d.full_doc @@ s.words_query)
    AND (s.kind IS NULL OR d.kind = s.kind)
    AND (s.event_slug IS NULL OR (e.slug = s.event_slug AND e.published_at <= ${now}))
    AND (s.from_at IS NULL OR d.dated_at >= s.from_at)
    AND (s.until_at IS NULL OR d.dated_at < s.until_at)
    AND (s.speaker_pattern IS NULL
      OR EXISTS (SELECT 1 FROM unnest(d.speakers) sp WHERE ${speakerMatch("sp")})
      OR EXISTS (SELECT 1 FROM transcript_segments ts WHERE ts.media_item_id = d.item_id AND ${speakerMatch("ts.speaker")}))
    AND (s.language IS NULL OR s.language = ANY(d.languages)
      OR EXISTS (SELECT 1 FROM transcript_segments ts WHERE ts.media_item_id = d.item_id AND ts.lang = s.language))`;
}

const available = (now: string) =>
  `d.published_at IS NOT NULL AND d.published_at <= ${now} AND (d.embargo_until IS NULL OR d.embargo_until <= ${now})`;

/** Every (item, saved search) that matches among `itemIds`, in one statement, with the search's alert. */
export async function matchingSavedSearches(
  db: Queryable,
  itemIds: number[],
  now: Date,
): Promise<{ itemId: number; searchId: number; alert: Alert }[]> {
  if (itemIds.length === 0) return [];
  const rows = await db.query<{ item_id: number; id: number; alert: Alert }>(
    `SELECT d.item_id, s.id, s.alert FROM search_documents d
     LEFT JOIN events e ON e.id = d.event_id
     CROSS JOIN saved_searches s
     WHERE d.item_id = ANY($1::int[]) AND ${available("$2")} AND ${matchSql("$2")}
     ORDER BY d.item_id, s.id`,
    [itemIds, now],
  );
  return rows.map((r) => ({ itemId: Number(r.item_id), searchId: Number(r.id), alert: r.alert }));
}

/** The ids of a search's available items, most recently available first: its feeds. */
export async function savedSearchItemIds(
  db: Queryable,
  id: number,
  now: Date,
  limit: number,
): Promise<number[]> {
  const rows = await db.query<{ item_id: number }>(
    `SELECT d.item_id FROM saved_searches s
     JOIN search_documents d ON ${available("$2")}
     LEFT JOIN events e ON e.id = d.event_id
     WHERE s.id = $1 AND ${matchSql("$2")}
     ORDER BY d.available_at DESC, d.item_id DESC
     LIMIT $3`,
    [id, now, limit],
  );
  return rows.map((r) => Number(r.item_id));
}
