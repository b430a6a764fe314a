import type { Localized } from "../catalogue/types.ts";
import type { Queryable } from "../db/database.ts";

/** The demo loader's SQL, nothing else. */

export type DemoEventRow = { id: number; published: boolean };

export async function findEventBySlug(db: Queryable, slug: string): Promise<DemoEventRow | null> {
  const rows = await db.query<{ id: number; published: boolean }>(
    "SELECT id, published_at IS NOT NULL AS published FROM events WHERE slug = $1",
    [slug],
  );
  return rows[0] ?? null;
}

export type DemoEventInput = {
  slug: string;
  startsAt: Date;
  endsAt: Date;
  place: Localized;
  title: Localized;
  summary: Localized;
  body: Localized;
};

export async function insertEvent(db: Queryable, event: DemoEventInput, now: Date): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO events (slug, starts_at, ends_at, place_en, place_fr, title_en, title_fr, summary_en, summary_fr,
       body_en, body_fr, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
    [
      event.slug,
      event.startsAt,
      event.endsAt,
      event.place.en,
      event.place.fr,
      event.title.en,
      event.title.fr,
      event.summary.en,
      event.summary.fr,
      event.body.en,
      event.body.fr,
      now,
    ],
  );
  return rows[0]!.id;
}

export async function publishEvent(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query("UPDATE events SET published_at = $2, updated_at = $2 WHERE id = $1", [id, now]);
}

/** The event's items by English title: how a resumed load finds what an interrupted one made. */
export async function itemIdsByTitle(db: Queryable, eventId: number): Promise<Map<string, number>> {
  const rows = await db.query<{ id: number; title_en: string }>(
    "SELECT id, title_en FROM media_items WHERE event_id = $1",
    [eventId],
  );
  return new Map(rows.map((row) => [row.title_en, row.id]));
}

export type DemoItemDetails = {
  position: number;
  description: Localized;
  shotList: Localized;
  usageTerms: Localized;
  speakers: string[];
  languages: string[];
};

/**
 * What ingest's item fields do not carry, then published. A description already there (read
 * from a photo's own caption) is kept.
 */
export async function completeItem(
  db: Queryable,
  id: number,
  details: DemoItemDetails,
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

export async function hasProgramme(db: Queryable, eventId: number): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM programme_items WHERE event_id = $1 LIMIT 1", [eventId]);
  return rows.length > 0;
}

export async function insertProgrammeEntry(
  db: Queryable,
  eventId: number,
  entry: { position: number; startsAt: Date; title: Localized; mediaItemId: number | null },
): Promise<void> {
  await db.query(
    `INSERT INTO programme_items (event_id, position, starts_at, title_en, title_fr, media_item_id)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [eventId, entry.position, entry.startsAt, entry.title.en, entry.title.fr, entry.mediaItemId],
  );
}

/** Nothing published or drafted yet: the moment to offer the demo. */
export async function catalogueIsEmpty(db: Queryable): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM events UNION ALL SELECT 1 FROM media_items LIMIT 1");
  return rows.length === 0;
}
