import type { EventRecord, Localized } from "../../catalogue/types.ts";
import type { Queryable } from "../../db/database.ts";

export type EventInput = Omit<EventRecord, "id" | "publishedAt">;

export type EventSummary = Pick<EventRecord, "id" | "slug" | "startsAt" | "title" | "publishedAt"> & {
  itemCount: number;
};

type EventRow = {
  id: number;
  slug: string;
  starts_at: Date;
  ends_at: Date | null;
  place_en: string;
  place_fr: string;
  title_en: string;
  title_fr: string;
  summary_en: string;
  summary_fr: string;
  body_en: string;
  body_fr: string;
  published_at: Date | null;
};

const pair = (en: string, fr: string): Localized => ({ en, fr });

function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    slug: row.slug,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    place: pair(row.place_en, row.place_fr),
    title: pair(row.title_en, row.title_fr),
    summary: pair(row.summary_en, row.summary_fr),
    body: pair(row.body_en, row.body_fr),
    publishedAt: row.published_at,
  };
}

export async function findEvent(db: Queryable, id: number): Promise<EventRecord | null> {
  const rows = await db.query<EventRow>(
    `SELECT id, slug, starts_at, ends_at, place_en, place_fr, title_en, title_fr, summary_en, summary_fr,
       body_en, body_fr, published_at FROM events WHERE id = $1`,
    [id],
  );
  return rows[0] ? toEvent(rows[0]) : null;
}

/** Drafts and published events, latest first, with how many media items each holds. */
export async function listEvents(db: Queryable, limit: number): Promise<EventSummary[]> {
  const rows = await db.query<EventRow & { item_count: number | string }>(
    `SELECT e.id, e.slug, e.starts_at, e.title_en, e.title_fr, e.published_at,
       (SELECT count(*) FROM media_items m WHERE m.event_id = e.id) AS item_count
     FROM events e ORDER BY e.starts_at DESC, e.id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    startsAt: row.starts_at,
    title: pair(row.title_en, row.title_fr),
    publishedAt: row.published_at,
    itemCount: Number(row.item_count),
  }));
}

/** Every event, for the item form's select. */
export async function eventChoices(db: Queryable): Promise<Pick<EventRecord, "id" | "startsAt" | "title">[]> {
  const rows = await db.query<EventRow>(
    "SELECT id, starts_at, title_en, title_fr FROM events ORDER BY starts_at DESC, id DESC",
  );
  return rows.map((row) => ({
    id: row.id,
    startsAt: row.starts_at,
    title: pair(row.title_en, row.title_fr),
  }));
}

export async function slugTaken(db: Queryable, slug: string, exceptId: number | null): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM events WHERE slug = $1 AND id IS DISTINCT FROM $2", [
    slug,
    exceptId,
  ]);
  return rows.length > 0;
}

function values(input: EventInput): unknown[] {
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

export async function insertEvent(db: Queryable, input: EventInput, now: Date): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO events (slug, starts_at, ends_at, place_en, place_fr, title_en, title_fr, summary_en,
       summary_fr, body_en, body_fr, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
    [...values(input), now],
  );
  return rows[0]!.id;
}

export async function updateEvent(db: Queryable, id: number, input: EventInput, now: Date): Promise<void> {
  await db.query(
    `UPDATE events SET slug = $1, starts_at = $2, ends_at = $3, place_en = $4, place_fr = $5, title_en = $6,
       title_fr = $7, summary_en = $8, summary_fr = $9, body_en = $10, body_fr = $11, updated_at = $12
     WHERE id = $13`,
    [...values(input), now, id],
  );
}
