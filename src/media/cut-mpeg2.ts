import { open, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type SmartCutInput, writeSegment } from "./cut-pieces.ts";
import type { Segment } from "./cut-plan.ts";
import {
  type Mpeg2Gop,
  masterChroma,
  mpeg2Args,
  mpeg2DeliveryBitRate,
  XDCAM_GOP,
} from "./encoder-args/mpeg2.ts";
import { runFfprobeJson } from "./ffmpeg.ts";
import type { Keyframe, KeyframeIndex } from "./keyframes.ts";
import { closeFirstGop, Mpeg2SpliceError } from "./mpeg2-gop.ts";
import type { MasterInfo } from "./probe.ts";
import { copySeek } from "./seek.ts";

/**
 * How the final mux reads the clip's video: one MPEG-2 elementary stream (`url`, for the raw
 * demuxer), or a concat-demuxer `list` whose packets need re-timing in frames; or why it must
 * be re-encoded whole.
 */
export type Mpeg2Pieces = { url: string } | { list: string } | { fallback: string };

// Enough for the first GOP of any broadcast MPEG-2 (XDCAM HD422: 12 pictures, about 3 MB).
const FIRST_GOP_BYTES = 32 * 1024 * 1024;

/**
 * An open-GOP MPEG-2 smart cut: heads and tails re-encoded in closed GOPs with the master's
 * settings, copied runs with their first GOP closed (leading B-pictures dropped, temporal
 * references renumbered). ffmpeg's concat protocol joins them byte for byte as it reads, and
 * its subfile protocol skips the copied GOP that was rewritten, so the long copied run is
 * written once, not twice; the raw demuxer re-times the whole stream from its headers.
 */
export async function prepareMpeg2SmartCut(input: SmartCutInput): Promise<Mpeg2Pieces> {
  const { plan, workDir } = input;
  try {
    if (canReadMasterDirectly(input)) {
      const entries = await Promise.all(plan.segments.map((segment, i) => listEntries(input, segment, i)));
      const list = join(workDir, "pieces.txt");
      await writeFile(list, entries.flat().join(""));
      return { list };
    }
    // The concat protocol separates its parts with "|".
    if (workDir.includes("|")) return { fallback: "the temporary folder's name contains |" };
    const parts = await Promise.all(plan.segments.map((segment, i) => writePiece(input, segment, i)));
    return { url: `concat:${parts.flat().join("|")}` };
  } catch (error) {
    if (error instanceof Mpeg2SpliceError) return { fallback: error.message };
    throw error;
  }
}

/**
 * An MXF master's packets can be read by the final mux itself (concat demuxer, inpoint and
 * outpoint) from the copied run's second GOP on: no copy of the run is written, and the mux
 * need not parse a raw stream to find its pictures, which halves the time of a long clip. The
 * first copied GOP still goes through a small file to be closed. The concat demuxer takes the
 * master's streams in order, so its picture track must come first.
 */
function canReadMasterDirectly(input: SmartCutInput): boolean {
  const copy = input.plan.segments.find((s) => s.kind === "copy");
  if (input.info.container !== "mxf" || input.info.video.streamIndex !== 0 || copy?.kind !== "copy")
    return false;
  const second = nextKeyframe(input.index, copy.keyframe.decodeIndex);
  return second !== undefined && second.decodeIndex < copy.keyframe.decodeIndex + copy.packets;
}

function nextKeyframe(index: KeyframeIndex, decodeIndex: number): Keyframe | undefined {
  return index.keyframes.find((k) => k.decodeIndex > decodeIndex);
}

