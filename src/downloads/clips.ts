import { mkdir, mkdtemp, open, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import pLimit from "p-limit";
import type { FeatureDeps } from "../core/deps.ts";
import { canStreamClip } from "../media/clip-output.ts";
import { type CutOptions, cutClip } from "../media/cut.ts";
import type { KeyframeIndex } from "../media/keyframes.ts";
import { createClipHeaders } from "./clip-headers.ts";
import type { DownloadSource } from "./item-source.ts";
import { loadKeyframeIndex } from "./item-source.ts";
import type { DownloadPlan } from "./plan.ts";
import { addCachedClip, type CachedClip, evictCachedClips, findCachedClip } from "./store.ts";

type CutPlan = Extract<DownloadPlan, { kind: "cut" }>;
type InFlight = { promise: Promise<CachedClip>; controller: AbortController; waiters: number };

/**
 * A clip for one request: from the cache (sent with ranges, like any stored file), or fresh, for
 * the request that started its cut: the bytes as ffmpeg writes them (MP4/MOV/MXF, length
 * unknown), or the finished work file while it is being stored (WAV, MP3: length known). A fresh
 * body fails rather than ends if the cut does.
 */
export type ClipAnswer =
  | { kind: "cached"; clip: CachedClip }
  | { kind: "fresh"; body: Readable; length: number | null };

type Fresh = Extract<ClipAnswer, { kind: "fresh" }>;

/**
 * A file to cut from other than the item's stored master: a stretch of a live recording joined
 * for the clip (live-clip.ts), with its keyframe index, the name its headers sent ahead are kept
 * under, and the encoder's settings when the file lacks them.
 */
export type LocalMaster = {
  file: string;
  index: KeyframeIndex;
  headerKey: string;
  x264Options?: string;
};

/**
 * Finished clips, cut once and kept in storage under `clips/`, indexed in clip_cache and
 * evicted least-recently-used past the configured size. Identical requests at the same
 * time share one cut; a cut nobody waits for any more is stopped, so a partial clip is
 * never kept. The first requester does not wait for the cache: a clip whose container is
 * written front to back (fragmented MP4/MOV, MXF) goes out as it is cut, any other as soon as its
 * file is complete, while it is copied into storage. Later identical requests wait for the
 * cache, which then serves them with Range. Only a cut that finished is cached.
 */
export function createClipMaker(deps: FeatureDeps, options: { concurrency: number; cacheBytes: number }) {
  const limit = pLimit(options.concurrency);
  const inFlight = new Map<string, InFlight>();
  // One folder per process: a process that died mid-cut leaves its folder, which the next
  // clip maker started on this data folder removes (the pid is no longer running).
  const clipsRoot = path.join(deps.config.dataDir, "work", "clips");
  const workDir = path.join(clipsRoot, String(process.pid));
  void removeDeadProcessFolders(clipsRoot).catch((error: unknown) =>
    deps.log.warn({ err: error }, "clip work folders of dead processes not removed"),
  );
  const headers = createClipHeaders(deps.storage, deps.log);

  async function cut(
    source: DownloadSource,
    plan: CutPlan,
    signal: AbortSignal,
    deliver: ((fresh: Fresh) => void) | null,
    local: LocalMaster | null,
  ): Promise<CachedClip> {
    const master = source.master;
    const index =
      local?.index ??
      (await loadKeyframeIndex(deps.storage, {
        storageKey: master!.storageKey,
        keyframeIndexKey: master!.keyframeIndexKey!,
      }));
    const masterPath =
      local?.file ?? (await deps.storage.localPath(master!.storageKey, deps.config.mastersCacheDir));
    const folder = path.join(workDir, plan.cacheKey);
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
        tools: deps.config.ffmpeg,
        // The cutter's warnings (a codec cut less finely than asked, a fallback) reach the log.
        logger: deps.log,
        ...(plan.audioTracks ? { audioTracks: plan.audioTracks } : {}),
        ...(local?.x264Options ? { x264Options: local.x264Options } : {}),
      };
      const headerKey = {
        itemId: source.itemId,
        masterKey: local?.headerKey ?? master!.storageKey,
        format: plan.format,
        audioTracks: plan.audioTracks ?? null,
      };
      const streamable = canStreamClip(plan.format, plan.info);
      if (deliver !== null && streamable) {
        await headers.cutStreaming(cutOptions, headerKey, (body) =>
          deliver({ kind: "fresh", body, length: null }),
        );
      } else {
        await cutClip(cutOptions);
      }
      const bytes = (await stat(output)).size;
      if (deliver !== null && !streamable) {
        // Opened before the file is moved into storage: reading it is unaffected by the move.
        const body = (await open(output, "r")).createReadStream();
        reading = new Promise<void>((done) => body.once("close", done));
        deliver({ kind: "fresh", body, length: bytes });
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
      // The first requester may still be reading the work file; it goes when their body closes.
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

  function start(
    source: DownloadSource,
    plan: CutPlan,
    deliver: ((fresh: Fresh) => void) | null,
    local: LocalMaster | null,
  ) {
    const controller = new AbortController();
    const promise = limit(() => {
      controller.signal.throwIfAborted();
      return cut(source, plan, controller.signal, deliver, local);
    }).finally(() => inFlight.delete(plan.cacheKey));
    const job = { promise, controller, waiters: 0 };
    inFlight.set(plan.cacheKey, job);
    return job;
  }

  /** One more request waits for this cut; when the last one has gone (its signal), the cut stops. */
  function wait(job: InFlight, signal: AbortSignal): void {
    job.waiters += 1;
    const leave = () => {
      job.waiters -= 1;
      if (job.waiters === 0) job.controller.abort();
    };
    if (signal.aborted) leave();
    else signal.addEventListener("abort", leave, { once: true });
  }

  return {
    /** A new folder in this process's clip work folder (removed with it if the process dies). */
    async scratchFolder(): Promise<string> {
      await mkdir(workDir, { recursive: true });
      return mkdtemp(path.join(workDir, "live-"));
    },

    /** Resolves once no cut of this clip runs (whatever its outcome). */
    async settled(cacheKey: string): Promise<void> {
      await inFlight.get(cacheKey)?.promise.catch(() => undefined);
    },

    /** The clip from the cache, or null; never cuts. */
    cached: findCached,

    /**
     * The clip for one request, as one answer. `fresh: true` (a request for the whole clip): a
     * clip not being cut yet comes to this request first, as it is made, after any wait for a
     * free slot; otherwise (or `fresh: false`, a range) the request waits for the cached file.
     * `signal` is the request's: when it aborts, the request no longer waits, and a cut nobody
     * waits for stops.
     */
    async clipFor(
      source: DownloadSource,
      plan: CutPlan,
      options: { signal: AbortSignal; fresh: boolean; local?: LocalMaster },
    ): Promise<ClipAnswer> {
      const local = options.local ?? null;
      const cached = await findCached(plan);
      if (cached) return { kind: "cached", clip: cached };
      const running = inFlight.get(plan.cacheKey);
      if (running || !options.fresh) {
        const job = running ?? start(source, plan, null, local);
        wait(job, options.signal);
        return { kind: "cached", clip: await job.promise };
      }
      let deliver: (fresh: Fresh) => void = () => {};
      const delivered = new Promise<Fresh>((resolve) => {
        deliver = resolve;
      });
      const job = start(source, plan, (fresh) => deliver(fresh), local);
      wait(job, options.signal);
      // The cut settles before delivering anything only if it failed.
      const answer = await Promise.race([delivered, job.promise.then(() => null)]);
      if (answer === null) return { kind: "cached", clip: await job.promise };
      // The response reports a later failure by breaking off; the promise must not go unhandled.
      job.promise.catch(() => {});
      return answer;
    },
  };
}

export type ClipMaker = ReturnType<typeof createClipMaker>;

/** Removes `root/<pid>` folders whose process is gone (signal 0 tells whether a pid runs). */
async function removeDeadProcessFolders(root: string): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    await rm(path.join(root, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
