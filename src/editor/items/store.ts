import type { Localized, MediaItem, MediaStatus, MediaType } from "../../catalogue/types.ts";
import type { Queryable } from "../../db/database.ts";

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

type ItemRow = {
  id: number;
  event_id: number | null;
  media_type: MediaType;
  kind: string;
  position: number;
  title_en: string;
  title_fr: string;
  description_en: string;
  description_fr: string;
  shot_list_en: string;
  shot_list_fr: string;
  usage_terms_en: string;
  usage_terms_fr: string;
  credit: string;
  speakers: string[];
  languages: string[];
  recorded_at: Date | null;
  embargo_until: Date | null;
  published_at: Date | null;
  status: MediaStatus;
  status_reason: string | null;
  progress: number;
  duration_seconds: number | null;
};

const columns = `id, event_id, media_type, kind, position, title_en, title_fr, description_en, description_fr,
  shot_list_en, shot_list_fr, usage_terms_en, usage_terms_fr, credit, speakers, languages, recorded_at,
  embargo_until, published_at, status, status_reason, progress, duration_seconds`;

const pair = (en: string, fr: string): Localized => ({ en, fr });

function toItem(row: ItemRow): MediaItem {
  return {
    id: row.id,
    eventId: row.event_id,
    mediaType: row.media_type,
    kind: row.kind,
    position: row.position,
    title: pair(row.title_en, row.title_fr),
    description: pair(row.description_en, row.description_fr),
    shotList: pair(row.shot_list_en, row.shot_list_fr),
    usageTerms: pair(row.usage_terms_en, row.usage_terms_fr),
    credit: row.credit,
    speakers: row.speakers,
    languages: row.languages,
    recordedAt: row.recorded_at,
    embargoUntil: row.embargo_until,
    publishedAt: row.published_at,
    status: row.status,
    statusReason: row.status_reason,
    progress: row.progress,
    durationSeconds: row.duration_seconds === null ? null : Number(row.duration_seconds),
  };
}

export async function findItem(db: Queryable, id: number): Promise<MediaItem | null> {
  const rows = await db.query<ItemRow>(`SELECT ${columns} FROM media_items WHERE id = $1`, [id]);
  return rows[0] ? toItem(rows[0]) : null;
}

/** The latest created or changed items, whatever their state: the dashboard's "what is going on". */
export async function recentItems(db: Queryable, limit: number): Promise<MediaItem[]> {
  const rows = await db.query<ItemRow>(
    `SELECT ${columns} FROM media_items ORDER BY updated_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toItem);
}

export async function eventItems(db: Queryable, eventId: number): Promise<MediaItem[]> {
  const rows = await db.query<ItemRow>(
    `SELECT ${columns} FROM media_items WHERE event_id = $1 ORDER BY position, id`,
    [eventId],
  );
  return rows.map(toItem);
}

function values(input: ItemInput): unknown[] {
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

/** A new item goes last in its event. */
export async function insertItem(
  db: Queryable,
  input: ItemInput & { mediaType: MediaType },
  now: Date,
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO media_items (event_id, kind, title_en, title_fr, description_en, description_fr, shot_list_en,
       shot_list_fr, usage_terms_en, usage_terms_fr, credit, speakers, languages, recorded_at, embargo_until,
       media_type, position, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
       (SELECT COALESCE(max(position) + 1, 0) FROM media_items WHERE event_id = $1), $17, $17)
     RETURNING id`,
    [...values(input), input.mediaType, now],
  );
  return rows[0]!.id;
}

export async function updateItem(db: Queryable, id: number, input: ItemInput, now: Date): Promise<void> {
  await db.query(
    `UPDATE media_items SET event_id = $1, kind = $2, title_en = $3, title_fr = $4, description_en = $5,
       description_fr = $6, shot_list_en = $7, shot_list_fr = $8, usage_terms_en = $9, usage_terms_fr = $10,
       credit = $11, speakers = $12, languages = $13, recorded_at = $14, embargo_until = $15, updated_at = $16
     WHERE id = $17`,
    [...values(input), now, id],
  );
}
