/** Setting up a cut in the cutting tests: a temporary folder per file, the master probed and indexed. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type ClipFormat, type CutOptions, type CutResult, cutClip } from "../../src/media/cut.ts";
import { indexKeyframes } from "../../src/media/keyframes.ts";
import { probeMaster } from "../../src/media/probe.ts";
import type { TestMaster } from "../helpers/media.ts";

// Cutting and then decoding 1080i takes seconds, and many more on a machine busy with other suites.
export const HEAVY = 120_000;

/** A folder made before the file's tests and removed after them; call at the top of a test file. */
export function useTempDir(): () => string {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pressroom-cut-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

export interface PreparedCut {
  options: CutOptions;
  output: string;
  /** Every fraction reported by onProgress. */
  progress: number[];
  run: () => Promise<CutResult>;
}

const EXTENSIONS: Record<ClipFormat, string> = {
  original: "orig",
  mp4: "mp4",
  mxf: "mxf",
  prores: "mov",
  wav: "wav",
  mp3: "mp3",
};

export async function prepareCut(
  dir: string,
  master: TestMaster,
  range: { inFrame: number; outFrame: number; format: ClipFormat },
  extra: Partial<CutOptions> = {},
): Promise<PreparedCut> {
  const [info, index] = await Promise.all([probeMaster(master.path), indexKeyframes(master.path)]);
  const { inFrame, outFrame, format } = range;
  const output = join(
    dir,
    `${format}-${inFrame}-${outFrame}-${Math.random().toString(36).slice(2)}.${EXTENSIONS[format]}`,
  );
  const progress: number[] = [];
  const options: CutOptions = {
    master: master.path,
    info,
    index,
    ...range,
    output,
    tempDir: dir,
    onProgress: (fraction) => progress.push(fraction),
    ...extra,
  };
  return { options, output, progress, run: () => cutClip(options) };
}
