import type { Queryable } from "../db/database.ts";
import { eventColumns, toDate, toEvent } from "./rows.ts";
import type { EventRecord } from "./types.ts";
import type { ProgrammeEntry, Viewer } from "./views.ts";

/** SQL for events and their programme, nothing else. */

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

/** The programme in order, each entry with the item that recorded it when the viewer may see it. */
export async function programmeOf(db: Queryable, viewer: Viewer, eventId: number): Promise<ProgrammeEntry[]> {
  const itemVisible = viewer.editor
    ? "($1::timestamptz IS NOT NULL)"
    : "(m.published_at IS NOT NULL AND m.published_at <= $1)";
  const rows = await db.query(
    `SELECT p.id, p.event_id, p.position, p.starts_at, p.title_en, p.title_fr, p.media_item_id,
       m.id AS item_id, m.title_en AS item_title_en, m.title_fr AS item_title_fr, m.kind AS item_kind,
       m.duration_seconds AS item_duration
     FROM programme_items p
     LEFT JOIN media_items m ON m.id = p.media_item_id AND ${itemVisible}
     WHERE p.event_id = $2
     ORDER BY p.position, p.starts_at NULLS LAST, p.id`,
    [viewer.now, eventId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    eventId: Number(r.event_id),
    position: Number(r.position),
    startsAt: toDate(r.starts_at),
    title: { en: String(r.title_en ?? ""), fr: String(r.title_fr ?? "") },
    mediaItemId: r.media_item_id === null ? null : Number(r.media_item_id),
    item:
      r.item_id === null
        ? null
        : {
            id: Number(r.item_id),
            title: { en: String(r.item_title_en ?? ""), fr: String(r.item_title_fr ?? "") },
            kind: String(r.item_kind),
            durationSeconds: r.item_duration === null ? null : Number(r.item_duration),
          },
  }));
}

/** Published events, latest first, for the search filter's list. */
export async function eventChoices(db: Queryable, now: Date, limit: number) {
  return db.query<{ slug: string; title_en: string; title_fr: string }>(
    `SELECT slug, title_en, title_fr FROM events
     WHERE published_at IS NOT NULL AND published_at <= $1 ORDER BY starts_at DESC LIMIT $2`,
    [now, limit],
  );
}
