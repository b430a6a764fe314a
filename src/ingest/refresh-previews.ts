import { setItemStatus } from "../catalogue/item-store.ts";
import { forgetPreviews, itemsWithOldPreviews } from "../catalogue/media-store.ts";
import type { Database } from "../db/database.ts";
import type { JobQueue } from "../db/jobs.ts";

/**
 * `cli media:refresh-previews`: items processed before the frame-true readout get their previews
 * made again (HLS with its first-picture offset, the MP4 for pages without JavaScript); the rest of
 * their processing (keyframes, poster, storyboard, waveform) is kept. The old preview is forgotten
 * first, so the item shows "processing" for the time it takes, as a newly uploaded one does.
 */
export async function refreshOldPreviews(
  deps: { db: Database; jobs: JobQueue },
  now: Date,
): Promise<{ queued: number[] }> {
  const ids = await itemsWithOldPreviews(deps.db);
  for (const id of ids) {
    await deps.db.transaction(async (tx) => {
      await forgetPreviews(tx, id);
      await setItemStatus(tx, id, "processing", null, now);
    });
    await deps.jobs.enqueue("media.process", id);
  }
  return { queued: ids };
}
