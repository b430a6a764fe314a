import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { findLiveStream, type LivePiece, type LiveStream, livePieces } from "../catalogue/live-store.ts";
import { liveFactsKey } from "../catalogue/storage-keys.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { resolveClipRange } from "../media/clip-range.ts";
import { clipFile, isClipFormat } from "../media/formats.ts";
import { indexKeyframes } from "../media/keyframes.ts";
import { joinPieces } from "../media/live/join.ts";
import { pieceFrameCount, pieceVideoStart, pieceX264Options } from "../media/live/piece-frames.ts";
import { type MasterInfo, probeMaster } from "../media/probe.ts";
import { type Rational, timecodeAtFrame } from "../media/timecode.ts";
import { putJson, readJson } from "../storage/json.ts";
import { warmClipHeaders } from "./clip-headers.ts";
import type { LocalMaster } from "./clips.ts";
import { clipFileName } from "./file-name.ts";
import type { DownloadSource } from "./item-source.ts";
import { checkAccess, clipPoints, type DownloadPlan, type DownloadQuery, pointFrame } from "./plan.ts";

type CutPlan = Extract<DownloadPlan, { kind: "cut" }>;

/** A live item's recording as received so far, while it has no processed master (issue 12). */
export type LiveRecording = { stream: LiveStream; pieces: LivePiece[] };

/**
 * The recording clips of this item are cut from: its pieces while it has no processed master
 * (live, ended, or its master still being made and processed: the pieces stay until then);
 * null once it is ready (the master's path) or for an item that never was live.
 */
export async function findLiveRecording(
  db: FeatureDeps["db"],
  source: DownloadSource,
): Promise<LiveRecording | null> {
  if (source.status === "ready" || source.mediaType !== "video") return null;
  const stream = await findLiveStream(db, source.itemId);
  if (!stream) return null;
  return { stream, pieces: await livePieces(db, source.itemId) };
}

/**
 * Frame-exact clips while an item is live: IN/OUT on the recording's clock (its timecode, or
 * seconds from its start) are found among the pieces received, the pieces covering them are
 * joined as the master will be (media/live/join.ts) into a file in the clip work folder, and that
 * file is cut by the same cutter, cache and delivery as a recording's clip (clips.ts). Clips are
 * cached by the pieces they were cut from, IN, OUT, format and sound: pieces never change, so the
 * same request gives the same clip, live or ended.
 */
