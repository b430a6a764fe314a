import type { Queryable } from "../db/database.ts";

/** SQL of the downloads feature: records, usage-terms acceptance, the clip cache index. */

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
    title_en: string;
    title_fr: string;
  }>(
    `SELECT d.id, d.media_item_id, d.in_frame, d.out_frame, d.format, d.audio, d.file_name, d.bytes, d.created_at,
            m.title_en, m.title_fr
     FROM downloads d JOIN media_items m ON m.id = d.media_item_id
     WHERE d.user_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    mediaItemId: r.media_item_id,
    inFrame: r.in_frame,
    outFrame: r.out_frame,
    format: r.format,
    audio: r.audio,
    fileName: r.file_name,
    bytes: r.bytes === null ? null : Number(r.bytes),
    createdAt: r.created_at,
    itemTitleEn: r.title_en,
    itemTitleFr: r.title_fr,
  }));
}

export async function acceptDownloadTerms(db: Queryable, userId: number, now: Date): Promise<void> {
  await db.query(
    "UPDATE users SET download_terms_accepted_at = $2 WHERE id = $1 AND download_terms_accepted_at IS NULL",
    [userId, now],
  );
}

export async function hasAcceptedDownloadTerms(db: Queryable, userId: number): Promise<boolean> {
  const rows = await db.query<{ accepted: boolean }>(
    "SELECT download_terms_accepted_at IS NOT NULL AS accepted FROM users WHERE id = $1",
    [userId],
  );
  return rows[0]?.accepted === true;
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

// --- for the "My downloads" page ------------------------------------------------------

export type ItemClock = {
  mediaType: string;
  rate: { num: number; den: number } | null;
  startTimecode: string | null;
  frameCount: number | null;
};

/** Kind and master clock of each item, so recorded frames can be shown as the master's timecodes. */
export async function itemClocks(db: Queryable, itemIds: number[]): Promise<Map<number, ItemClock>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db.query<{
    id: number;
    media_type: string;
    probe: {
      video?: { frameRate?: { num: number; den: number } };
      startTimecode?: string | null;
      frameCount?: number;
    } | null;
  }>(
    `SELECT i.id, i.media_type, m.probe FROM media_items i LEFT JOIN masters m ON m.media_item_id = i.id
     WHERE i.id = ANY($1::int[])`,
    [itemIds],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        mediaType: r.media_type,
        rate: r.probe?.video?.frameRate ?? null,
        startTimecode: r.probe?.startTimecode ?? null,
        frameCount: r.probe?.frameCount ?? null,
      },
    ]),
  );
}
