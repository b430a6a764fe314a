import { randomUUID } from "node:crypto";
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { fillCaptionAndCredit, findItem, setItemPublished, setItemStatus } from "../catalogue/item-store.ts";
import { deleteLivePieces, findLiveStream } from "../catalogue/live-store.ts";
import { findMaster } from "../catalogue/media-store.ts";
import { takePublishWhenReady } from "../catalogue/publish-when-ready-store.ts";
import { statusReason } from "../catalogue/status-reason.ts";
import { livePrefix } from "../catalogue/storage-keys.ts";
import { fromMediaError, UserError } from "../core/errors.ts";
import { MediaError } from "../media/errors.ts";
import { removedMeanwhile } from "./deleted-meanwhile.ts";
import { reasonOf } from "./identify.ts";
import type { IngestDeps } from "./items.ts";
import { processPhoto } from "./photo-steps.ts";
import { progressReporter } from "./progress.ts";
import { processVideo } from "./video-steps.ts";

export type ProcessOptions = {
  /** Aborting kills ffmpeg and stops between steps; the job is left for a retry. */
  signal?: AbortSignal;
  /** Every progress value, as written to the item (tests stop a run part-way with it). */
  onProgress?: (percent: number) => void;
};

/** Temporary work of ingest jobs lives in the data folder: previews of long masters are large. */
export function ingestWorkRoot(dataDir: string): string {
  return path.join(dataDir, "tmp", "ingest");
}

/**
 * The "media.process" job: keyframe index, HLS preview, storyboard, poster and waveform of a
 * video; web sizes of a photo. Safe to run again after a crash: it redoes only what is missing.
 * Errors in the file mark the item failed and end the job; anything else also marks it failed
 * (so editors see why) and is thrown again so the queue retries.
 */
export async function processItem(
  deps: IngestDeps,
  itemId: number,
  options: ProcessOptions = {},
): Promise<void> {
  const item = await findItem(deps.db, itemId);
  if (!item || item.status === "ready") return;
  const master = await findMaster(deps.db, itemId);
  if (!master) {
    await setItemStatus(deps.db, itemId, "failed", statusReason("ingest.reason.no_master"), deps.now());
    return;
  }
  await setItemStatus(deps.db, itemId, "processing", null, deps.now());
  await removeLeftWork(deps.config.dataDir, itemId);
  const work = path.join(ingestWorkRoot(deps.config.dataDir), `${itemId}-${randomUUID()}`);
  const progress = progressReporter(deps.db, itemId, options.onProgress);
  try {
    await mkdir(work, { recursive: true });
    const local = await deps.storage.localPath(master.storageKey, deps.config.mastersCacheDir);
    // Nobody waits on these encodes: they give way to clips (media/launch.ts).
    const media = { tools: deps.config.ffmpeg, priority: "background" } as const;
    const ctx = { deps, itemId, master, local, work, progress, signal: options.signal, media };
    if (item.mediaType === "photo") await processPhoto(ctx);
    else await processVideo(ctx);
    await progress.flush();
    // One transaction: an item asked to be published is never ready and unpublished after a crash.
    await deps.db.transaction(async (tx) => {
      const now = deps.now();
      await setItemStatus(tx, itemId, "ready", null, now);
      if (await takePublishWhenReady(tx, itemId)) await setItemPublished(tx, itemId, true, now);
    });
    await removeLivePieces(deps, itemId);
  } catch (error) {
    await progress.flush();
    if (options.signal?.aborted) throw error;
    // Deleted while it was processed: nothing to mark, nothing to retry (the files go below).
    if (!(await findItem(deps.db, itemId))) return;
    const userError = asUserError(error);
    await setItemStatus(
      deps.db,
      itemId,
      "failed",
      // An unexpected error's own text is for the log (below), not for the editor's page.
      userError ? reasonOf(userError) : statusReason("ingest.reason.unexpected"),
      deps.now(),
    );
    deps.log.error({ err: error, itemId }, "media processing failed");
    if (!userError) throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
    await removedMeanwhile(deps, itemId);
  }
}

/**
 * Work folders an earlier run of this item left (its process died): a job is never worked twice
 * at once, so none of them is in use. Other items' folders are the start's (recovery.ts).
 */
async function removeLeftWork(dataDir: string, itemId: number): Promise<void> {
  const root = ingestWorkRoot(dataDir);
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(`${itemId}-`))) {
    await rm(path.join(root, name), { recursive: true, force: true });
  }
}

/**
 * A live item's pieces, once its master is ready: its player now plays the preview ladder and its
 * clips are cut from the master (downloads take the pieces only while the item is not ready), so
 * nothing reads them any more. A failure leaves them to be removed with the item.
 */
async function removeLivePieces(deps: IngestDeps, itemId: number): Promise<void> {
  const stream = await findLiveStream(deps.db, itemId);
  if (!stream) return;
  // A live was recorded when its first frame came, unless the editors said otherwise.
  if (stream.startedAt) await fillCaptionAndCredit(deps.db, itemId, "", "", stream.startedAt, deps.now());
  try {
    await deleteLivePieces(deps.db, itemId);
    await deps.storage.deletePrefix(livePrefix(itemId));
  } catch (error) {
    deps.log.warn({ err: error, itemId }, "live pieces not removed");
  }
}

function asUserError(error: unknown): UserError | null {
  if (error instanceof UserError) return error;
  return error instanceof MediaError ? fromMediaError(error) : null;
}
