import { findItem } from "../catalogue/item-store.ts";
import { itemPrefix, livePrefix } from "../catalogue/storage-keys.ts";
import type { IngestDeps } from "./items.ts";

/**
 * An editor may delete an item while a job works on it (processing, making a live's master).
 * Deleting removes the row and the item's files at once; what the job stores afterwards would be
 * left behind. So a job that stores files for an item calls this when it ends, whichever way: if
 * the item is gone, its files go too, and the job has nothing to retry (true).
 */
export async function removedMeanwhile(deps: IngestDeps, itemId: number): Promise<boolean> {
  if (await findItem(deps.db, itemId)) return false;
  await deps.storage.deletePrefix(itemPrefix(itemId));
  await deps.storage.deletePrefix(livePrefix(itemId));
  deps.log.info({ itemId }, "the item was deleted while a job worked on it: what the job stored is removed");
  return true;
}
