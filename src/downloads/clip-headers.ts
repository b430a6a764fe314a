import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { type ClipFormat, clipHeaderIsStable } from "../media/clip-output.ts";
import { type CutOptions, expectedVideoMethod } from "../media/cut.ts";
import { cutClipStream } from "../media/cut-stream.ts";
import type { KeyframeIndex } from "../media/keyframes.ts";
import type { MasterInfo } from "../media/probe.ts";
import type { Storage } from "../storage/storage.ts";
import { StorageNotFound } from "../storage/storage.ts";

// A few kilobytes each; enough for every master in use at once.
const KEPT_IN_MEMORY = 500;

/** What decides a streamed clip's header (see media/fmp4-init.ts): not IN, OUT or the timecode. */
export interface ClipHeaderKey {
  itemId: number;
  masterKey: string;
  format: string;
  audioTracks: number[] | null;
  /** Whether the clip's frames are the master's (copied) or an encoder's. */
  origin: "master" | "encoder";
}

/**
 * The initialisation segment of the last streamed clip of each master, format, audio choice and
 * video origin, sent ahead of the next such clip while it is cut. Kept in memory and beside the
 * master in storage (items/{id}/clip-headers/), so a restarted or second web process has it too
 * and deleting the item deletes it.
 */
export function createClipHeaders(storage: Storage) {
  const memory = new Map<string, Buffer>();

  function storageKey(key: ClipHeaderKey): string {
    const id = createHash("sha256")
      .update([key.masterKey, key.format, key.audioTracks?.join(",") ?? "all", key.origin].join("|"))
      .digest("hex")
      .slice(0, 24);
    return `items/${key.itemId}/clip-headers/${id}.mp4`;
  }

  function remember(name: string, header: Buffer): void {
    memory.delete(name);
    if (memory.size >= KEPT_IN_MEMORY) {
      const oldest = memory.keys().next().value;
      if (oldest !== undefined) memory.delete(oldest);
    }
    memory.set(name, header);
  }

  return {
    async get(key: ClipHeaderKey): Promise<Buffer | null> {
      const name = storageKey(key);
      const known = memory.get(name);
      if (known) return known;
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of await storage.read(name)) chunks.push(chunk as Buffer);
        const header = Buffer.concat(chunks);
        remember(name, header);
        return header;
      } catch (error) {
        if (error instanceof StorageNotFound) return null;
        throw error;
      }
    },

    /** After a clip of this kind came out otherwise than expected: send nothing ahead for it. */
    async forget(key: ClipHeaderKey): Promise<void> {
      const name = storageKey(key);
      memory.delete(name);
      await storage.delete(name);
    },

    async keep(key: ClipHeaderKey, header: Buffer): Promise<void> {
      const name = storageKey(key);
      const known = memory.get(name);
      remember(name, header);
      if (known?.equals(header)) return;
      await storage.putStream(name, Readable.from([header]), { contentType: "video/mp4" });
    },
  };
}

export type ClipHeaders = ReturnType<typeof createClipHeaders>;

/**
 * Whether this clip's header can be shared with others of its kind: an MP4 (clipHeaderIsStable)
 * at least a second long. An encoder given only a frame or two has nothing to reorder, so its
 * clip lacks the B-frame delay every longer clip's edit list has (measured with x264).
 */
export function headerShareable(options: CutOptions): boolean {
  const { frameRate } = options.info.video;
  const frames = options.outFrame - options.inFrame;
  return clipHeaderIsStable(options.format, options.info) && frames * frameRate.den >= frameRate.num;
}

/** Copied frames keep the master's sample entry; encoded ones carry the encoder's. */
export async function headerOrigin(options: CutOptions): Promise<ClipHeaderKey["origin"]> {
  return (await expectedVideoMethod(options)) === "reencode" ? "encoder" : "master";
}

export interface WarmUp {
  itemId: number;
  masterKey: string;
  /** The master as a file ffmpeg can open. */
  master: string;
  info: MasterInfo;
  index: KeyframeIndex;
  /** A folder for the short clips cut here; emptied afterwards. */
  workDir: string;
  signal?: AbortSignal;
}

/**
 * At ingest: cuts a short clip in each format whose header is stable (the master's own format
 * and MP4, every audio track) and keeps its header, so even the first clip a journalist asks
 * for starts at once. Returns the formats prepared.
 */
export async function warmClipHeaders(storage: Storage, warm: WarmUp): Promise<ClipFormat[]> {
  const headers = createClipHeaders(storage);
  const { info, index } = warm;
  const first = index.keyframes[0];
  if (first === undefined || index.frameCount === 0) return [];
  // Two seconds from the first keyframe, or up to the next one if further: mostly copied frames
  // where the format is the master's, and long enough to share its header (headerShareable).
  const second = Math.ceil(info.video.frameRate.num / info.video.frameRate.den);
  const next = index.keyframes[1]?.frame ?? index.frameCount;
  const outFrame = Math.min(Math.max(next, first.frame + 2 * second), index.frameCount);
  const prepared: ClipFormat[] = [];
  const folder = await mkdtemp(path.join(warm.workDir, "headers-"));
  try {
    for (const format of ["original", "mp4"] as const) {
      const options: CutOptions = {
        master: warm.master,
        info,
        index,
        inFrame: first.frame,
        outFrame,
        format,
        output: path.join(folder, `${format}.mp4`),
        tempDir: folder,
        ...(warm.signal ? { signal: warm.signal } : {}),
      };
      if (!headerShareable(options)) continue;
      const key = { itemId: warm.itemId, masterKey: warm.masterKey, format, audioTracks: null };
      const origin = await headerOrigin(options);
      const { stream, done, init } = cutClipStream(options);
      stream.resume();
      const result = await done;
      const header = await init;
      if (header === null || (result.method === "reencode") !== (origin === "encoder")) continue;
      await headers.keep({ ...key, origin }, header);
      prepared.push(format);
    }
    return prepared;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
