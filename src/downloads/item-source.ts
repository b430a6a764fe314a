import type { Queryable } from "../db/database.ts";
import type { KeyframeIndex } from "../media/keyframes.ts";
import type { MasterInfo } from "../media/probe.ts";
import type { Storage } from "../storage/storage.ts";

/** What a download is made from: the item, its event, its master and what ingest learnt of it. */
export type DownloadSource = {
  itemId: number;
  mediaType: "video" | "audio" | "photo";
  status: string;
  titleEn: string;
  titleFr: string;
  publishedAt: Date | null;
  embargoUntil: Date | null;
  eventSlug: string | null;
  master: {
    storageKey: string;
    originalName: string;
    bytes: number;
    probe: MasterInfo | null;
    keyframeIndexKey: string | null;
    audioLabels: { index: number; label: string }[];
  } | null;
  /** Storage key of the web-size rendition of a photo. */
  webPhotoKey: string | null;
  /** A photo's format as read at ingest (jpeg, png, tiff), whatever its file was called. */
  photoFormat: string | null;
};

export async function findDownloadSource(db: Queryable, itemId: number): Promise<DownloadSource | null> {
  const rows = await db.query<{
    id: number;
    media_type: "video" | "audio" | "photo";
    status: string;
    title_en: string;
    title_fr: string;
    published_at: Date | null;
    embargo_until: Date | null;
    slug: string | null;
    storage_key: string | null;
    original_name: string | null;
    bytes: number | null;
    probe: MasterInfo | null;
    keyframe_index_key: string | null;
    audio_labels: { index: number; label: string }[] | null;
    web_key: string | null;
    photo_format: string | null;
  }>(
    `SELECT i.id, i.media_type, i.status, i.title_en, i.title_fr, i.published_at, i.embargo_until, e.slug,
            m.storage_key, m.original_name, m.bytes, m.probe, m.keyframe_index_key, m.audio_labels,
            (SELECT r.storage_key FROM renditions r WHERE r.media_item_id = i.id AND r.kind = 'web') AS web_key,
            CASE WHEN i.media_type = 'photo' THEN m.probe->>'format' END AS photo_format
     FROM media_items i
     LEFT JOIN events e ON e.id = i.event_id
     LEFT JOIN masters m ON m.media_item_id = i.id
     WHERE i.id = $1`,
    [itemId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    itemId: r.id,
    mediaType: r.media_type,
    status: r.status,
    titleEn: r.title_en,
    titleFr: r.title_fr,
    publishedAt: r.published_at,
    embargoUntil: r.embargo_until,
    eventSlug: r.slug,
    master:
      r.storage_key === null
        ? null
        : {
            storageKey: r.storage_key,
            originalName: r.original_name ?? "master",
            bytes: Number(r.bytes ?? 0),
            probe: r.probe,
            keyframeIndexKey: r.keyframe_index_key,
            audioLabels: r.audio_labels ?? [],
          },
    webPhotoKey: r.web_key,
    photoFormat: r.photo_format,
  };
}

const indexCache = new Map<string, KeyframeIndex>();

/** The keyframe index written at ingest; kept in memory (a few hundred kB for an hour) since cuts reuse it. */
export async function loadKeyframeIndex(storage: Storage, key: string): Promise<KeyframeIndex> {
  const cached = indexCache.get(key);
  if (cached) return cached;
  const chunks: Buffer[] = [];
  for await (const chunk of (await storage.read(key)) as AsyncIterable<Buffer>) chunks.push(chunk);
  const index = JSON.parse(Buffer.concat(chunks).toString("utf8")) as KeyframeIndex;
  if (indexCache.size > 50) indexCache.delete(indexCache.keys().next().value as string);
  indexCache.set(key, index);
  return index;
}
