import type { Queryable } from "../db/database.ts";
import { eventColumns, toEvent } from "./rows.ts";
import type { EventRecord } from "./types.ts";
import { rowByFormToken, rowVersion, setPublished } from "./versioned-rows.ts";
import type { Viewer } from "./view-models.ts";

/** Table events: SQL and row mapping, nothing else. Every feature reads and writes events here. */

/** What an editor (or the demo) writes of an event; publication is set on its own. */
export type EventInput = Omit<EventRecord, "id" | "publishedAt">;

/** An event in the editors' list, drafts included. */
export type EventOverview = Pick<EventRecord, "id" | "slug" | "startsAt" | "title" | "publishedAt"> & {
  itemCount: number;
};

export type EventCard = EventRecord & {
  /** The poster of the event's first playable item, to illustrate the event in lists. */
  poster: { itemId: number; key: string } | null;
};

function visibleEvents(viewer: Viewer, nowParam: string): string {
  // Editors see everything; the parameter is still named so PostgreSQL can infer its type.
  return viewer.editor
    ? `(${nowParam}::timestamptz IS NOT NULL)`
    : `(e.published_at IS NOT NULL AND e.published_at <= ${nowParam})`;
}

export async function latestEvents(
  db: Queryable,
  now: Date,
  options: { limit: number; offset?: number },
): Promise<EventCard[]> {
  // Only available items lend their poster: an embargoed picture must not show on the home page.
  const rows = await db.query(
    `SELECT ${eventColumns("e")}, poster.media_item_id AS poster_item, poster.storage_key AS poster_key
     FROM events e
     LEFT JOIN LATERAL (
       SELECT r.media_item_id, r.storage_key
       FROM media_items m JOIN renditions r ON r.media_item_id = m.id AND r.kind = 'poster'
       WHERE m.event_id = e.id AND m.published_at <= $1 AND (m.embargo_until IS NULL OR m.embargo_until <= $1)
       ORDER BY m.position, m.id LIMIT 1
     ) poster ON true
     WHERE e.published_at IS NOT NULL AND e.published_at <= $1
     ORDER BY e.starts_at DESC, e.id DESC
     LIMIT $2 OFFSET $3`,
    [now, options.limit, options.offset ?? 0],
  );
  return rows.map((r) => ({
    ...toEvent(r),
    poster: r.poster_key ? { itemId: Number(r.poster_item), key: String(r.poster_key) } : null,
  }));
}

export async function eventBySlug(db: Queryable, viewer: Viewer, slug: string): Promise<EventRecord | null> {
  const [row] = await db.query(
    `SELECT ${eventColumns("e")} FROM events e WHERE e.slug = $2 AND ${visibleEvents(viewer, "$1")}`,
    [viewer.now, slug],
  );
  return row ? toEvent(row) : null;
}

/** Published events, latest first, for the search filter's list. */
export async function publishedEventChoices(db: Queryable, now: Date, limit: number) {
  return db.query<{ slug: string; title_en: string; title_fr: string }>(
    `SELECT slug, title_en, title_fr FROM events
     WHERE published_at IS NOT NULL AND published_at <= $1 ORDER BY starts_at DESC LIMIT $2`,
    [now, limit],
  );
}

