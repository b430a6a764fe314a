import { randomBytes } from "node:crypto";
import { alignJobId, pendingAlignments, requestAlignment } from "../catalogue/alignment-store.ts";
import {
  deleteItem,
  fillCaptionAndCredit,
  findItem,
  setItemDuration,
  setItemStatus,
} from "../catalogue/item-store.ts";
import { findLiveStream } from "../catalogue/live-store.ts";
import { deleteRenditions, findMaster, upsertMaster } from "../catalogue/media-store.ts";
import { requestPublishWhenReady } from "../catalogue/publish-when-ready-store.ts";
import { statusReason } from "../catalogue/status-reason.ts";
import { itemPrefix, masterKey } from "../catalogue/storage-keys.ts";
import { replaceTranscript } from "../catalogue/transcript-store.ts";
import type { MediaItem, MediaStatus, TranscriptSegment } from "../catalogue/types.ts";
import { UserError } from "../core/errors.ts";
import type { Lang } from "../web/i18n.ts";
import { type Identified, identifyMaster, reasonOf } from "./identify.ts";
import { createItemFromFields, type IngestDeps, type ItemFields, safeFileName } from "./items.ts";

export type AcceptInput = {
  /** A local file; the caller removes it afterwards (it is copied into storage). */
  file: string;
  originalName: string;
  /** An item made earlier by POST /items, or the fields of a new one. */
  target: { itemId: number } | { fields: ItemFields };
  transcript?: TranscriptSegment[];
  /** A plain text to time against the master's speech ("transcript.align" job). */
  alignText?: { lang: Lang; text: string };
  /** Published as soon as its processing completes (the CLI's --publish). */
  publishWhenReady?: boolean;
};

export type AcceptedItem = { id: number; status: MediaStatus; mediaType: Identified["mediaType"] };

/**
 * Takes an uploaded or imported file as an item's master: checks what it is, stores it, records
 * what was found and queues its processing. A refused file leaves nothing behind: no new item,
 * no object in storage (an item made beforehand is marked failed with the reason).
 */
export async function acceptMaster(deps: IngestDeps, input: AcceptInput): Promise<AcceptedItem> {
  const existing = "itemId" in input.target ? await existingItem(deps, input.target.itemId) : null;
  let identified: Identified;
  try {
    identified = await identifyMaster(
      input.file,
      input.originalName,
      existing?.mediaType,
      deps.config.ffmpeg,
    );
  } catch (error) {
    if (existing && error instanceof UserError) {
      await setItemStatus(deps.db, existing.id, "failed", reasonOf(error), deps.now());
    }
    throw error;
  }
  const id =
    existing?.id ??
    (
      await createItemFromFields(
        deps,
        (input.target as { fields: ItemFields }).fields,
        identified.mediaType,
        "processing",
      )
    ).id;
  try {
    await store(deps, id, input, identified);
  } catch (error) {
    // Nothing half-made stays: the objects go, and the item too when this call made it.
    await deps.storage.deletePrefix(itemPrefix(id)).catch(() => undefined);
    // What went wrong is logged by the caller; the editor reads that storing failed, not its text.
    if (existing)
      await setItemStatus(deps.db, id, "failed", statusReason("ingest.reason.store_failed"), deps.now());
    else await deleteItem(deps.db, id);
    throw error;
  }
  return { id, status: "processing", mediaType: identified.mediaType };
}

async function existingItem(deps: IngestDeps, id: number) {
  const item = await findItem(deps.db, id);
  if (!item) throw new UserError("item_not_found");
  await refuseWorkingMaster(deps, item);
  return item;
}

/**
 * Refused with its reason under `itemId` (the field of the upload that named the item), so that
 * the API's answer and the upload island say why, not only that something was not valid.
 */
const takesNoMaster = (reason: string) => new UserError("item_takes_no_master", {}, { itemId: [reason] });

/** A master is replaced only after a failure: a working item keeps the file its renditions came from. */
async function refuseWorkingMaster(deps: Pick<IngestDeps, "db">, item: MediaItem): Promise<void> {
  if ((await findMaster(deps.db, item.id)) && item.status !== "failed") {
    throw takesNoMaster("ingest.error.master_working");
  }
}

/**
 * Whether an editor's upload may become this item's master, asked when the upload is created so
 * that a 20 GB file is refused before its first byte, not after its last: not when its master
 * works, nor for a live item, whose video is its recording (live/finish.ts makes it the master).
 * `acceptMaster` asks again at the end, for a master that arrived in between.
 */
export async function checkUploadTarget(deps: Pick<IngestDeps, "db">, item: MediaItem): Promise<void> {
  if (await findLiveStream(deps.db, item.id)) throw takesNoMaster("ingest.error.master_live");
  await refuseWorkingMaster(deps, item);
}

async function store(
  deps: IngestDeps,
  id: number,
  input: AcceptInput,
  identified: Identified,
): Promise<void> {
  const now = deps.now();
  // A new master makes every earlier rendition stale.
  await deps.storage.deletePrefix(itemPrefix(id));
  await deleteRenditions(deps.db, id);
  const key = masterKey(id, randomBytes(6).toString("hex"), safeFileName(input.originalName));
  await deps.storage.putFile(key, input.file);
  const probe = identified.mediaType === "video" ? identified.info : identified.photo;
  await upsertMaster(
    deps.db,
    id,
    { storageKey: key, originalName: input.originalName, bytes: identified.bytes, probe },
    now,
  );
  if (identified.mediaType === "video") {
    await setItemDuration(deps.db, id, identified.info.durationSeconds, now);
  } else {
    const { caption, credit, takenAt } = identified.photo;
    await fillCaptionAndCredit(deps.db, id, caption, credit, takenAt, now);
  }
  if (input.transcript) await replaceTranscript(deps.db, id, input.transcript, deps.now());
  if (input.alignText) {
    await requestAlignment(deps.db, { itemId: id, ...input.alignText, anchors: [], now });
  }
  // Before the job is queued: a short master can be processed before this call returns.
  if (input.publishWhenReady) await requestPublishWhenReady(deps.db, id, now);
  await setItemStatus(deps.db, id, "processing", null, now);
  await deps.jobs.enqueue("media.process", id);
  // Texts given before the video was there (API, workspace, the CLI's --transcript) are timed now.
  for (const pending of await pendingAlignments(deps.db, id)) {
    await deps.jobs.enqueue("transcript.align", alignJobId(id, pending.lang));
  }
}
