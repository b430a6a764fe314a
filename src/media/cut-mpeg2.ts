import { open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type SmartCutInput, writeSegment } from "./cut-pieces.ts";
import type { Segment } from "./cut-plan.ts";
import {
  type Mpeg2Gop,
  masterChroma,
  mpeg2Args,
  mpeg2DeliveryBitRate,
  XDCAM_GOP,
} from "./encoder-args/mpeg2.ts";
import type { KeyframeIndex } from "./keyframes.ts";
import { closeFirstGop, Mpeg2SpliceError } from "./mpeg2-gop.ts";
import type { MasterInfo } from "./probe.ts";

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
  const { info, index, workDir } = input;
  const path = join(workDir, `piece-${i}.m2v`);
  const gop = { ...masterGop(index), closed: true };
  const encoder = mpeg2Args(info.video, gop, masterBitRate(info), masterChroma(info.video));
  await writeSegment(input, segment, encoder, ["-f", "mpeg2video", path]);
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
