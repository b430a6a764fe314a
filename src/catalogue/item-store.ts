import { dateOrNull } from "../db/columns.ts";
import type { Queryable } from "../db/database.ts";
import {
  eventSummaryColumns,
  itemColumns,
  liveColumns,
  toEventSummary,
  toItem,
  toLive,
  toMasterView,
} from "./rows.ts";
import type { Localized, MediaItem, MediaStatus, MediaType, StatusReason } from "./types.ts";
import { rowByFormToken, rowVersion, setPublished } from "./versioned-rows.ts";
import type { ItemCard, MasterView, PreviewTiming, Renditions, Viewer } from "./view-models.ts";

/** Table media_items: SQL and row mapping, nothing else; every feature reads and writes items here. */

/** What an editor writes of an item; media type, status and publication are set apart. */
export type ItemInput = Pick<
  MediaItem,
  | "eventId"
  | "kind"
  | "title"
  | "description"
  | "shotList"
  | "usageTerms"
  | "credit"
  | "speakers"
  | "languages"
  | "recordedAt"
  | "embargoUntil"
>;

// Every list is one query: renditions come along as JSON.
const renditionsJson = `(SELECT coalesce(jsonb_object_agg(r.kind, r.storage_key), '{}'::jsonb)
   FROM renditions r WHERE r.media_item_id = m.id) AS renditions`;

// A live item's state comes along (issue 12): one row of live_streams at most per item.
const liveJoin = "LEFT JOIN live_streams ls ON ls.media_item_id = m.id";

const cardSelect = `SELECT ${itemColumns("m")}, ${eventSummaryColumns("e")}, ${renditionsJson}, ${liveColumns("ls")}
  FROM media_items m LEFT JOIN events e ON e.id = m.event_id ${liveJoin}`;

/**
 * Published items for media users; everything for editors. A fixed fragment, not user input:
 * written out rather than `$1 OR ...` so the planner can use the partial index on published items.
 */
export function visibleItems(viewer: Viewer, nowParam: string): string {
  // Editors see everything; the parameter is still named so PostgreSQL can infer its type.
  return viewer.editor
    ? `(${nowParam}::timestamptz IS NOT NULL)`
    : `(m.published_at IS NOT NULL AND m.published_at <= ${nowParam})`;
}

function toCard(row: Record<string, unknown>, now: Date): ItemCard {
  return {
    ...toItem(row),
    event: toEventSummary(row, now),
    renditions: (row.renditions ?? {}) as Renditions,
    live: toLive(row),
  };
}

/**
 * The home page's "Latest": items by when they became available (published, or embargo lifted),
 * newest first, so an item published today is first even if it was recorded years ago or its
 * recording date is unknown (issue 10). Items still under embargo are listed too, by when they
 * were published: an editor announced them, and a press officer's upcoming release must not be
 * pushed out by what came after. Both halves are ranges of index media_items_available (on
 * `greatest(published_at, embargo_until)`): the first walks it down from now and stops at
 * `limit`; the second reads only what becomes available after now (the few items under
 * embargo). So the list costs the same whatever the catalogue's size.
 */
// The second half reads the index's range in its own order, under a limit: without one the planner,
// which has no statistics on the partial index's expression, guessed a third of the catalogue was
// under embargo and read every item: most of the home page's 60 ms at 50,000 items (bench `pages`).
// A thousand items under embargo at once is far beyond any press office.
const EMBARGOED_READ = 1000;

