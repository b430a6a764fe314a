import type { CutPlan, Segment } from "./cut-plan.ts";
import { type RunOptions, runFfmpeg } from "./ffmpeg.ts";
import type { KeyframeIndex } from "./keyframes.ts";
import type { MasterInfo } from "./probe.ts";
import { copySeek, decodeSeek } from "./seek.ts";

/** What the codec-specific smart cuts need to write the pieces of a plan. */
export interface SmartCutInput {
  master: string;
  info: MasterInfo;
  index: KeyframeIndex;
  plan: CutPlan;
  workDir: string;
  run: RunOptions;
}

/**
 * Writes one piece of a smart cut, video only: a copied run counted in packets (it ends exactly
 * where the plan proved it decodable), or frames re-encoded with `encoder`, counted in frames.
 */
export function writeSegment(
  input: SmartCutInput,
  segment: Segment,
  encoder: string[],
  output: string[],
): Promise<unknown> {
  const { master, info, run } = input;
  const rate = info.video.frameRate;
  const map = ["-map", `0:${info.video.streamIndex}`, "-an"];
  if (segment.kind === "copy") {
    const packets = ["-frames:v", String(segment.packets)];
    return runFfmpeg(
      ["-ss", copySeek(segment.from, rate), "-i", master, ...map, "-c:v", "copy", ...packets, ...output],
      run,
    );
  }
  const frames = ["-frames:v", String(segment.to - segment.from)];
  return runFfmpeg(
    ["-ss", decodeSeek(segment.from, rate), "-i", master, ...map, ...encoder, ...frames, ...output],
    run,
  );
}
