import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type SmartCutInput, writeSegment } from "./cut-pieces.ts";
import type { CutPlan, Segment } from "./cut-plan.ts";
import { matchingH264Args, parseX264Settings } from "./encoder-args/h264.ts";
import { type KeyframeIndex, readParameterSetsHash } from "./keyframes.ts";
import type { MasterInfo } from "./probe.ts";
import { readX264Options } from "./x264-sei.ts";

/**
 * x264 writes the same SPS/PPS for the same settings and picture size, so once a head proved to
 * match a master's parameter sets, later heads with those settings for a master with those
 * parameter sets need not be probed again (a probe is a process start on the download's path).
 */
const matchingEncoders = new Set<string>();
const MATCHING_ENCODERS_KEPT = 1000;

function remember(proof: string): void {
  if (matchingEncoders.size >= MATCHING_ENCODERS_KEPT) matchingEncoders.clear();
  matchingEncoders.add(proof);
}

/**
 * The encoder arguments for the frames `plan` re-encodes (none if it only copies): the master's
 * x264 settings, read from the SEI x264 wrote into it; or why they cannot be reproduced.
 */
export async function h264HeadEncoder(
  master: string,
  info: MasterInfo,
  index: KeyframeIndex,
  plan: CutPlan,
  knownOptions?: string,
): Promise<{ encoder: string[] } | { fallback: string }> {
  if (plan.encodedFrames === 0) return { encoder: [] };
  const x264Options = knownOptions ?? (await readX264Options(master, index.keyframes[0]?.byteOffset ?? 0));
  if (x264Options === null) return { fallback: "the master was not encoded by x264" };
  const matching = matchingH264Args(parseX264Settings(x264Options), info.video);
  if (matching === null) return { fallback: "the master's x264 settings cannot be reproduced" };
  return { encoder: matching };
}

/** A concat list of the clip's pieces, or why the cut must re-encode the whole range instead. */
export type SmartCutPieces = { list: string } | { fallback: string };

/**
 * Writes each piece of an H.264 smart cut as its own MP4: re-encoded heads and tails with
 * `encoder` (h264HeadEncoder), copied runs of the master's packets. A player reading the joined clip
 * uses one SPS/PPS for all of it, so the pieces are used only if their parameter sets are the
 * master's byte for byte; otherwise the caller re-encodes.
 */
export async function prepareH264SmartCut(input: SmartCutInput, encoder: string[]): Promise<SmartCutPieces> {
  const { index, plan, workDir, run } = input;
  const pieces = plan.segments.map((segment, i) => ({ segment, path: join(workDir, `piece-${i}.mp4`) }));
  await Promise.all(pieces.map(({ segment, path }) => writePiece(input, segment, encoder, path)));
  const encoded = pieces.filter(({ segment }) => segment.kind === "encode");
  const proof = `${index.parameterSetsHash} ${encoder.join(" ")}`;
  if (encoded.length > 0 && !matchingEncoders.has(proof)) {
    const hashes = await Promise.all(encoded.map(({ path }) => readParameterSetsHash(path, run)));
    if (hashes.some((hash) => hash !== index.parameterSetsHash)) {
      return { fallback: "re-encoded frames would not share the master's SPS/PPS" };
    }
    remember(proof);
  }
  const list = join(workDir, "pieces.txt");
  await writeFile(list, pieces.map(({ path }) => `file '${path.replaceAll("'", "'\\''")}'\n`).join(""));
  return { list };
}

function writePiece(
  input: SmartCutInput,
  segment: Segment,
  encoder: string[],
  path: string,
): Promise<unknown> {
  const { timeBase } = input.index;
  // The master's time base, so the joined pieces need no timestamp rounding.
  const timescale = ["-video_track_timescale", String(timeBase.den / timeBase.num)];
  return writeSegment(input, segment, encoder, [...timescale, "-map_metadata", "-1", "-f", "mp4", path]);
}