/** Of these events, the ones published at `now`. */
export async function publishedEventIds(db: Queryable, now: Date, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.query<{ id: number }>(
    `SELECT id FROM events WHERE id = ANY($2::int[]) AND published_at IS NOT NULL AND published_at <= $1`,
    [now, ids],
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/** Any event, whatever its state: for editors, ingest and the demo, who apply their own rules. */
export async function findEvent(db: Queryable, id: number): Promise<EventRecord | null> {
  const [row] = await db.query(`SELECT ${eventColumns("e")} FROM events e WHERE e.id = $1`, [id]);
  return row ? toEvent(row) : null;
}

/** Any event by its slug, whatever its state (`eventBySlug` is the one that hides drafts). */
export async function findEventBySlug(db: Queryable, slug: string): Promise<EventRecord | null> {
  const [row] = await db.query(`SELECT ${eventColumns("e")} FROM events e WHERE e.slug = $1`, [slug]);
  return row ? toEvent(row) : null;
}

/** Drafts and published events, latest first, with how many media items each holds. */
export async function eventOverviews(db: Queryable, limit: number): Promise<EventOverview[]> {
  const rows = await db.query(
    `SELECT e.id, e.slug, e.starts_at, e.title_en, e.title_fr, e.published_at,
       (SELECT count(*) FROM media_items m WHERE m.event_id = e.id) AS item_count
     FROM events e ORDER BY e.starts_at DESC, e.id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => {
    const { id, slug, startsAt, title, publishedAt } = toEvent(r);
    return { id, slug, startsAt, title, publishedAt, itemCount: Number(r.item_count) };
  });
}

/** Every event, drafts included, for the item form's select. */
export async function allEventChoices(
  db: Queryable,
): Promise<Pick<EventRecord, "id" | "startsAt" | "title">[]> {
  const rows = await db.query(
    "SELECT id, starts_at, title_en, title_fr FROM events ORDER BY starts_at DESC, id DESC",
  );
  return rows.map((r) => {
    const { id, startsAt, title } = toEvent(r);
    return { id, startsAt, title };
  });
}

export async function slugTaken(db: Queryable, slug: string, exceptId: number | null): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM events WHERE slug = $1 AND id IS DISTINCT FROM $2", [
    slug,
    exceptId,
  ]);
  return rows.length > 0;
}

function eventValues(input: EventInput): unknown[] {
  return [
    input.slug,
    input.startsAt,
    input.endsAt,
    input.place.en,
    input.place.fr,
    input.title.en,
    input.title.fr,
    input.summary.en,
    input.summary.fr,
    input.body.en,
    input.body.fr,
  ];
}

/**
 * A new event, unpublished. `formToken`: the workspace form's one-time token, which the event
 * keeps (a second insert with it is refused by its unique index; `eventByFormToken` finds this one).
 */
export async function insertEvent(
  db: Queryable,
  input: EventInput,
  now: Date,
  formToken: string | null = null,
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO events (slug, starts_at, ends_at, place_en, place_fr, title_en, title_fr, summary_en,
       summary_fr, body_en, body_fr, created_at, updated_at, form_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id`,
    [...eventValues(input), now, formToken],
  );
  return rows[0]!.id;
}

/** The event made by the workspace form sent with this one-time token, or null. */
export const eventByFormToken = (db: Queryable, token: string) => rowByFormToken(db, "events", token);

/**
 * `version`: the event as the writer read it; the change is made only if nobody changed it since
 * (false otherwise). Null writes whatever the version.
 */
export async function updateEvent(
  db: Queryable,
  id: number,
  input: EventInput,
  now: Date,
  version: number | null = null,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE events SET slug = $1, starts_at = $2, ends_at = $3, place_en = $4, place_fr = $5, title_en = $6,
       title_fr = $7, summary_en = $8, summary_fr = $9, body_en = $10, body_fr = $11, updated_at = $12
     WHERE id = $13 AND ($14::integer IS NULL OR version = $14) RETURNING id`,
    [...eventValues(input), now, id, version],
  );
  return rows.length > 0;
}

export const setEventPublished = (
  db: Queryable,
  id: number,
  publish: boolean,
  now: Date,
  version: number | null = null,
) => setPublished(db, "events", id, publish, now, version);

/** The event's version (its ETag), or null when there is no such event. */
export const eventVersion = (db: Queryable, id: number) => rowVersion(db, "events", id);

/**
 * Deletes the event (its programme goes with it) at `version`, only if no item belongs to it:
 * "deleted", "changed" (someone wrote meanwhile, or it is gone) or "has_items".
 */
export async function deleteEvent(
  db: Queryable,
  id: number,
  version: number,
): Promise<"deleted" | "changed" | "has_items"> {
  const [row] = await db.query<{ deleted: boolean; has_items: boolean }>(
    `WITH target AS (SELECT id, EXISTS (SELECT 1 FROM media_items m WHERE m.event_id = events.id) AS has_items
       FROM events WHERE id = $1 AND version = $2),
     gone AS (DELETE FROM events WHERE id IN (SELECT id FROM target WHERE NOT has_items) RETURNING id)
     SELECT EXISTS (SELECT 1 FROM gone) AS deleted, coalesce((SELECT has_items FROM target), false) AS has_items`,
    [id, version],
  );
  return row?.deleted ? "deleted" : row?.has_items ? "has_items" : "changed";
}
