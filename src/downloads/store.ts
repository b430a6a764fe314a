import { itemTitles } from "../catalogue/item-store.ts";
import { numberOrNull } from "../db/columns.ts";
import type { Queryable } from "../db/database.ts";

/** SQL of the downloads feature: its tables downloads and clip_cache. */

export type DownloadRecord = {
  id: number;
  mediaItemId: number;
  inFrame: number | null;
  outFrame: number | null;
  format: string;
  audio: string;
  fileName: string;
  bytes: number | null;
  createdAt: Date;
  itemTitleEn: string;
  itemTitleFr: string;
};

export async function recordDownload(
  db: Queryable,
  row: Omit<DownloadRecord, "id" | "itemTitleEn" | "itemTitleFr"> & { userId: number },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO downloads (user_id, media_item_id, in_frame, out_frame, format, audio, file_name, bytes, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      row.userId,
      row.mediaItemId,
      row.inFrame,
      row.outFrame,
      row.format,
      row.audio,
      row.fileName,
      row.bytes,
      row.createdAt,
    ],
  );
  return rows[0]!.id;
}

/** The bytes actually sent, known when the response ends. */
export async function setDownloadBytes(db: Queryable, id: number, bytes: number): Promise<void> {
  await db.query("UPDATE downloads SET bytes = $2 WHERE id = $1", [id, bytes]);
}

/** The user's downloads, newest first, each with its item's title (from the catalogue, which owns items). */
export async function listDownloads(db: Queryable, userId: number, limit = 100): Promise<DownloadRecord[]> {
  const rows = await db.query<{
    id: number;
    media_item_id: number;
    in_frame: number | null;
    out_frame: number | null;
    format: string;
    audio: string;
    file_name: string;
    bytes: number | null;
    created_at: Date;
  }>(
    `SELECT d.id, d.media_item_id, d.in_frame, d.out_frame, d.format, d.audio, d.file_name, d.bytes, d.created_at
     FROM downloads d
     WHERE d.user_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
    [userId, limit],
  );
  const titles = await itemTitles(db, [...new Set(rows.map((r) => r.media_item_id))]);
  // An item deleted between the two reads takes its downloads with it (the key cascades): leave them out.
  return rows.flatMap((r) => {
    const title = titles.get(r.media_item_id);
    if (!title) return [];
    return [
      {
        id: r.id,
        mediaItemId: r.media_item_id,
        inFrame: r.in_frame,
        outFrame: r.out_frame,
        format: r.format,
        audio: r.audio,
        fileName: r.file_name,
        bytes: numberOrNull(r.bytes),
        createdAt: r.created_at,
        itemTitleEn: title.en,
        itemTitleFr: title.fr,
      },
    ];
  });
}

// --- clip cache -----------------------------------------------------------------------

export type CachedClip = { storageKey: string; bytes: number; contentType: string };

export async function findCachedClip(db: Queryable, cacheKey: string, now: Date): Promise<CachedClip | null> {
  const rows = await db.query<{ storage_key: string; bytes: number; content_type: string }>(
    "UPDATE clip_cache SET last_used_at = $2 WHERE cache_key = $1 RETURNING storage_key, bytes, content_type",
    [cacheKey, now],
  );
  const row = rows[0];
  return row
    ? { storageKey: row.storage_key, bytes: Number(row.bytes), contentType: row.content_type }
    : null;
}

export async function addCachedClip(
  db: Queryable,
  cacheKey: string,
  clip: CachedClip,
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO clip_cache (cache_key, storage_key, bytes, content_type, created_at, last_used_at)
     VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (cache_key) DO UPDATE SET storage_key = EXCLUDED.storage_key, bytes = EXCLUDED.bytes,
       content_type = EXCLUDED.content_type, last_used_at = EXCLUDED.last_used_at`,
    [cacheKey, clip.storageKey, clip.bytes, clip.contentType, now],
  );
}

/** Removes the least recently used entries until the cache holds at most `maxBytes`; returns their storage keys. */
export async function evictCachedClips(db: Queryable, maxBytes: number): Promise<string[]> {
  const rows = await db.query<{ storage_key: string }>(
    `DELETE FROM clip_cache WHERE cache_key IN (
       SELECT cache_key FROM (
         SELECT cache_key, sum(bytes) OVER (ORDER BY last_used_at DESC, cache_key) AS running FROM clip_cache
       ) ranked WHERE running > $1
     ) RETURNING storage_key`,
    [maxBytes],
  );
  return rows.map((r) => r.storage_key);
}
