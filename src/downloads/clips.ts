import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import pLimit from "p-limit";
import type { FeatureDeps } from "../features.ts";
import { cutClip } from "../media/cut.ts";
import type { DownloadSource } from "./item-source.ts";
import { loadKeyframeIndex } from "./item-source.ts";
import type { DownloadPlan } from "./plan.ts";
import { addCachedClip, type CachedClip, evictCachedClips, findCachedClip } from "./store.ts";

type CutPlan = Extract<DownloadPlan, { kind: "cut" }>;
type InFlight = { promise: Promise<CachedClip>; controller: AbortController; waiters: number };

/**
 * Finished clips, cut once and kept in storage under `clips/`, indexed in clip_cache and
 * evicted least-recently-used past the configured size. Identical requests at the same
 * time share one cut; a cut nobody waits for any more is stopped.
 */
export function createClipMaker(deps: FeatureDeps, options: { concurrency: number; cacheBytes: number }) {
  const limit = pLimit(options.concurrency);
  const inFlight = new Map<string, InFlight>();
  const workDir = path.join(deps.config.dataDir, "work");

  async function cut(source: DownloadSource, plan: CutPlan, signal: AbortSignal): Promise<CachedClip> {
    const master = source.master!;
    const index = await loadKeyframeIndex(deps.storage, master.keyframeIndexKey!);
    const masterPath = await deps.storage.localPath(master.storageKey, path.join(workDir, "masters"));
    const folder = path.join(workDir, "clips", plan.cacheKey);
    await mkdir(folder, { recursive: true });
    const output = path.join(folder, plan.fileName);
    try {
      await cutClip({
        master: masterPath,
        info: plan.info,
        index,
        inFrame: plan.inFrame,
        outFrame: plan.outFrame,
        format: plan.format,
        output,
        tempDir: folder,
        signal,
        ...(plan.audioTracks ? { audioTracks: plan.audioTracks } : {}),
      });
      const storageKey = `clips/${plan.cacheKey}/${plan.fileName}`;
      await deps.storage.putFile(storageKey, output, { contentType: plan.contentType });
      const clip = { storageKey, bytes: (await stat(output)).size, contentType: plan.contentType };
      await addCachedClip(deps.db, plan.cacheKey, clip, deps.now());
      for (const key of await evictCachedClips(deps.db, options.cacheBytes)) {
        if (key !== storageKey) await deps.storage.delete(key);
      }
      return clip;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  return {
    /** The finished clip for `plan`, from the cache or cut now. `abandon` is called when the client goes away. */
    async get(
      source: DownloadSource,
      plan: CutPlan,
      onAbandon: (abandon: () => void) => void,
    ): Promise<CachedClip> {
      const cached = await findCachedClip(deps.db, plan.cacheKey, deps.now());
      if (cached && (await deps.storage.stat(cached.storageKey))) return cached;
      let job = inFlight.get(plan.cacheKey);
      if (!job) {
        const controller = new AbortController();
        const promise = limit(() => {
          controller.signal.throwIfAborted();
          return cut(source, plan, controller.signal);
        }).finally(() => inFlight.delete(plan.cacheKey));
        job = { promise, controller, waiters: 0 };
        inFlight.set(plan.cacheKey, job);
      }
      const current = job;
      current.waiters += 1;
      onAbandon(() => {
        current.waiters -= 1;
        if (current.waiters === 0) current.controller.abort();
      });
      return current.promise;
    },
  };
}

export type ClipMaker = ReturnType<typeof createClipMaker>;