/** The concat-demuxer lines reading one piece: a small file, or the first GOP's file and then the master. */
async function listEntries(input: SmartCutInput, segment: Segment, i: number): Promise<string[]> {
  const { info, index, master, workDir } = input;
  const rate = info.video.frameRate;
  const path = join(workDir, `piece-${i}.m2v`);
  if (segment.kind === "encode") {
    await writeSegment(input, segment, encoderFor(input), ["-f", "mpeg2video", path]);
    return [fileLine(path)];
  }
  const second = nextKeyframe(index, segment.keyframe.decodeIndex);
  if (second === undefined) throw new RangeError("no second keyframe in the copied run");
  const firstGopPackets = second.decodeIndex - segment.keyframe.decodeIndex;
  // An open GOP is read with the next I-picture, whose GOP header tells closeFirstGop where it ends.
  const open = segment.droppedLeading > 0;
  const [, secondDts] = await Promise.all([
    writeSegment(
      input,
      { ...segment, packets: firstGopPackets + (open ? 1 : 0) },
      [],
      [...["-f", "mpeg2video", path]],
    ),
    firstPacketDts(input, second),
  ]);
  const firstGop = join(workDir, `piece-${i}-first-gop.m2v`);
  if (open) await writeFile(firstGop, closeFirstGop(await readFile(path), segment.droppedLeading).bytes);
  const restPackets = segment.packets - firstGopPackets;
  const seconds = index.timeBase.num / index.timeBase.den;
  // The demuxer starts at the keyframe at or before the inpoint, and stops at the first packet
  // whose decoding time reaches the outpoint; packets are one frame apart in decoding time.
  const outpoint = (secondDts + restPackets - 0.5) * seconds;
  return [
    fileLine(open ? firstGop : path),
    fileLine(master),
    `inpoint ${copySeek(second.frame, rate)}\n`,
    `outpoint ${outpoint.toFixed(6)}\n`,
  ];
}

/** The decoding time of the keyframe's packet, in the master's time base, read from the master. */
async function firstPacketDts(input: SmartCutInput, keyframe: Keyframe): Promise<number> {
  const seek = copySeek(keyframe.frame, input.info.video.frameRate);
  const probe = (await runFfprobeJson(
    [
      ...["-select_streams", `${input.info.video.streamIndex}`, "-read_intervals", `${seek}%+#1`],
      ...["-show_entries", "packet=pts,dts", input.master],
    ],
    input.run,
  )) as { packets?: { pts?: number; dts?: number }[] };
  const packet = probe.packets?.[0];
  if (packet?.pts !== keyframe.pts || typeof packet.dts !== "number") {
    throw new Mpeg2SpliceError("the master's keyframe is not where its index says");
  }
  return packet.dts;
}

function encoderFor(input: SmartCutInput): string[] {
  const gop = { ...masterGop(input.index), closed: true };
  return mpeg2Args(input.info.video, gop, masterBitRate(input.info), masterChroma(input.info.video));
}

function fileLine(path: string): string {
  // The concat demuxer reads a relative name from the list's folder; a master it cannot open
  // there ends the clip after its first GOP without an error.
  return `file '${resolve(path).replaceAll("'", "'\\''")}'\n`;
}

/** Writes one piece and returns the URLs that read it in order. */
async function writePiece(input: SmartCutInput, segment: Segment, i: number): Promise<string[]> {
  const { workDir } = input;
  const path = join(workDir, `piece-${i}.m2v`);
  await writeSegment(input, segment, encoderFor(input), ["-f", "mpeg2video", path]);
  if (segment.kind === "encode" || segment.droppedLeading === 0) return [path];
  const file = await open(path, "r");
  try {
    const start = Buffer.alloc(FIRST_GOP_BYTES);
    const { bytesRead } = await file.read(start, 0, FIRST_GOP_BYTES, 0);
    const closed = closeFirstGop(start.subarray(0, bytesRead), segment.droppedLeading);
    const firstGop = join(workDir, `piece-${i}-first-gop.m2v`);
    await writeFile(firstGop, closed.bytes);
    return [firstGop, `subfile,,start,${closed.consumed},end,0,,:${path}`];
  } finally {
    await file.close();
  }
}

/** The master's usual GOP length and B-frame run, read from its index, so re-encoded frames match its structure. */
export function masterGop(index: KeyframeIndex): Mpeg2Gop {
  const distances = index.keyframes.slice(1).map((k, i) => k.frame - (index.keyframes[i]?.frame ?? 0));
  distances.sort((a, b) => a - b);
  // A frame shown n places after its position in the file waits for the n B-frames stored after it.
  let bFrames = 0;
  index.decodeOrder.forEach((frame, position) => {
    bFrames = Math.max(bFrames, frame - position);
  });
  const length = distances[Math.floor(distances.length / 2)] ?? XDCAM_GOP.length;
  return { length, bFrames, closed: false };
}

export function masterBitRate(info: MasterInfo): number {
  return info.video.bitRate ?? mpeg2DeliveryBitRate(info.video);
}
