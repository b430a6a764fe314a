import { type FileHandle, mkdir, open, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import pLimit from "p-limit";
import type { FeatureDeps } from "../core/deps.ts";
import { canStreamClip } from "../media/clip-output.ts";
import { type CutOptions, cutClip } from "../media/cut.ts";
import { createClipHeaders } from "./clip-headers.ts";
import type { DownloadSource } from "./item-source.ts";
import { loadKeyframeIndex } from "./item-source.ts";
import type { DownloadPlan } from "./plan.ts";
import { addCachedClip, type CachedClip, evictCachedClips, findCachedClip } from "./store.ts";

type CutPlan = Extract<DownloadPlan, { kind: "cut" }>;
type InFlight = { promise: Promise<CachedClip>; controller: AbortController; waiters: number };

/**
 * A clip just cut into a work file, handed to its first requester before it is stored: the file
 * stays until `release` is called (when the response has ended, however it ended).
 */
export interface FinishedClip {
  /**
   * Open before the file is moved into storage; reading it is unaffected by the move. Closed
   * after `release` if the reader has not closed it already.
   */
  handle: FileHandle;
  bytes: number;
  contentType: string;
  release: () => void;
}

/**
 * A clip for the first requester: from the cache, as ffmpeg writes it (fragmented MP4/MOV), or
 * the finished work file while it is being stored (formats written to a file first).
 */
export type ClipDelivery =
  | { kind: "cached"; clip: CachedClip }
  | { kind: "stream"; stream: Readable }
  | { kind: "file"; file: FinishedClip };

type Handover = (delivery: Extract<ClipDelivery, { kind: "stream" | "file" }>) => void;

/**
 * Finished clips, cut once and kept in storage under `clips/`, indexed in clip_cache and
 * evicted least-recently-used past the configured size. Identical requests at the same
 * time share one cut; a cut nobody waits for any more is stopped, so a partial clip is
 * never kept. The first requester does not wait for the cache: a clip whose container is
 * written front to back (fragmented MP4/MOV) goes out as it is cut, any other as soon as its
 * file is complete, while it is copied into storage. Later identical requests wait for the
 * cache, which then serves them with Range. Only a cut that finished is cached.
 */
export function createClipMaker(deps: FeatureDeps, options: { concurrency: number; cacheBytes: number }) {
  const limit = pLimit(options.concurrency);
  const inFlight = new Map<string, InFlight>();
  const workDir = path.join(deps.config.dataDir, "work");
  const headers = createClipHeaders(deps.storage, deps.log);

  async function cut(
    source: DownloadSource,
    plan: CutPlan,
    signal: AbortSignal,
    handOver: Handover | null,
  ): Promise<CachedClip> {
    const master = source.master!;
    const index = await loadKeyframeIndex(deps.storage, master.keyframeIndexKey!);
    const masterPath = await deps.storage.localPath(master.storageKey, path.join(workDir, "masters"));
    const folder = path.join(workDir, "clips", plan.cacheKey);
    await mkdir(folder, { recursive: true });
    const output = path.join(folder, plan.fileName);
    let reading: Promise<void> | null = null;
    try {
      const cutOptions: CutOptions = {
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
      };
      const headerKey = {
        itemId: source.itemId,
        masterKey: master.storageKey,
        format: plan.format,
        audioTracks: plan.audioTracks ?? null,
      };
      if (handOver !== null && canStreamClip(plan.format, plan.info)) {
        await headers.cutStreaming(cutOptions, headerKey, (stream) => handOver({ kind: "stream", stream }));
      } else {
        await cutClip(cutOptions);
      }
      const bytes = (await stat(output)).size;
      if (handOver !== null && !canStreamClip(plan.format, plan.info)) {
        const handle = await open(output, "r");
        reading = new Promise<void>((release) =>
          handOver({ kind: "file", file: { handle, bytes, contentType: plan.contentType, release } }),
        ).finally(() => handle.close().catch(() => {}));
      }
      const storageKey = `clips/${plan.cacheKey}/${plan.fileName}`;
      await deps.storage.putFile(storageKey, output, {
        contentType: plan.contentType,
        move: true,
        // findCached compares the size recorded below with the file's.
        durable: false,
      });
      const clip = { storageKey, bytes, contentType: plan.contentType };
      await addCachedClip(deps.db, plan.cacheKey, clip, deps.now());
      for (const key of await evictCachedClips(deps.db, options.cacheBytes)) {
        if (key !== storageKey) await deps.storage.delete(key);
      }
      return clip;
    } finally {
      const remove = () => rm(folder, { recursive: true, force: true });
      // The first requester may still be reading the work file; it goes when they are done.
      if (reading === null) await remove();
      else void reading.then(remove);
    }
  }

  async function findCached(plan: CutPlan): Promise<CachedClip | null> {
    const cached = await findCachedClip(deps.db, plan.cacheKey, deps.now());
    if (!cached) return null;
    // A file cut short (a crash before it reached the disk) is not the clip that was recorded.
    const stored = await deps.storage.stat(cached.storageKey);
    return stored?.size === cached.bytes ? cached : null;
  }

  function start(source: DownloadSource, plan: CutPlan, handOver: Handover | null) {
    const controller = new AbortController();
    const promise = limit(() => {
      controller.signal.throwIfAborted();
      return cut(source, plan, controller.signal, handOver);
    }).finally(() => inFlight.delete(plan.cacheKey));
    const job = { promise, controller, waiters: 0 };
    inFlight.set(plan.cacheKey, job);
    return job;
  }

  function wait(job: InFlight, onAbandon: (abandon: () => void) => void): void {
    job.waiters += 1;
    onAbandon(() => {
      job.waiters -= 1;
      if (job.waiters === 0) job.controller.abort();
    });
  }

  return {
    /** The clip from the cache, or null; never cuts. */
    cached: findCached,

    /** The finished clip for `plan`, from the cache or cut now. `abandon` is called when the client goes away. */
    async get(
      source: DownloadSource,
      plan: CutPlan,
      onAbandon: (abandon: () => void) => void,
    ): Promise<CachedClip> {
      const cached = await findCached(plan);
      if (cached) return cached;
      const job = inFlight.get(plan.cacheKey) ?? start(source, plan, null);
      wait(job, onAbandon);
      return job.promise;
    },

    /**
     * Like get, but a clip not being cut already comes to this requester first: as a stream once
     * ffmpeg runs (streamable formats), or as the finished work file (the others), in both cases
     * after any wait for a free slot. A stream fails rather than ends if the cut does; the
     * client leaving stops the cut unless an identical request waits for it.
     */
    async getFirst(
      source: DownloadSource,
      plan: CutPlan,
      onAbandon: (abandon: () => void) => void,
    ): Promise<ClipDelivery> {
      const cached = await findCached(plan);
      if (cached) return { kind: "cached", clip: cached };
      const running = inFlight.get(plan.cacheKey);
      if (running) {
        wait(running, onAbandon);
        return { kind: "cached", clip: await running.promise };
      }
      let handOver: Handover = () => {};
      const handed = new Promise<ClipDelivery>((resolve) => {
        handOver = resolve;
      });
      const job = start(source, plan, (delivery) => handOver(delivery));
      wait(job, onAbandon);
      // The cut settles before handing anything over only if it failed.
      const delivery = await Promise.race([handed, job.promise.then(() => null)]);
      if (delivery === null) return { kind: "cached", clip: await job.promise };
      // The response reports a later failure by breaking off; the promise must not go unhandled.
      job.promise.catch(() => {});
      return delivery;
    },
  };
}

export type ClipMaker = ReturnType<typeof createClipMaker>;
