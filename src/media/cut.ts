import { mkdtemp, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { audioMaps, selectTracks, timecodeArgs } from "./clip-args.ts";
import { type ClipFormat, clipOutput } from "./clip-output.ts";
import { h264HeadEncoder, prepareH264SmartCut } from "./cut-h264.ts";
import { masterBitRate, masterGop, prepareMpeg2SmartCut } from "./cut-mpeg2.ts";
import { type CutPlan, planSmartCut } from "./cut-plan.ts";
import { deliveryH264Args } from "./encoder-args/h264.ts";
import { masterChroma, mpeg2Args } from "./encoder-args/mpeg2.ts";
import { TimecodeOutOfRange, UnsupportedMedia } from "./errors.ts";
import { type FfmpegTools, type MediaLogger, type RunOptions, runFfmpeg } from "./ffmpeg.ts";
import { deliveryFormat } from "./formats.ts";
import type { KeyframeIndex } from "./keyframes.ts";
import type { Priority } from "./launch.ts";
import type { MasterInfo } from "./probe.ts";
import { copySeek, decodeSeek, exactSeconds } from "./seek.ts";
import { timecodeAtFrame } from "./timecode.ts";

export type { ClipFormat } from "./clip-output.ts";

export interface CutOptions {
  master: string;
  info: MasterInfo;
  index: KeyframeIndex;
  /** First frame of the clip. */
  inFrame: number;
  /** First frame after the clip: the clip holds OUT - IN frames. */
  outFrame: number;
  format: ClipFormat;
  /**
   * The master's audio tracks to keep, by place among its audio tracks (0 = the first), e.g. only
   * the French interpretation; every track when absent.
   */
  audioTracks?: number[];
  /** Written only when complete: ffmpeg writes beside it and the finished file is renamed in. */
  output: string;
  /** A folder for pieces of the clip; a sub-folder is made in it and removed afterwards. */
  tempDir: string;
  signal?: AbortSignal;
  logger?: MediaLogger;
  tools?: FfmpegTools;
  /** "background" when nobody waits for the cut (ingest warming clip headers). */
  priority?: Priority;
  /** Fraction of the clip written, 0 to 1. */
  onProgress?: (fraction: number) => void;
  /**
   * The x264 settings the master's stream was encoded with, when its file does not carry x264's
   * SEI at its start (a stretch of a live recording joined from a later piece: the SEI is in the
   * stream's first picture only).
   */
  x264Options?: string;
}

/** copy: every frame is the master's; smart: only the frames next to IN/OUT were re-encoded; reencode: all were. */
export type CutMethod = "copy" | "smart" | "reencode";

export interface CutResult {
  method: CutMethod;
  frames: number;
  encodedFrames: number;
  startTimecode: string;
  /** Why a cheaper method could not be used; for the operator's logs. */
  note: string | null;
}

/** Where the clip's pictures come from, and how they are written. */
interface VideoSource {
  input: string[];
  map: string;
  codec: string[];
  method: CutMethod;
  encodedFrames: number;
  note: string | null;
}

/**
 * Cuts frames IN..OUT-1 of a master into a clip whose first picture is the master's frame IN,
 * whose sound starts at the same instant on every track, and whose timecode is the master's at IN.
 */
export function cutClip(options: CutOptions): Promise<CutResult> {
  return runCut(options, "file", (args, run) => runFfmpeg([...args, `${options.output}.partial`], run));
}

/** Writes the clip's bytes to `partial` (the output's name plus `.partial`), given ffmpeg's arguments less the output. */
export type ClipWriter = (args: string[], run: RunOptions) => Promise<unknown>;

/**
 * The cut shared by the file and the streamed clip: checks the range, prepares the pieces, lets
 * `write` run the final ffmpeg into `<output>.partial`, renames it to the output when it
 * succeeded and removes every piece and partial file whatever happened. `layout` "sequential"
 * picks a container written front to back (see clipOutput); the caller checked it has one.
 */
export async function runCut(
  options: CutOptions,
  layout: "file" | "sequential",
  write: ClipWriter,
): Promise<CutResult> {
  const { info, index, inFrame, outFrame, format } = options;
  const rate = info.video.frameRate;
  if (
    !Number.isInteger(inFrame) ||
    !Number.isInteger(outFrame) ||
    inFrame < 0 ||
    outFrame > index.frameCount
  ) {
    throw new TimecodeOutOfRange(`frames ${inFrame}-${outFrame} are outside 0-${index.frameCount}`, {
      in: inFrame,
      out: outFrame,
      end: index.frameCount,
    });
  }
  if (outFrame <= inFrame) {
    throw new TimecodeOutOfRange(`OUT ${outFrame} is not after IN ${inFrame}`, {
      in: inFrame,
      out: outFrame,
    });
  }
  const sound = { ...info, audio: selectTracks(info, options.audioTracks) };
  const output = clipOutput(format, sound);
  if (!output.hasVideo && sound.audio.length === 0) {
    throw new UnsupportedMedia("the video has no sound to extract", { format });
  }
  const container = layout === "file" ? output.container : output.sequential;
  if (container === null) throw new RangeError(`a ${format} clip cannot be written front to back`);
  const frames = outFrame - inFrame;
  const startTimecode = timecodeAtFrame(info.startTimecode, inFrame, rate);
  const { tools, signal, logger, priority } = options;
  const run: RunOptions = { tools, signal, logger, priority };
  const workDir = await mkdtemp(join(options.tempDir, "cut-"));
  const partial = `${options.output}.partial`;
  try {
    // AAC is the slow part of a copied clip's final mux; encoded beside the video's pieces, the
    // mux only copies. PCM costs nothing, and audio-only clips have nothing to run beside.
    const audioPiece =
      output.hasVideo && output.audio === "tracks" && isAac(output.audioCodec) && sound.audio.length > 0
        ? encodeAudioPiece(options, sound, output.audioCodec, join(workDir, "audio.mp4"), run)
        : null;
    // Both settle before anything else happens, so a failure of one never leaves the other running.
    const [videoResult, audioResult] = await Promise.allSettled([
      output.hasVideo ? videoSource(options, workDir, run) : Promise.resolve(null),
      audioPiece ?? Promise.resolve(null),
    ]);
    if (videoResult.status === "rejected") throw videoResult.reason;
    if (audioResult.status === "rejected") throw audioResult.reason;
    const video = videoResult.value;
    const audioFile = audioResult.value;
    options.logger?.debug(
      {
        master: options.master,
        inFrame,
        outFrame,
        format,
        layout,
        method: video?.method,
        encoded: video?.encodedFrames,
      },
      "cutting clip",
    );
    const audioInput = video === null ? 0 : 1;
    const args = [
      ...(video?.input ?? []),
      // Decoded and re-wrapped, so each track starts on the exact sample of IN and lasts OUT - IN.
      ...(audioFile === null
        ? ["-ss", exactSeconds(inFrame, rate), "-t", exactSeconds(frames, rate), "-i", options.master]
        : ["-i", audioFile]),
      // No -frames:v here: ffmpeg 5 closes every stream of the file when one reaches its frame
      // limit, which would cut the sound short. Each video source yields exactly OUT - IN frames.
      ...(video === null ? [] : ["-map", video.map, ...video.codec]),
      ...(audioFile === null
        ? [
            ...audioMaps(output.audio, audioInput, sound, exactSeconds(frames, rate)),
            ...(sound.audio.length > 0 ? output.audioCodec : []),
          ]
        : ["-map", `${audioInput}:a`, "-c:a", "copy"]),
      // The master's tags would carry its own timecode and title into the clip.
      ...["-map_metadata", "-1", "-map_chapters", "-1"],
      ...timecodeArgs(format, startTimecode, sound),
      ...container,
    ];
    const durationFrames = video === null ? null : frames;
    await write(args, {
      ...run,
      onProgress: (written) => options.onProgress?.(durationFrames === null ? 0 : written / durationFrames),
    });
    await rename(partial, options.output);
    options.onProgress?.(1);
    return {
      method: video?.method ?? "reencode",
      frames,
      encodedFrames: video?.encodedFrames ?? 0,
      startTimecode,
      note: video?.note ?? null,
    };
  } finally {
    await rm(partial, { force: true });
    await rm(workDir, { recursive: true, force: true });
  }
}

function isAac(codec: string[]): boolean {
  return codec[codec.indexOf("-c:a") + 1] === "aac";
}

/**
 * The clip's sound, every kept track cut on the exact sample of IN and lasting OUT - IN, encoded
 * once into an MP4 whose edit list carries the encoder's priming, which a stream copy keeps.
 */
async function encodeAudioPiece(
  options: CutOptions,
  sound: MasterInfo,
  codec: string[],
  path: string,
  run: RunOptions,
): Promise<string> {
  const rate = sound.video.frameRate;
  const frames = options.outFrame - options.inFrame;
  await runFfmpeg(
    [
      ...["-ss", exactSeconds(options.inFrame, rate), "-t", exactSeconds(frames, rate), "-i", options.master],
      ...audioMaps("tracks", 0, sound, exactSeconds(frames, rate)),
      ...codec,
      ...["-map_metadata", "-1", "-f", "mp4", path],
    ],
    run,
  );
  return path;
}

/**
 * Which way the clip's video is made, decided before anything runs from the keyframe index (and,
 * for an H.264 smart cut, the master's x264 settings): encoded whole, copied (all-intra), or a
 * smart cut whose plan says which frames are copied and which encoded.
 */
type VideoRoute =
  /** `fallback`: a smart cut was possible in principle but not for this master (worth a warning). */
  | { kind: "reencode"; codec: string[]; note: string | null; fallback: boolean }
  | { kind: "intra-copy" }
  | { kind: "h264"; plan: CutPlan; encoder: string[] }
  | { kind: "mpeg2"; plan: CutPlan; fallbackCodec: string[] };

const NO_KEYFRAME = "no keyframe the copy could start from in the range";

// One decision per cut: a streamed clip asks for its method first (to pick the header sent ahead,
// downloads/clip-headers.ts) and then cuts with the same options, which must follow the same route.
const routes = new WeakMap<CutOptions, Promise<VideoRoute>>();

function videoRoute(options: CutOptions): Promise<VideoRoute> {
  let route = routes.get(options);
  if (!route) {
    route = decideVideoRoute(options);
    routes.set(options, route);
  }
  return route;
}

async function decideVideoRoute(options: CutOptions): Promise<VideoRoute> {
  const { master, info, index, inFrame, outFrame, format } = options;
  const reencode = (codec: string[], note: string | null = null, fallback = false): VideoRoute => ({
    kind: "reencode",
    codec,
    note,
    fallback,
  });
  const delivery = deliveryFormat(format);
  if (!delivery.alreadyIn(info)) {
    if (delivery.videoEncoder === null) throw new RangeError(`${format} carries no video to encode`);
    return reencode(delivery.videoEncoder(info.video));
  }
  const plan = planSmartCut(index, inFrame, outFrame, { dropLeadingFrames: false });
  if (info.video.allIntra && plan.encodedFrames === 0) return { kind: "intra-copy" };
  const codec = info.video.codec;
  if (codec === "h264" && (info.container === "mp4" || info.container === "mov")) {
    if (plan.copiedFrames === 0) return reencode(deliveryH264Args(info.video), NO_KEYFRAME);
    const head = await h264HeadEncoder(master, info, index, plan, options.x264Options);
    if ("fallback" in head) return reencode(deliveryH264Args(info.video), head.fallback, true);
    return { kind: "h264", plan, encoder: head.encoder };
  }
  if (codec === "mpeg2video") {
    const smart = planSmartCut(index, inFrame, outFrame, { dropLeadingFrames: true });
    const fallbackCodec = mpeg2Args(
      info.video,
      masterGop(index),
      masterBitRate(info),
      masterChroma(info.video),
    );
    if (smart.copiedFrames === 0) return reencode(fallbackCodec, NO_KEYFRAME);
    return { kind: "mpeg2", plan: smart, fallbackCodec };
  }
  // Another long-GOP codec: keep the container, write the codec every system reads inside it.
  const delivered = deliveryFormat(info.container === "mxf" ? "mxf" : "mp4").videoEncoder;
  if (delivered === null) throw new RangeError("video formats have an encoder");
  return reencode(delivered(info.video), `no smart cut for ${codec}`);
}

/**
 * How the clip's video will be made, known before anything runs: where frames are copied, the
 * clip's sample entry is the master's; where all are encoded, the encoder's. A head whose
 * parameter sets still come out different (checked only while cutting) also ends in a re-encode.
 */
export async function expectedVideoMethod(options: CutOptions): Promise<CutMethod> {
  const route = await videoRoute(options);
  if (route.kind === "reencode") return "reencode";
  if (route.kind === "intra-copy") return "copy";
  return route.plan.encodedFrames === 0 ? "copy" : "smart";
}

async function videoSource(options: CutOptions, workDir: string, run: RunOptions): Promise<VideoSource> {
  const { master, info, index, inFrame, outFrame } = options;
  const rate = info.video.frameRate;
  const masterVideo = `0:${info.video.streamIndex}`;
  const frames = outFrame - inFrame;
  const reencode = (codec: string[], note: string | null): VideoSource => ({
    // Decoding starts a quarter frame before IN, so the window [IN - 1/4, OUT - 1/4) holds
    // exactly frames IN..OUT-1 whatever the rounding of seconds.
    input: ["-ss", decodeSeek(inFrame, rate), "-t", exactSeconds(frames, rate), "-i", master],
    map: masterVideo,
    codec,
    method: "reencode",
    encodedFrames: frames,
    note,
  });
  const fallBack = (codec: string[], reason: string): VideoSource => {
    options.logger?.warn({ master, reason }, "smart cut not possible, re-encoding the clip");
    return reencode(codec, reason);
  };
  const route = await videoRoute(options);
  switch (route.kind) {
    case "reencode":
      return route.fallback && route.note !== null
        ? fallBack(route.codec, route.note)
        : reencode(route.codec, route.note);
    case "intra-copy":
      return {
        // No reordering in intra-only video, so reading stops cleanly half a frame before OUT.
        input: ["-ss", copySeek(inFrame, rate), "-t", exactSeconds(frames - 0.5, rate), "-i", master],
        map: masterVideo,
        codec: ["-c:v", "copy"],
        method: "copy",
        encodedFrames: 0,
        note: null,
      };
    case "h264": {
      const { plan } = route;
      const pieces = await prepareH264SmartCut({ master, info, index, plan, workDir, run }, route.encoder);
      if ("fallback" in pieces) return fallBack(deliveryH264Args(info.video), pieces.fallback);
      const tick = (index.timeBase.den * rate.den) / (index.timeBase.num * rate.num);
      return {
        input: ["-f", "concat", "-safe", "0", "-i", pieces.list],
        map: "0:v:0",
        // x264 gives a one-frame head no B-frame delay, so joined pieces would step back in decode
        // time. Every piece shares the master's SPS and its reorder delay: decode times one frame
        // apart, that many frames early, are valid for all of them.
        codec: ["-c:v", "copy", "-bsf:v", `setts=pts=PTS:dts=(N-${info.video.reorderDelay})*${tick}`],
        method: plan.encodedFrames === 0 ? "copy" : "smart",
        encodedFrames: plan.encodedFrames,
        note: null,
      };
    }
    case "mpeg2": {
      const { plan } = route;
      const pieces = await prepareMpeg2SmartCut({ master, info, index, plan, workDir, run });
      if ("fallback" in pieces) return fallBack(route.fallbackCodec, pieces.fallback);
      const method = plan.encodedFrames === 0 ? "copy" : "smart";
      if ("list" in pieces) {
        const { bFrames } = masterGop(index);
        return {
          input: ["-f", "concat", "-safe", "0", "-i", pieces.list],
          map: "0:v:0",
          // Files of two kinds, each timed its own way: counted in frames instead. The MXF muxer
          // reads picture order from the pictures; presentation times only need to follow decoding.
          codec: [
            ...["-c:v", "copy", "-bsf:v"],
            `setts=time_base=${rate.den}/${rate.num}:dts=N:pts=N+${bFrames}`,
          ],
          method,
          encodedFrames: plan.encodedFrames,
          note: null,
        };
      }
      return {
        // The joined stream has no timestamps of its own: the raw demuxer times it from its headers.
        input: ["-f", "mpegvideo", "-i", pieces.url],
        map: "0:v:0",
        codec: ["-c:v", "copy"],
        method,
        encodedFrames: plan.encodedFrames,
        note: null,
      };
    }
  }
}
