import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { findItem, setItemStatus } from "../catalogue/item-store.ts";
import { findMaster } from "../catalogue/media-store.ts";
import { UserError } from "../core/errors.ts";
import { MediaError } from "../media/errors.ts";
import { reasonOf, toUserError } from "./identify.ts";
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
    await setItemStatus(deps.db, itemId, "failed", "No master file was uploaded.", deps.now());
    return;
  }
  await setItemStatus(deps.db, itemId, "processing", null, deps.now());
  const work = path.join(ingestWorkRoot(deps.config.dataDir), `${itemId}-${randomUUID()}`);
  const progress = progressReporter(deps.db, itemId, options.onProgress);
  try {
    await mkdir(work, { recursive: true });
    const local = await deps.storage.localPath(
      master.storageKey,
      path.join(deps.config.dataDir, "cache", "masters"),
    );
    const ctx = { deps, itemId, master, local, work, progress, signal: options.signal };
    if (item.mediaType === "photo") await processPhoto(ctx);
    else await processVideo(ctx);
    await progress.flush();
    await setItemStatus(deps.db, itemId, "ready", null, deps.now());
  } catch (error) {
    await progress.flush();
    if (options.signal?.aborted) throw error;
    const userError = asUserError(error);
    await setItemStatus(
      deps.db,
      itemId,
      "failed",
      userError ? reasonOf(userError) : String(error),
      deps.now(),
    );
    deps.log.error({ err: error, itemId }, "media processing failed");
    if (!userError) throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function asUserError(error: unknown): UserError | null {
  if (error instanceof UserError) return error;
  if (!(error instanceof MediaError)) return null;
  try {
    toUserError(error);
  } catch (mapped) {
    if (mapped instanceof UserError) return mapped;
  }
  return null;
}
