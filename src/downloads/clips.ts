import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import pLimit from "p-limit";
import type { FeatureDeps } from "../features.ts";
import { canStreamClip } from "../media/clip-output.ts";
import { type CutMethod, type CutOptions, cutClip, expectedVideoMethod } from "../media/cut.ts";
import { cutClipStream } from "../media/cut-stream.ts";
import { sameInitSegment } from "../media/fmp4-init.ts";
import type { DownloadSource } from "./item-source.ts";
import { loadKeyframeIndex } from "./item-source.ts";
import type { DownloadPlan } from "./plan.ts";
import { addCachedClip, type CachedClip, evictCachedClips, findCachedClip } from "./store.ts";

type CutPlan = Extract<DownloadPlan, { kind: "cut" }>;

const INIT_TEMPLATES_KEPT = 500;

/** Copied frames keep the master's sample entry; encoded ones carry the encoder's. */
function videoOrigin(method: CutMethod): "master" | "encoder" {
  return method === "reencode" ? "encoder" : "master";
}
type InFlight = { promise: Promise<CachedClip>; controller: AbortController; waiters: number };

/** A finished clip in storage, or one being cut, whose bytes arrive as ffmpeg writes them. */
export type ClipDelivery = { kind: "cached"; clip: CachedClip } | { kind: "stream"; stream: Readable };

/**
 * Finished clips, cut once and kept in storage under `clips/`, indexed in clip_cache and
 * evicted least-recently-used past the configured size. Identical requests at the same
 * time share one cut; a cut nobody waits for any more is stopped, so a partial clip is
 * never kept. A clip whose container is written front to back (fragmented MP4/MOV) can go
 * to the first requester as it is cut; later identical requests wait for the cache, which
 * then serves them with Range. Only a cut that finished is cached, whoever was reading it.
 */
export function createClipMaker(deps: FeatureDeps, options: { concurrency: number; cacheBytes: number }) {
  const limit = pLimit(options.concurrency);
  const inFlight = new Map<string, InFlight>();
  const workDir = path.join(deps.config.dataDir, "work");
  // Initialisation segments of recent streamed clips, by master, format, audio and video origin;
  // a few kilobytes each, the least recently cut dropped first.
  const initTemplates = new Map<string, Buffer>();

  async function cut(
    source: DownloadSource,
    plan: CutPlan,
    signal: AbortSignal,
    onStream: ((stream: Readable) => void) | null,
  ): Promise<CachedClip> {
    const master = source.master!;
    const index = await loadKeyframeIndex(deps.storage, master.keyframeIndexKey!);
    const masterPath = await deps.storage.localPath(master.storageKey, path.join(workDir, "masters"));
    const folder = path.join(workDir, "clips", plan.cacheKey);
    await mkdir(folder, { recursive: true });
    const output = path.join(folder, plan.fileName);
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
      if (onStream === null) {
        await cutClip(cutOptions);
      } else {
        await cutStreaming(cutOptions, plan, master.storageKey, onStream);
      }
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

  /**
   * Streams the cut, sending ahead the initialisation segment of the last clip cut from this
   * master the same way (fmp4-init.ts), so the first bytes leave before any frame is encoded.
   */
  async function cutStreaming(
    cutOptions: CutOptions,
    plan: CutPlan,
    masterKey: string,
    onStream: (stream: Readable) => void,
  ): Promise<void> {
    const expected = expectedVideoMethod(cutOptions);
    const key = [masterKey, plan.format, plan.audioTracks?.join(",") ?? "all", videoOrigin(expected)].join(
      "|",
    );
    const template = initTemplates.get(key) ?? null;
    const { stream, done, init } = cutClipStream(cutOptions, template);
    onStream(stream);
    const result = await done;
    const own = await init;
    // A cut that fell back to encoding has the encoder's sample entry, not the one expected.
    if (own === null || videoOrigin(result.method) !== videoOrigin(expected)) return;
    const matched = template !== null && sameInitSegment(template, own);
    if (template !== null && !matched) {
      deps.log.warn(
        { master: masterKey, format: plan.format },
        "clip header differed from the one sent ahead",
      );
    }
    initTemplates.delete(key);
    if (initTemplates.size >= INIT_TEMPLATES_KEPT) {
      const oldest = initTemplates.keys().next().value;
      if (oldest !== undefined) initTemplates.delete(oldest);
    }
    // A template that matched stays, so every clip of the master starts with the same bytes.
    initTemplates.set(key, matched ? template : own);
  }

  async function findCached(plan: CutPlan): Promise<CachedClip | null> {
    const cached = await findCachedClip(deps.db, plan.cacheKey, deps.now());
    return cached && (await deps.storage.stat(cached.storageKey)) ? cached : null;
  }

  function start(source: DownloadSource, plan: CutPlan, onStream: ((stream: Readable) => void) | null) {
    const controller = new AbortController();
    const promise = limit(() => {
      controller.signal.throwIfAborted();
      return cut(source, plan, controller.signal, onStream);
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
     * Like get, but a clip that can stream and is not being cut already comes as a stream once
     * ffmpeg runs (after any wait for a free slot). The stream fails rather than ends if the cut
     * does; the client leaving stops the cut unless an identical request waits for it.
     */
    async getStreaming(
      source: DownloadSource,
      plan: CutPlan,
      onAbandon: (abandon: () => void) => void,
    ): Promise<ClipDelivery> {
      const cached = await findCached(plan);
      if (cached) return { kind: "cached", clip: cached };
      const running = inFlight.get(plan.cacheKey);
      if (running || !canStreamClip(plan.format, plan.info)) {
        const job = running ?? start(source, plan, null);
        wait(job, onAbandon);
        return { kind: "cached", clip: await job.promise };
      }
      let handOver: (stream: Readable) => void = () => {};
      const streaming = new Promise<Readable>((resolve) => {
        handOver = resolve;
      });
      const job = start(source, plan, (stream) => handOver(stream));
      wait(job, onAbandon);
      // The cut settles before handing a stream over only if it failed before ffmpeg ran.
      const stream = await Promise.race([streaming, job.promise.then(() => null)]);
      if (stream === null) return { kind: "cached", clip: await job.promise };
      // The response reports the failure by breaking off; the cut's promise must not go unhandled.
      job.promise.catch(() => {});
      return { kind: "stream", stream };
    },
  };
}

export type ClipMaker = ReturnType<typeof createClipMaker>;
