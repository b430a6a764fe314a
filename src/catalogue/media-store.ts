import { stringOrNull } from "../db/columns.ts";
import type { Queryable } from "../db/database.ts";
import { itemColumns, masterColumns, toItem, toMaster } from "./rows.ts";
import type { AudioTrackLabel, Master, MediaItem, MediaType } from "./types.ts";

/**
 * Tables masters and renditions: an item's original file and the files derived from it.
 * SQL and row mapping, nothing else.
 */

export async function findMaster(db: Queryable, itemId: number): Promise<Master | null> {
  const [row] = await db.query(`SELECT ${masterColumns("m")} FROM masters m WHERE m.media_item_id = $1`, [
    itemId,
  ]);
  return row ? toMaster(row) : null;
}

/** A new master replaces the old one, and its keyframe index (made from the old file) goes. */
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

export async function setKeyframeIndexKey(db: Queryable, itemId: number, key: string): Promise<void> {
  await db.query("UPDATE masters SET keyframe_index_key = $2 WHERE media_item_id = $1", [itemId, key]);
}

export async function setAudioLabels(
  db: Queryable,
  itemId: number,
  labels: AudioTrackLabel[],
): Promise<void> {
  await db.query("UPDATE masters SET audio_labels = $1::jsonb WHERE media_item_id = $2", [
    JSON.stringify(labels),
    itemId,
  ]);
}

// --- renditions -------------------------------------------------------------------------

/** Records a derived file; a second one of the same kind replaces the first. */
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

export async function deleteRenditions(db: Queryable, itemId: number): Promise<void> {
  await db.query("DELETE FROM renditions WHERE media_item_id = $1", [itemId]);
}

// --- an item with its files, for downloads --------------------------------------------------

/** An item with what a download is made from: its event's slug, its master, a photo's web size. */
export type ItemMedia = {
  item: MediaItem;
  eventSlug: string | null;
  master: Master | null;
  /** Storage key of the 'web' rendition of a photo. */
  webPhotoKey: string | null;
  /** A photo's format as read at ingest (jpeg, png, tiff), whatever its file was called. */
  photoFormat: string | null;
};

/** One query: downloads ask for it on every clip. */
export async function findItemMedia(db: Queryable, itemId: number): Promise<ItemMedia | null> {
  const [row] = await db.query(
    `SELECT ${itemColumns("i")}, e.slug AS event_slug, m.media_item_id AS master_item, ${masterColumns("m")},
       (SELECT r.storage_key FROM renditions r WHERE r.media_item_id = i.id AND r.kind = 'web') AS web_key,
       CASE WHEN i.media_type = 'photo' THEN m.probe->>'format' END AS photo_format
     FROM media_items i
     LEFT JOIN events e ON e.id = i.event_id
     LEFT JOIN masters m ON m.media_item_id = i.id
     WHERE i.id = $1`,
    [itemId],
  );
  if (!row) return null;
  return {
    item: toItem(row),
    eventSlug: stringOrNull(row.event_slug),
    master: row.master_item === null ? null : toMaster(row),
    webPhotoKey: stringOrNull(row.web_key),
    photoFormat: stringOrNull(row.photo_format),
  };
}

/** Media type and master probe of each item (null probe: no master yet), by id. */
export async function itemProbes(
  db: Queryable,
  itemIds: number[],
): Promise<Map<number, { mediaType: MediaType; probe: Master["probe"] }>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db.query(
    `SELECT i.id, i.media_type, m.probe FROM media_items i LEFT JOIN masters m ON m.media_item_id = i.id
     WHERE i.id = ANY($1::int[])`,
    [itemIds],
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      { mediaType: r.media_type as MediaType, probe: (r.probe ?? null) as Master["probe"] },
    ]),
  );
}

/**
 * Video items whose preview predates the frame-true readout (issue 14): an HLS rendition without
 * its first-picture offset, or no MP4 preview for pages without JavaScript.
 */
export async function itemsWithOldPreviews(db: Queryable): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT m.id FROM media_items m
     JOIN renditions h ON h.media_item_id = m.id AND h.kind = 'hls'
     WHERE m.media_type = 'video' AND m.status = 'ready'
       AND (h.meta->>'firstFrameSeconds' IS NULL
         OR NOT EXISTS (SELECT 1 FROM renditions p WHERE p.media_item_id = m.id AND p.kind = 'mp4'))
     ORDER BY m.id`,
  );
  return rows.map((r) => Number(r.id));
}

/** Forgets the previews of an item (HLS and MP4), so its processing makes them again. */
export async function forgetPreviews(db: Queryable, itemId: number): Promise<void> {
  await db.query("DELETE FROM renditions WHERE media_item_id = $1 AND kind IN ('hls', 'mp4')", [itemId]);
}
