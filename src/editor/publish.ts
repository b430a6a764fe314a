import { setItemPublished } from "../catalogue/item-store.ts";
import { findLiveStream } from "../catalogue/live-store.ts";
import { findMaster } from "../catalogue/media-store.ts";
import { requestPublishUnlessReady, takePublishWhenReady } from "../catalogue/publish-when-ready-store.ts";
import { UserError } from "../core/errors.ts";
import { currentItem, type ItemDeps } from "./items.ts";
import type { VersionCheck } from "./validate.ts";

/** What pressing "Publish" or "Unpublish" did. */
export type PublishOutcome = "published" | "unpublished" | "when_ready" | "not_when_ready";

/**
 * Publishes an item, or takes it back. An item goes out only with something to show: its video
 * or photo processed, or a live (published while it is live, so journalists can follow it).
 * Asked while its master is still being processed, it is published the moment that completes
 * (the wish is taken in the same transaction that marks it ready: ingest/process.ts); without a
 * master, or with one that could not be processed, it is refused with what to do, since readers
 * would see "being processed" for ever. Taking an item back also drops a wish to publish it.
 */
export async function publishItem(
  deps: Pick<ItemDeps, "db" | "now">,
  id: number,
  publish: boolean,
  check: VersionCheck = () => {},
): Promise<PublishOutcome> {
  const { item, version } = await currentItem(deps, id, check);
  if (!publish) {
    const wished = await takePublishWhenReady(deps.db, id);
    await published(deps, id, false, version);
    // A draft whose wish was taken back was never published: not "no longer published".
    return wished && !item.publishedAt ? "not_when_ready" : "unpublished";
  }
  if (item.status !== "ready" && !(await findLiveStream(deps.db, id))) {
    if (item.status === "failed") throw new UserError("publish_failed_master");
    if (!(await findMaster(deps.db, id))) throw new UserError("publish_no_master");
    // Unless the processing completed since the item was read: then it is published now.
    if (await requestPublishUnlessReady(deps.db, id, deps.now())) return "when_ready";
  }
  await published(deps, id, true, version);
  return "published";
}

async function published(
  deps: Pick<ItemDeps, "db" | "now">,
  id: number,
  publish: boolean,
  version: number,
): Promise<void> {
  if (!(await setItemPublished(deps.db, id, publish, deps.now(), version)))
    throw new UserError("precondition_failed");
}
