import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { ClipHeaderWarmUp } from "../core/deps.ts";
import { clipHeaderIsStable } from "../media/clip-output.ts";
import { type CutMethod, type CutOptions, expectedVideoMethod } from "../media/cut.ts";
import { cutClipStream, sameClipHeader } from "../media/cut-stream.ts";
import type { Storage } from "../storage/storage.ts";
import { StorageNotFound } from "../storage/storage.ts";

// A few kilobytes each; enough for every master in use at once.
const KEPT_IN_MEMORY = 500;

/**
 * What decides a streamed clip's header (see media/fmp4-init.ts, media/mxf-stream.ts): not IN,
 * OUT or the timecode (an MXF's start timecode is set for each clip).
 */
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
export function createClipHeaders(storage: Storage, log: HeaderLog) {
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

  async function get(key: ClipHeaderKey): Promise<Buffer | null> {
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
  }

  /** After a clip of this kind came out otherwise than expected: send nothing ahead for it. */
  async function forget(key: ClipHeaderKey): Promise<void> {
    const name = storageKey(key);
    memory.delete(name);
    await storage.delete(name);
  }

  async function keep(key: ClipHeaderKey, header: Buffer): Promise<void> {
    const name = storageKey(key);
    const known = memory.get(name);
    remember(name, header);
    if (known?.equals(header)) return;
    await storage.putStream(name, Readable.from([header]), { contentType: "video/mp4" });
  }

  /**
   * Cuts a streamed clip (cutClipStream), handing its stream over once it exists. A clip whose
   * header can be shared gets the one kept for its kind sent ahead, so the first bytes leave
   * before any frame is cut; afterwards its own header is kept when there was none or it
   * differed, and forgotten if the cut came out otherwise than predicted.
   */
  async function cutStreaming(
    options: CutOptions,
    key: Omit<ClipHeaderKey, "origin">,
    onStream: (stream: Readable) => void,
  ): Promise<void> {
    if (!headerShareable(options)) {
      const { stream, done } = cutClipStream(options);
      onStream(stream);
      await done;
      return;
    }
    const expected = { ...key, origin: originOf(await expectedVideoMethod(options)) };
    const template = await get(expected).catch((error: unknown) => {
      log.warn({ err: error }, "clip header unreadable");
      return null;
    });
    const { stream, done, init } = cutClipStream(options, template);
    onStream(stream);
    const result = await done;
    const own = await init;
    if (own === null) return;
    // A cut that fell back to encoding has the encoder's sample entry, not the one expected: its
    // header is not that of the clips to come, and one sent ahead was wrong.
    if (originOf(result.method) !== expected.origin) {
      await forget(expected).catch((error: unknown) => log.warn({ err: error }, "clip header not forgotten"));
      return;
    }
    const matched = template !== null && sameClipHeader(template, own);
    if (template !== null && !matched) {
      log.warn({ master: key.masterKey, format: key.format }, "clip header differed from the one sent ahead");
    }
    // A template that matched stays, so every clip of the master starts with the same bytes.
    await keep(expected, matched ? template : own).catch((error: unknown) =>
      log.warn({ err: error }, "clip header not kept"),
    );
  }

  return { get, keep, cutStreaming };
}

export type ClipHeaders = ReturnType<typeof createClipHeaders>;

/**
 * Whether this clip's header can be shared with others of its kind: an MP4 or MXF
 * (clipHeaderIsStable) at least a second long. An encoder given only a frame or two has nothing
 * to reorder, so its MP4 lacks the B-frame delay every longer clip's edit list has (measured
 * with x264).
 */
export function headerShareable(options: CutOptions): boolean {
  const { frameRate } = options.info.video;
  const frames = options.outFrame - options.inFrame;
  return clipHeaderIsStable(options.format, options.info) && frames * frameRate.den >= frameRate.num;
}

/** Copied frames keep the master's sample entry; encoded ones carry the encoder's. */
function originOf(method: CutMethod): ClipHeaderKey["origin"] {
  return method === "reencode" ? "encoder" : "master";
}

/** Where the clip headers' troubles are reported; none of them fails a download. */
export interface HeaderLog {
  warn(data: Record<string, unknown>, message: string): void;
}

export type WarmUp = ClipHeaderWarmUp;

/**
 * At ingest: cuts a short clip in each format whose header is stable (the master's own format
 * if MP4 or MXF, and MP4, every audio track) the way downloads do, which keeps its header, so even the first
 * clip a journalist asks for starts at once.
 */
export async function warmClipHeaders(storage: Storage, log: HeaderLog, warm: WarmUp): Promise<void> {
  const headers = createClipHeaders(storage, log);
  const { info, index } = warm;
  const first = index.keyframes[0];
  if (first === undefined || index.frameCount === 0) return;
  // Two seconds from the first keyframe, or up to the next one if further: mostly copied frames
  // where the format is the master's, and long enough to share its header (headerShareable).
  const second = Math.ceil(info.video.frameRate.num / info.video.frameRate.den);
  const next = index.keyframes[1]?.frame ?? index.frameCount;
  const outFrame = Math.min(Math.max(next, first.frame + 2 * second), index.frameCount);
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
        ...(warm.tools ? { tools: warm.tools } : {}),
        ...(warm.x264Options ? { x264Options: warm.x264Options } : {}),
        // Part of the ingest: it gives way to the cuts people wait for.
        priority: "background",
      };
      if (!headerShareable(options)) continue;
      const key = { itemId: warm.itemId, masterKey: warm.masterKey, format, audioTracks: null };
      await headers.cutStreaming(options, key, (stream) => stream.resume());
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