export function createLiveClips(deps: Pick<FeatureDeps, "storage" | "config" | "log">) {
  const run = { tools: deps.config.ffmpeg };
  // What is read of each piece never changes: read once per process.
  const starts = new Map<string, Promise<number>>();
  const counts = new Map<string, Promise<number>>();
  const facts = new Map<string, Promise<StreamFacts>>();

  const local = (piece: LivePiece) => deps.storage.localPath(piece.storageKey, deps.config.mastersCacheDir);
  function once<T>(map: Map<string, Promise<T>>, piece: LivePiece, read: (file: string) => Promise<T>) {
    return remembered(map, piece.storageKey, () => local(piece).then(read));
  }
  function remembered<T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>) {
    let value = map.get(key);
    if (value === undefined) {
      if (map.size > 20_000) map.clear();
      value = read();
      // A failed read is tried again next time.
      value.catch(() => map.delete(key));
      map.set(key, value);
    }
    return value;
  }
  const startOf = (p: LivePiece) => once(starts, p, (file) => pieceVideoStart(file, run));
  const countOf = (p: LivePiece) => once(counts, p, (file) => pieceFrameCount(file, run));

  async function framesBetween(a: LivePiece, b: LivePiece, rate: Rational): Promise<number> {
    const seconds = (await startOf(b)) - (await startOf(a));
    return Math.round((seconds * rate.num) / rate.den);
  }

  /**
   * Frames of the recording before piece `at`. Within a connection the pieces are one stream cut
   * at keyframes: the picture start times tell it without reading the pieces in between. Each
   * earlier connection adds its frames up to its last piece and those of that piece.
   */
  async function framesBefore(pieces: LivePiece[], at: number, rate: Rational): Promise<number> {
    let frames = 0;
    let first = 0;
    for (let i = 1; i <= at; i++) {
      if (pieces[i]!.connection === pieces[i - 1]!.connection) continue;
      frames += (await framesBetween(pieces[first]!, pieces[i - 1]!, rate)) + (await countOf(pieces[i - 1]!));
      first = i;
    }
    return at === first ? frames : frames + (await framesBetween(pieces[first]!, pieces[at]!, rate));
  }

  /** The piece holding frame `frame`: guessed from the pieces' times, then checked on their frames. */
  async function pieceAt(pieces: LivePiece[], frame: number, rate: Rational): Promise<number> {
    const seconds = (frame * rate.den) / rate.num;
    let at = Math.max(
      0,
      pieces.findLastIndex((p) => p.startSeconds <= seconds),
    );
    // Each read opens a piece (ffprobe if it is not plain MPEG-TS): the likely ones at once.
    await Promise.all(pieces.slice(Math.max(0, at - 1), at + 2).map(startOf));
    while (at > 0 && (await framesBefore(pieces, at, rate)) > frame) at -= 1;
    while (at + 1 < pieces.length && (await framesBefore(pieces, at + 1, rate)) <= frame) at += 1;
    return at;
  }

  /**
   * Checks a live clip request (access as for recordings, format, IN/OUT within what has been
   * received) and finds the pieces it needs. Nothing is joined yet.
   */
  async function plan(
    source: DownloadSource,
    recording: LiveRecording,
    query: DownloadQuery,
    options: { now: Date; editor: boolean },
  ): Promise<LivePlan> {
    checkAccess(source, options);
    const { stream, pieces } = recording;
    const rate = stream.frameRate;
    const startTimecode = stream.startTimecode;
    // A live whose encoder has not sent yet is not "being processed": say it has not started.
    if (pieces.length === 0 && stream.state === "waiting") throw new UserError("live_waiting");
    if (rate === null || startTimecode === null || pieces.length === 0) throw new UserError("not_ready");
    const format = query.format ?? "original";
    if (!isClipFormat(format)) throw new UserError("unknown_format", { value: format });
    // The whole recording is a download once it is the item's master.
    if (!(query.in || query.out || query.last)) throw new UserError("not_ready");
    const audio = query.audio?.trim() || "all";
    // Editors label a master's sound tracks; a live has none labelled yet.
    if (audio !== "all") throw new UserError("unknown_audio", { value: audio, choices: "all" });
    const last = pieces.length - 1;
    // Every connection's first and last piece is read below: at once, not one after the other.
    const ends = pieces.filter(
      (p, i) => p.connection !== pieces[i - 1]?.connection || p.connection !== pieces[i + 1]?.connection,
    );
    await Promise.all([...ends.map(startOf), countOf(pieces[last]!)]);
    const received = (await framesBefore(pieces, last, rate)) + (await countOf(pieces[last]!));
    const context = { rate, startTimecode, frameCount: received };
    const first = timecodeAtFrame(startTimecode, 0, rate);
    const end = timecodeAtFrame(startTimecode, received, rate);
    const { inText, outText } = clipPoints(query, context, first, end);
    const inPoint = pointFrame(inText, "in", context);
    const outPoint = pointFrame(outText, "out", context);
    if (outPoint <= inPoint) throw new UserError("out_before_in");
    if (outPoint > received) {
      const available = `${Math.floor((received * rate.den) / rate.num)} s`;
      throw new UserError("live_not_received", { available, first, last: end });
    }
    const { inFrame, outFrame } = resolveClipRange(inText, outText, context);
    const from = await pieceAt(pieces, inFrame, rate);
    const to = await pieceAt(pieces, outFrame - 1, rate);
    const used = pieces.slice(from, to + 1);
    const offsetFrames = await framesBefore(pieces, from, rate);
    // The connection's first piece carries the encoder's settings (x264 writes them once).
    const head = pieces
      .slice(0, from + 1)
      .findLast((p, i, all) => i === 0 || all[i - 1]!.connection !== p.connection);
    const cacheKey = createHash("sha256")
      .update(
        JSON.stringify(["live", source.itemId, used.map((p) => p.storageKey), inFrame, outFrame, format]),
      )
      .digest("hex");
    return {
      source,
      format,
      audio,
      inFrame,
      outFrame,
      offsetFrames,
      pieces: used,
      firstPiece: head ?? used[0]!,
      startTimecode: timecodeAtFrame(startTimecode, offsetFrames, rate),
      frameRate: rate,
      cacheKey,
    };
  }

  /**
   * What a connection's stream is: its codecs, sound and encoder's settings do not change within
   * one. Read from the stored facts the "live.headers" job wrote from its first piece, so a
   * connection's first clip does not wait for ffprobe; read from `file` if they are not there yet.
   */
  function streamFacts(itemId: number, head: LivePiece, file: string): Promise<StreamFacts> {
    return remembered(facts, head.storageKey, async () => {
      const key = liveFactsKey(itemId, head.connection);
      if (await deps.storage.stat(key)) return readJson<StreamFacts>(deps.storage, key);
      const [probe, x264Options] = await Promise.all([
        probeMaster(file, run),
        local(head).then((first) => pieceX264Options(first, run)),
      ]);
      return { probe, x264Options };
    });
  }

  /**
   * Joins pieces into `folder` and reads the result as ingest reads a master: the file, its
   * facts (frames of the joined file, the recording's clock at its first frame), its keyframe
   * index and the encoder's settings from the connection's first piece (`head`).
   */
  async function joined(
    itemId: number,
    pieces: LivePiece[],
    head: LivePiece,
    clock: { timecode: string; frameRate: Rational | null },
    folder: string,
  ) {
    const file = path.join(folder, "recording.mp4");
    const files = await Promise.all(pieces.map(local));
    await joinPieces(
      pieces.map((p, i) => ({
        file: files[i]!,
        durationSeconds: p.durationSeconds,
        connection: p.connection,
      })),
      file,
      { ...run, timecode: clock.timecode, frameRate: clock.frameRate },
    );
    const [stream, index] = await Promise.all([streamFacts(itemId, head, file), indexKeyframes(file, run)]);
    // The length is this file's, and the clock the recording's at its first frame. The stream's
    // own rate: a file joined across a reconnection may average a little off it.
    const { probe: probed, x264Options } = stream;
    const rate = clock.frameRate ?? probed.video.frameRate;
    const info: MasterInfo = {
      ...probed,
      video: { ...probed.video, frameRate: rate },
      frameCount: index.frameCount,
      durationSeconds: (index.frameCount * rate.den) / rate.num,
      startTimecode: clock.timecode,
    };
    return { file, info, index, x264Options, stream };
  }

  /** Clip headers are kept per connection: its stream's codecs and settings are one. */
  const headerKey = (itemId: number, connection: number) => `live/${itemId}/${connection}`;

  /**
   * Joins the plan's pieces into `folder` and reads the result: the cut plan (frames of the
   * joined file) and the file, its keyframe index and the encoder's settings.
   */
  async function prepare(live: LivePlan, folder: string): Promise<{ plan: CutPlan; local: LocalMaster }> {
    const { file, info, index, x264Options } = await joined(
      live.source.itemId,
      live.pieces,
      live.firstPiece,
      { timecode: live.startTimecode, frameRate: live.frameRate },
      folder,
    );
    const inFrame = live.inFrame - live.offsetFrames;
    const outFrame = live.outFrame - live.offsetFrames;
    const output = clipFile(live.format, info);
    return {
      plan: {
        kind: "cut",
        info,
        inFrame,
        outFrame,
        format: live.format,
        audioTracks: null,
        audio: live.audio,
        contentType: output.contentType,
        fileName: clipFileName(live.source, info, inFrame, outFrame, live.format, output.extension),
        cacheKey: live.cacheKey,
        offsetFrames: live.offsetFrames,
      },
      local: {
        file,
        index,
        headerKey: headerKey(live.source.itemId, live.firstPiece.connection),
        ...(x264Options === null ? {} : { x264Options }),
      },
    };
  }

  /**
   * Ahead of a connection's first clip (the "live.headers" job, once its first piece is stored):
   * the clip headers sent ahead of every clip of this connection are made from that piece, as
   * ingest makes a master's, so the first clip a journalist takes starts at once too.
   */
  async function warmHeaders(
    itemId: number,
    head: LivePiece,
    clock: { timecode: string; frameRate: Rational | null },
    workDir: string,
  ) {
    const folder = await mkdtemp(path.join(workDir, "live-headers-"));
    try {
      const { file, info, index, x264Options, stream } = await joined(itemId, [head], head, clock, folder);
      // Stored for the web processes, whose first clip of this connection then skips ffprobe.
      await putJson(deps.storage, liveFactsKey(itemId, head.connection), stream, folder);
      await warmClipHeaders(deps.storage, deps.log, {
        itemId,
        masterKey: headerKey(itemId, head.connection),
        master: file,
        info,
        index,
        workDir: folder,
        tools: deps.config.ffmpeg,
        ...(x264Options === null ? {} : { x264Options }),
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  return { plan, prepare, warmHeaders };
}

export type LivePlan = {
  source: DownloadSource;
  format: CutPlan["format"];
  audio: string;
  /** IN and OUT on the recording's frames. */
  inFrame: number;
  outFrame: number;
  /** Frames of the recording before the first piece used. */
  offsetFrames: number;
  pieces: LivePiece[];
  /** The first piece of the connection the clip starts in. */
  firstPiece: LivePiece;
  /** The recording's timecode at the first piece used. */
  startTimecode: string;
  /** The stream's frame rate, as recorded when it began. */
  frameRate: Rational;
  cacheKey: string;
};

export type LiveClips = ReturnType<typeof createLiveClips>;

/** A connection's stream as its first piece shows it (stored per connection, `liveFactsKey`). */
type StreamFacts = { probe: MasterInfo; x264Options: string | null };