export async function latestItems(db: Queryable, now: Date, limit: number): Promise<ItemCard[]> {
  const rows = await db.query(
    `WITH latest AS (
       (SELECT m.id, greatest(m.published_at, m.embargo_until) AS since FROM media_items m
        WHERE m.published_at IS NOT NULL AND greatest(m.published_at, m.embargo_until) <= $1
        ORDER BY greatest(m.published_at, m.embargo_until) DESC, m.id DESC LIMIT $2)
       UNION ALL
       (SELECT id, published_at FROM (
          SELECT m.id, m.published_at FROM media_items m
          WHERE m.published_at IS NOT NULL AND greatest(m.published_at, m.embargo_until) > $1
          ORDER BY greatest(m.published_at, m.embargo_until) DESC, m.id DESC LIMIT ${EMBARGOED_READ}
        ) AS embargoed
        WHERE published_at <= $1 ORDER BY published_at DESC, id DESC LIMIT $2))
     ${cardSelect} JOIN latest ON latest.id = m.id
     ORDER BY latest.since DESC, m.id DESC
     LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => toCard(r, now));
}

/** Items available now (published and past any embargo), most recently available first: the feeds. */
export async function recentlyAvailableItems(db: Queryable, now: Date, limit: number): Promise<ItemCard[]> {
  const rows = await db.query(
    `${cardSelect}
     WHERE m.published_at <= $1 AND (m.embargo_until IS NULL OR m.embargo_until <= $1)
     ORDER BY greatest(m.published_at, m.embargo_until) DESC, m.id DESC
     LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => toCard(r, now));
}

export async function eventItems(db: Queryable, viewer: Viewer, eventId: number): Promise<ItemCard[]> {
  const rows = await db.query(
    `${cardSelect}
     WHERE m.event_id = $2 AND ${visibleItems(viewer, "$1")}
     ORDER BY m.position, m.id`,
    [viewer.now, eventId],
  );
  return rows.map((r) => toCard(r, viewer.now));
}

/** Cards for items found by id (search results), in no particular order. */
export async function itemCards(db: Queryable, now: Date, ids: number[]): Promise<ItemCard[]> {
  if (ids.length === 0) return [];
  const rows = await db.query(`${cardSelect} WHERE m.id = ANY($1::int[])`, [ids]);
  return rows.map((r) => toCard(r, now));
}

/** One item with its master's probe, whoever asks: the caller applies the access rules. */
export async function itemById(
  db: Queryable,
  now: Date,
  id: number,
): Promise<(ItemCard & { master: MasterView | null; previewTiming: PreviewTiming }) | null> {
  const [row] = await db.query(
    `SELECT ${itemColumns("m")}, ${eventSummaryColumns("e")}, ${renditionsJson}, ${liveColumns("ls")},
       ma.media_item_id AS master_item, ma.probe AS master_probe, ma.audio_labels AS master_audio_labels,
       (SELECT coalesce(jsonb_object_agg(r.kind, r.meta->'firstFrameSeconds'), '{}'::jsonb) FROM renditions r
         WHERE r.media_item_id = m.id AND r.meta ? 'firstFrameSeconds') AS preview_timing
     FROM media_items m
     LEFT JOIN events e ON e.id = m.event_id
     LEFT JOIN masters ma ON ma.media_item_id = m.id
     ${liveJoin}
     WHERE m.id = $1`,
    [id],
  );
  if (!row) return null;
  const master = row.master_item === null ? null : toMasterView(row.master_probe, row.master_audio_labels);
  return { ...toCard(row, now), master, previewTiming: (row.preview_timing ?? {}) as PreviewTiming };
}

/** What the media routes need to decide access, in one query (they answer every segment request). */
export async function itemAccess(
  db: Queryable,
  id: number,
): Promise<{ publishedAt: Date | null; embargoUntil: Date | null; renditions: Renditions } | null> {
  const [row] = await db.query(
    `SELECT m.published_at, m.embargo_until, ${renditionsJson} FROM media_items m WHERE m.id = $1`,
    [id],
  );
  if (!row) return null;
  return {
    publishedAt: dateOrNull(row.published_at),
    embargoUntil: dateOrNull(row.embargo_until),
    renditions: (row.renditions ?? {}) as Renditions,
  };
}

// --- one item, whatever its state: editors and ingest apply their own rules -----------

export async function findItem(db: Queryable, id: number): Promise<MediaItem | null> {
  const [row] = await db.query(`SELECT ${itemColumns("m")} FROM media_items m WHERE m.id = $1`, [id]);
  return row ? toItem(row) : null;
}

