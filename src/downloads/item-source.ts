import { findItemMedia, itemProbes } from "../catalogue/media-store.ts";
import type { Queryable } from "../db/database.ts";
import type { KeyframeIndex } from "../media/keyframes.ts";
import type { MasterInfo } from "../media/probe.ts";
import { readJson } from "../storage/json.ts";
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
  const found = await findItemMedia(db, itemId);
  if (!found) return null;
  const { item, master } = found;
  return {
    itemId: item.id,
    mediaType: item.mediaType,
    status: item.status,
    titleEn: item.title.en,
    titleFr: item.title.fr,
    publishedAt: item.publishedAt,
    embargoUntil: item.embargoUntil,
    eventSlug: found.eventSlug,
    master: master && {
      storageKey: master.storageKey,
      originalName: master.originalName || "master",
      bytes: master.bytes,
      // Read as a video's probe, as downloads always have; a photo's has no video or audio, which they check.
      probe: master.probe as MasterInfo | null,
      keyframeIndexKey: master.keyframeIndexKey,
      audioLabels: master.audioLabels,
    },
    webPhotoKey: found.webPhotoKey,
    photoFormat: found.photoFormat,
  };
}

export type ItemClock = {
  mediaType: string;
  rate: { num: number; den: number } | null;
  startTimecode: string | null;
  frameCount: number | null;
};

/** Kind and master clock of each item, so recorded frames can be shown as the master's timecodes. */
export async function itemClocks(db: Queryable, itemIds: number[]): Promise<Map<number, ItemClock>> {
  const probes = await itemProbes(db, itemIds);
  return new Map(
    [...probes].map(([id, { mediaType, probe }]) => {
      const video = probe && "video" in probe ? probe : null;
      const clock: ItemClock = {
        mediaType,
        rate: video?.video?.frameRate ?? null,
        startTimecode: video?.startTimecode ?? null,
        frameCount: video?.frameCount ?? null,
      };
      return [id, clock];
    }),
  );
}

const indexCache = new Map<string, KeyframeIndex>();

/**
 * The keyframe index written at ingest; kept in memory (a few hundred kB for an hour) since cuts
 * reuse it. Kept by master as well as by file: every master of an item writes its index at the same
 * key, and a replaced master must not be cut with its predecessor's keyframes.
 */
export async function loadKeyframeIndex(
  storage: Storage,
  master: { storageKey: string; keyframeIndexKey: string },
): Promise<KeyframeIndex> {
  const name = `${master.storageKey}\n${master.keyframeIndexKey}`;
  const cached = indexCache.get(name);
  if (cached) return cached;
  const index = await readJson<KeyframeIndex>(storage, master.keyframeIndexKey);
  if (indexCache.size > 50) indexCache.delete(indexCache.keys().next().value as string);
  indexCache.set(name, index);
  return index;
}
