import { open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SmartCutInput } from "./cut-h264.ts";
import type { Segment } from "./cut-plan.ts";
import {
  type Mpeg2Gop,
  masterChroma,
  mpeg2Args,
  mpeg2DeliveryBitRate,
  XDCAM_GOP,
} from "./encoder-args/mpeg2.ts";
import { runFfmpeg } from "./ffmpeg.ts";
import type { KeyframeIndex } from "./keyframes.ts";
import { closeFirstGop, Mpeg2SpliceError } from "./mpeg2-gop.ts";
import type { MasterInfo } from "./probe.ts";
import { copySeek, decodeSeek } from "./seek.ts";

/** An input URL reading the clip's video as one MPEG-2 elementary stream, or why it must be re-encoded whole. */
export type Mpeg2Pieces = { url: string } | { fallback: string };

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
  // The concat protocol separates its parts with "|".
  if (workDir.includes("|")) return { fallback: "the temporary folder's name contains |" };
  try {
    const parts = await Promise.all(plan.segments.map((segment, i) => writePiece(input, segment, i)));
    return { url: `concat:${parts.flat().join("|")}` };
  } catch (error) {
    if (error instanceof Mpeg2SpliceError) return { fallback: error.message };
    throw error;
  }
}

/** Writes one piece and returns the URLs that read it in order. */
async function writePiece(input: SmartCutInput, segment: Segment, i: number): Promise<string[]> {
  const { master, info, index, run, workDir } = input;
  const path = join(workDir, `piece-${i}.m2v`);
  const rate = info.video.frameRate;
  const map = ["-map", `0:${info.video.streamIndex}`];
  const container = ["-an", "-f", "mpeg2video", path];
  if (segment.kind === "encode") {
    const gop = { ...masterGop(index), closed: true };
    const encoder = mpeg2Args(info.video, gop, masterBitRate(info), masterChroma(info.video));
    const frames = ["-frames:v", String(segment.to - segment.from)];
    await runFfmpeg(
      ["-ss", decodeSeek(segment.from, rate), "-i", master, ...map, ...encoder, ...frames, ...container],
      run,
    );
    return [path];
  }
  const packets = ["-frames:v", String(segment.packets)];
  await runFfmpeg(
    ["-ss", copySeek(segment.from, rate), "-i", master, ...map, "-c:v", "copy", ...packets, ...container],
    run,
  );
  if (segment.droppedLeading === 0) return [path];
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

/** The master's GOP length and B-frame run, read from its index, so re-encoded frames match its structure. */
export function masterGop(index: KeyframeIndex): Mpeg2Gop {
  const [first, second] = index.keyframes;
  const length = first !== undefined && second !== undefined ? second.frame - first.frame : XDCAM_GOP.length;
  const bFrames = Math.max(0, ...index.keyframes.map((k) => k.leadingFrames));
  return { length, bFrames: bFrames || XDCAM_GOP.bFrames, closed: false };
}

export function masterBitRate(info: MasterInfo): number {
  return info.video.bitRate ?? mpeg2DeliveryBitRate(info.video);
}