/** An item in the editors' lists, with its live state when it is a live item (waiting, live, ended). */
export type ListedItem = MediaItem & Pick<ItemCard, "live">;

const toListed = (row: Record<string, unknown>): ListedItem => ({ ...toItem(row), live: toLive(row) });

/** The latest created or changed items, whatever their state: the dashboard's "what is going on". */
export async function recentItems(db: Queryable, limit: number): Promise<ListedItem[]> {
  const rows = await db.query(
    `SELECT ${itemColumns("m")}, ${liveColumns("ls")} FROM media_items m ${liveJoin}
     ORDER BY m.updated_at DESC, m.id DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toListed);
}

/** Every item of the event, drafts included, in the event's order (`eventItems` is the viewer's list). */
export async function allItemsOfEvent(db: Queryable, eventId: number): Promise<ListedItem[]> {
  const rows = await db.query(
    `SELECT ${itemColumns("m")}, ${liveColumns("ls")} FROM media_items m ${liveJoin}
     WHERE m.event_id = $1 ORDER BY m.position, m.id`,
    [eventId],
  );
  return rows.map(toListed);
}

/** An event's items by English title: how a resumed load finds what an interrupted one made. */
export async function itemIdsByTitle(db: Queryable, eventId: number): Promise<Map<string, number>> {
  const rows = await db.query<{ id: number; title_en: string }>(
    "SELECT id, title_en FROM media_items WHERE event_id = $1",
    [eventId],
  );
  return new Map(rows.map((row) => [row.title_en, row.id]));
}

/** Titles of these items, by id (an id without item is left out). */
export async function itemTitles(db: Queryable, ids: number[]): Promise<Map<number, Localized>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: number; title_en: string; title_fr: string }>(
    "SELECT id, title_en, title_fr FROM media_items WHERE id = ANY($1::int[])",
    [ids],
  );
  return new Map(rows.map((r) => [Number(r.id), { en: r.title_en, fr: r.title_fr }]));
}

/** Nothing published or drafted yet: the moment to offer the demo. */
export async function catalogueIsEmpty(db: Queryable): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM events UNION ALL SELECT 1 FROM media_items LIMIT 1");
  return rows.length === 0;
}

// --- writes ---------------------------------------------------------------------------

function inputValues(input: ItemInput): unknown[] {
  return [
    input.eventId,
    input.kind,
    input.title.en,
    input.title.fr,
    input.description.en,
    input.description.fr,
    input.shotList.en,
    input.shotList.fr,
    input.usageTerms.en,
    input.usageTerms.fr,
    input.credit,
    input.speakers,
    input.languages,
    input.recordedAt,
    input.embargoUntil,
  ];
}

/** The one way an item is made (editor's form, ingest's API and CLI, the demo): it goes last in its event. */
export async function createItem(
  db: Queryable,
  input: ItemInput & { mediaType: MediaType; status: MediaStatus; formToken?: string | null },
  now: Date,
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO media_items (event_id, kind, title_en, title_fr, description_en, description_fr, shot_list_en,
       shot_list_fr, usage_terms_en, usage_terms_fr, credit, speakers, languages, recorded_at, embargo_until,
       media_type, status, position, created_at, updated_at, form_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
       (SELECT COALESCE(max(position) + 1, 0) FROM media_items WHERE event_id = $1), $18, $18, $19)
     RETURNING id`,
    [...inputValues(input), input.mediaType, input.status, now, input.formToken ?? null],
  );
  return rows[0]!.id;
}

/** The item made by the workspace form sent with this one-time token (createItem's `formToken`), or null. */
export const itemByFormToken = (db: Queryable, token: string) => rowByFormToken(db, "media_items", token);

