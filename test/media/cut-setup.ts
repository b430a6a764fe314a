/** Setting up a cut in the cutting tests: a temporary folder per file, the master probed and indexed. */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type ClipFormat, type CutOptions, type CutResult, cutClip } from "../../src/media/cut.ts";
import { indexKeyframes, type KeyframeIndex } from "../../src/media/keyframes.ts";
import { type MasterInfo, probeMaster } from "../../src/media/probe.ts";
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
  // A copy: a test may change what it is given (a master without sound).
  const { info, index } = structuredClone(await ingested(master.path));
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

const ingestedMasters = new Map<string, Promise<{ info: MasterInfo; index: KeyframeIndex }>>();

/**
 * What ingest stores for a master (its probe and keyframe index), once per worker and file: the
 * portal cuts from stored facts too, and each probe and index is three or four ffmpeg process
 * starts (about 0.15 s of CPU each with Debian's 200-odd libraries), which the suite pays per test.
 */
async function ingested(path: string): Promise<{ info: MasterInfo; index: KeyframeIndex }> {
  const { size, mtimeMs } = await stat(path);
  const key = `${path} ${size} ${mtimeMs}`;
  let facts = ingestedMasters.get(key);
  if (facts === undefined) {
    facts = Promise.all([probeMaster(path), indexKeyframes(path)]).then(([info, index]) => ({ info, index }));
    facts.catch(() => ingestedMasters.delete(key));
    ingestedMasters.set(key, facts);
  }
  return facts;
}
