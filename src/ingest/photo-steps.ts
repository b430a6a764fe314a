import { insertRendition, renditionKinds } from "../catalogue/media-store.ts";
import { posterKey, webSizeKey } from "../catalogue/storage-keys.ts";
import type { PhotoInfo } from "../media/photo.ts";
import type { StepContext } from "./video-steps.ts";

/** Web sizes of a photo (the original is the master); the 1280 px one is also the item's poster. */
export async function processPhoto(ctx: StepContext): Promise<void> {
  const { deps, itemId } = ctx;
  const done = await renditionKinds(deps.db, itemId);
  if (["web-large", "poster", "web-small"].every((kind) => done.has(kind))) return;
  // Loaded on the first photo, not at start: sharp costs the web process ~13 MB.
  const { makeWebSizes } = await import("../media/photo.ts");
  const sizes = await makeWebSizes(ctx.local, ctx.master.probe as PhotoInfo, ctx.work);
  ctx.progress.step(0, 80)(1);
  for (const size of sizes) {
    const kind = size.name === "poster" ? "poster" : `web-${size.name}`;
    const key = size.name === "poster" ? posterKey(itemId) : webSizeKey(itemId, size.name);
    await deps.storage.putFile(key, size.file, { contentType: "image/jpeg" });
    const meta = { width: size.width, height: size.height };
    await insertRendition(deps.db, itemId, { kind, storageKey: key, meta }, deps.now());
  }
}
