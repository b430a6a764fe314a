import path from "node:path";
import { insertRendition, renditionKinds, setKeyframeIndexKey } from "../catalogue/media-store.ts";
import {
  hlsPrefix,
  keyframesKey,
  mp4PreviewKey,
  posterKey,
  storyboardPrefix,
  waveformKey,
} from "../catalogue/storage-keys.ts";
import type { Master } from "../catalogue/types.ts";
import type { RunOptions } from "../media/ffmpeg.ts";
import { makePreview, type PreviewTargets } from "../media/hls.ts";
import { indexKeyframes, type KeyframeIndex } from "../media/keyframes.ts";
import type { MasterInfo } from "../media/probe.ts";
import { makeWaveform } from "../media/waveform.ts";
import { putJson } from "../storage/json.ts";
import type { IngestDeps } from "./items.ts";
import type { ProgressReporter } from "./progress.ts";
import { publishFolder } from "./publish.ts";

export type StepContext = {
  deps: IngestDeps;
  itemId: number;
  master: Master;
  /** The master as a file ffmpeg can open. */
  local: string;
  /** An empty temporary folder of this run. */
  work: string;
  progress: ProgressReporter;
  signal: AbortSignal | undefined;
  /** The configured tools, at background priority. */
  media: Pick<RunOptions, "tools" | "priority">;
};

/**
 * Each step skips what an earlier run finished (its rendition row exists), clears what an
 * interrupted run left, builds in the work folder, publishes, and only then records the row.
 */
export async function processVideo(ctx: StepContext): Promise<void> {
  const { deps, itemId, local, work, signal } = ctx;
  const info = ctx.master.probe as MasterInfo;
  const done = await renditionKinds(deps.db, itemId);

  if (!ctx.master.keyframeIndexKey) {
    const index = await indexKeyframes(local, { ...ctx.media, signal });
    await putJson(deps.storage, keyframesKey(itemId), index, work);
    await setKeyframeIndexKey(deps.db, itemId, keyframesKey(itemId));
    await prepareClipHeaders(ctx, index);
  }
  ctx.progress.step(0, 5)(1);

  const targets: PreviewTargets = {};
  if (!done.has("hls")) targets.hlsDir = path.join(work, "hls");
  // Re-wrapped from the HLS rung, so only made with it (items from before it have none).
  if (!done.has("hls") && !done.has("mp4")) targets.mp4File = path.join(work, "preview.mp4");
  if (!done.has("storyboard")) targets.storyboardDir = path.join(work, "storyboard");
  if (!done.has("poster")) targets.posterFile = path.join(work, "poster.jpg");
  if (Object.keys(targets).length > 0) {
    signal?.throwIfAborted();
    const preview = await makePreview(local, info, targets, {
      ...ctx.media,
      signal,
      onProgress: ctx.progress.step(5, 90),
    });
    const now = deps.now;
    if (preview.hls && targets.hlsDir) {
      await deps.storage.deletePrefix(hlsPrefix(itemId));
      await publishFolder(deps.storage, targets.hlsDir, hlsPrefix(itemId));
      if (preview.mp4 && targets.mp4File) {
        // Recorded before the HLS row: a run that finds HLS done never has to make the MP4.
        await deps.storage.putFile(mp4PreviewKey(itemId), targets.mp4File, { contentType: "video/mp4" });
        const { variant, firstFrameSeconds } = preview.mp4;
        const mp4Meta = { width: variant.width, height: variant.height, firstFrameSeconds };
        await insertRendition(
          deps.db,
          itemId,
          { kind: "mp4", storageKey: mp4PreviewKey(itemId), meta: mp4Meta },
          now(),
        );
      }
      const meta = { variants: preview.hls.variants, firstFrameSeconds: preview.hls.firstFrameSeconds };
      await insertRendition(
        deps.db,
        itemId,
        { kind: "hls", storageKey: `${hlsPrefix(itemId)}master.m3u8`, meta },
        now(),
      );
    }
    if (preview.storyboard && targets.storyboardDir) {
      await deps.storage.deletePrefix(storyboardPrefix(itemId));
      await publishFolder(deps.storage, targets.storyboardDir, storyboardPrefix(itemId));
      const { spec, sheets } = preview.storyboard;
      const key = `${storyboardPrefix(itemId)}storyboard.vtt`;
      await insertRendition(
        deps.db,
        itemId,
        { kind: "storyboard", storageKey: key, meta: { ...spec, sheets } },
        now(),
      );
    }
    if (preview.poster && targets.posterFile) {
      await deps.storage.putFile(posterKey(itemId), targets.posterFile, { contentType: "image/jpeg" });
      await insertRendition(
        deps.db,
        itemId,
        { kind: "poster", storageKey: posterKey(itemId), meta: preview.poster },
        now(),
      );
    }
  }
  ctx.progress.step(90, 95)(1);

  if (!done.has("waveform") && info.audio.length > 0) {
    signal?.throwIfAborted();
    const peaks = await makeWaveform(local, info, work, { ...ctx.media, signal });
    if (peaks) {
      await putJson(deps.storage, waveformKey(itemId), peaks, work);
      const meta = { pixelsPerSecond: peaks.sample_rate / peaks.samples_per_pixel, length: peaks.length };
      await insertRendition(
        deps.db,
        itemId,
        { kind: "waveform", storageKey: waveformKey(itemId), meta },
        deps.now(),
      );
    }
  }
  ctx.progress.step(95, 100)(1);
}

/**
 * Cuts a second or two the way downloads will, so the first clip anyone asks for already has its
 * header to send at once (downloads/clip-headers.ts). A failure here costs only that head start.
 */
async function prepareClipHeaders(ctx: StepContext, index: KeyframeIndex): Promise<void> {
  const { deps, itemId, local, work, signal } = ctx;
  try {
    await deps.warmClipHeaders({
      itemId,
      masterKey: ctx.master.storageKey,
      master: local,
      info: ctx.master.probe as MasterInfo,
      index,
      workDir: work,
      ...(signal ? { signal } : {}),
      ...(ctx.media.tools ? { tools: ctx.media.tools } : {}),
    });
  } catch (error) {
    signal?.throwIfAborted();
    deps.log.warn({ err: error, itemId }, "clip headers not prepared");
  }
}