/** `version`: as the writer read it; nothing is written (false) if the item changed since. */
export async function updateItem(
  db: Queryable,
  id: number,
  input: ItemInput,
  now: Date,
  version: number | null = null,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE media_items SET event_id = $1, kind = $2, title_en = $3, title_fr = $4, description_en = $5,
       description_fr = $6, shot_list_en = $7, shot_list_fr = $8, usage_terms_en = $9, usage_terms_fr = $10,
       credit = $11, speakers = $12, languages = $13, recorded_at = $14, embargo_until = $15, updated_at = $16
     WHERE id = $17 AND ($18::integer IS NULL OR version = $18) RETURNING id`,
    [...inputValues(input), now, id, version],
  );
  return rows.length > 0;
}

export async function deleteItem(db: Queryable, id: number, version: number | null = null): Promise<boolean> {
  const rows = await db.query(
    "DELETE FROM media_items WHERE id = $1 AND ($2::integer IS NULL OR version = $2) RETURNING id",
    [id, version],
  );
  return rows.length > 0;
}

export const setItemPublished = (
  db: Queryable,
  id: number,
  publish: boolean,
  now: Date,
  version: number | null = null,
) => setPublished(db, "media_items", id, publish, now, version);

/** The item's version (its ETag), or null when there is no such item. */
export const itemVersion = (db: Queryable, id: number) => rowVersion(db, "media_items", id);

/** Ready means 100 %; a failure keeps the progress it reached; any other status starts from 0. */
export async function setItemStatus(
  db: Queryable,
  id: number,
  status: MediaStatus,
  reason: StatusReason | null,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE media_items SET status = $2, status_reason = $3, status_reason_params = $5::jsonb, updated_at = $4,
       progress = CASE WHEN $2 = 'ready' THEN 100 WHEN $2 = 'failed' THEN progress ELSE 0 END
     WHERE id = $1`,
    [id, status, reason?.key ?? null, now, reason ? JSON.stringify(reason.params) : null],
  );
}

/** Only while processing: a late write from a finished run must not move a ready item back. */
export async function setItemProgress(db: Queryable, id: number, progress: number): Promise<void> {
  await db.query("UPDATE media_items SET progress = $2 WHERE id = $1 AND status = 'processing'", [
    id,
    progress,
  ]);
}

export async function setItemDuration(
  db: Queryable,
  id: number,
  seconds: number | null,
  now: Date,
): Promise<void> {
  await db.query("UPDATE media_items SET duration_seconds = $2, updated_at = $3 WHERE id = $1", [
    id,
    seconds,
    now,
  ]);
}

/** Caption, credit and recording time from the file's own metadata, only where the editors wrote nothing. */
export async function fillCaptionAndCredit(
  db: Queryable,
  id: number,
  caption: string,
  credit: string,
  recordedAt: Date | null,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE media_items SET
       description_en = CASE WHEN description_en = '' AND description_fr = '' THEN $2 ELSE description_en END,
       credit = CASE WHEN credit = '' THEN $3 ELSE credit END,
       recorded_at = coalesce(recorded_at, $4),
       updated_at = $5
     WHERE id = $1`,
    [id, caption, credit, recordedAt, now],
  );
}

/** What a loader adds to an item ingest made (ingest's fields do not carry it). */
export type ItemCompletion = Pick<
  MediaItem,
  "position" | "description" | "shotList" | "usageTerms" | "speakers" | "languages"
>;

/** Adds `details` and publishes the item. A description already there (a photo's own caption) is kept. */
export async function completeItem(
  db: Queryable,
  id: number,
  details: ItemCompletion,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE media_items SET position = $2,
       description_en = CASE WHEN description_en = '' THEN $3 ELSE description_en END,
       description_fr = CASE WHEN description_fr = '' THEN $4 ELSE description_fr END,
       shot_list_en = $5, shot_list_fr = $6, usage_terms_en = $7, usage_terms_fr = $8,
       speakers = $9, languages = $10, published_at = coalesce(published_at, $11), updated_at = $11
     WHERE id = $1`,
    [
      id,
      details.position,
      details.description.en,
      details.description.fr,
      details.shotList.en,
      details.shotList.fr,
      details.usageTerms.en,
      details.usageTerms.fr,
      details.speakers,
      details.languages,
      now,
    ],
  );
}
