import type { MediaStatus, MediaType } from "../catalogue/types.ts";
import type { Queryable } from "../db/database.ts";

/** The SQL of ingest, and nothing else. */

export type NewItem = {
  eventId: number;
  mediaType: MediaType;
  kind: string;
  titleEn: string;
  titleFr: string;
  descriptionEn: string;
  descriptionFr: string;
  credit: string;
  recordedAt: Date | null;
  status: MediaStatus;
};

export type IngestItem = {
  id: number;
  eventId: number | null;
  mediaType: MediaType;
  kind: string;
  titleEn: string;
  titleFr: string;
  status: MediaStatus;
  statusReason: string | null;
  progress: number;
  durationSeconds: number | null;
};

export type MasterRow = {
  storageKey: string;
  originalName: string;
  bytes: number;
  probe: unknown;
  keyframeIndexKey: string | null;
};

export async function findEventId(db: Queryable, slug: string): Promise<number | null> {
  const rows = await db.query<{ id: number }>("SELECT id FROM events WHERE slug = $1", [slug]);
  return rows[0]?.id ?? null;
}

export async function insertItem(db: Queryable, item: NewItem, now: Date): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO media_items (event_id, media_type, kind, position, title_en, title_fr, description_en,
       description_fr, credit, recorded_at, status, created_at, updated_at)
     VALUES ($1, $2, $3, (SELECT coalesce(max(position) + 1, 0) FROM media_items WHERE event_id = $1),
       $4, $5, $6, $7, $8, $9, $10, $11, $11)
     RETURNING id`,
    [
      item.eventId,
      item.mediaType,
      item.kind,
      item.titleEn,
      item.titleFr,
      item.descriptionEn,
      item.descriptionFr,
      item.credit,
      item.recordedAt,
      item.status,
      now,
    ],
  );
  return rows[0]!.id;
}

export async function findItem(db: Queryable, id: number): Promise<IngestItem | null> {
  const rows = await db.query<IngestItem>(
    `SELECT id, event_id AS "eventId", media_type AS "mediaType", kind, title_en AS "titleEn",
       title_fr AS "titleFr", status, status_reason AS "statusReason", progress,
       duration_seconds AS "durationSeconds"
     FROM media_items WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function deleteItem(db: Queryable, id: number): Promise<void> {
  await db.query("DELETE FROM media_items WHERE id = $1", [id]);
}

export async function setStatus(
  db: Queryable,
  id: number,
  status: MediaStatus,
  reason: string | null,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE media_items SET status = $2, status_reason = $3, updated_at = $4,
       progress = CASE WHEN $2 = 'ready' THEN 100 WHEN $2 = 'failed' THEN progress ELSE 0 END
     WHERE id = $1`,
    [id, status, reason, now],
  );
}

export async function setProgress(db: Queryable, id: number, progress: number): Promise<void> {
  await db.query("UPDATE media_items SET progress = $2 WHERE id = $1 AND status = 'processing'", [
    id,
    progress,
  ]);
}

export async function setDuration(
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

/** Caption and credit from the picture's own metadata, only where the editors wrote nothing. */
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

export async function upsertMaster(
  db: Queryable,
  itemId: number,
  master: { storageKey: string; originalName: string; bytes: number; probe: unknown },
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO masters (media_item_id, storage_key, original_name, bytes, probe, created_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6)
     ON CONFLICT (media_item_id) DO UPDATE SET storage_key = $2, original_name = $3, bytes = $4,
       probe = $5::jsonb, keyframe_index_key = NULL`,
    [itemId, master.storageKey, master.originalName, master.bytes, JSON.stringify(master.probe), now],
  );
}

export async function findMaster(db: Queryable, itemId: number): Promise<MasterRow | null> {
  const rows = await db.query<MasterRow>(
    `SELECT storage_key AS "storageKey", original_name AS "originalName", bytes::float8 AS bytes, probe,
       keyframe_index_key AS "keyframeIndexKey"
     FROM masters WHERE media_item_id = $1`,
    [itemId],
  );
  return rows[0] ?? null;
}

export async function setKeyframeIndexKey(db: Queryable, itemId: number, key: string): Promise<void> {
  await db.query("UPDATE masters SET keyframe_index_key = $2 WHERE media_item_id = $1", [itemId, key]);
}

export async function insertRendition(
  db: Queryable,
  itemId: number,
  rendition: { kind: string; storageKey: string; meta: object },
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO renditions (media_item_id, kind, storage_key, meta, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)
     ON CONFLICT (media_item_id, kind) DO UPDATE SET storage_key = $3, meta = $4::jsonb, created_at = $5`,
    [itemId, rendition.kind, rendition.storageKey, JSON.stringify(rendition.meta), now],
  );
}

export async function renditionKinds(db: Queryable, itemId: number): Promise<Set<string>> {
  const rows = await db.query<{ kind: string }>("SELECT kind FROM renditions WHERE media_item_id = $1", [
    itemId,
  ]);
  return new Set(rows.map((r) => r.kind));
}
