/**
 * The real recordings of test/fixtures/alignment (a copy of shared/alignment) with their reference sentence
 * and word starts, as the bench defines them (bench/lib/align-fixtures.ts: one definition for
 * both), and the composed recordings the tests build from them (cached in .test-data).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { FIXTURES_DIR, type Fixture, loadEnglish, loadFrench } from "../../../bench/lib/align-fixtures.ts";
import type { AlignResult } from "../../../src/media/align/index.ts";
import { runFfmpeg } from "../../../src/media/ffmpeg.ts";
import { MEDIA_CACHE } from "../../helpers/media.ts";

export const FIXTURES = FIXTURES_DIR;

// An alignment runs one core for a few seconds: on a shared, loaded machine, several times that.
export const SLOW = 120_000;

// The English recordings' lengths in seconds, where a composed recording places the next piece.
export const ACOUSTIC_SECONDS = 26.72325;
export const COLD_SECONDS = 25.7175625;
export const COLD3_SECONDS = 24.648;

/** The text of another speech in English: none of it is said in the fixtures. */
export const ANOTHER_SPEECH = [
  "The committee met on Tuesday to discuss the budget for the coming year.",
  "Members raised concerns about the cost of the new hospital.",
  "The minister promised a full report before the summer.",
  "Several amendments were rejected after a long debate.",
  "The vote will take place next week in the assembly.",
];

export interface RefSentence {
  text: string;
  start: number;
  /** Reference start of each word of `text`, null where the reference has none. */
  words: (number | null)[];
}

function simplified(fixture: Fixture): { file: string; sentences: RefSentence[] } {
  return {
    file: fixture.file,
    sentences: fixture.sentences.map((s) => ({
      text: s.text,
      start: s.start,
      words: s.words.map((w) => w.start),
    })),
  };
}

export async function englishFixture(name: string): Promise<{ file: string; sentences: RefSentence[] }> {
  return simplified(await loadEnglish(name));
}

/** French: sentence starts only (the reference has no words). */
export async function frenchFixture(): Promise<{ file: string; sentences: RefSentence[] }> {
  return simplified(await loadFrench());
}

/** |start − reference| of each of `sentences`, for a recording where they begin at `offset`, played `scale` times faster. */
export function startErrors(result: AlignResult, sentences: RefSentence[], offset = 0, scale = 1): number[] {
  return sentences.map((s, i) =>
    Math.abs((result.sentences[i]?.start ?? Number.POSITIVE_INFINITY) - (offset + s.start / scale)),
  );
}

/** |start − reference| of every word of `sentences` that has both, for a recording where they begin at `offset`. */
export function wordStartErrors(result: AlignResult, sentences: RefSentence[], offset = 0): number[] {
  return sentences.flatMap((s, i) =>
    s.words.flatMap((ref, w) => {
      const got = result.sentences[i]?.words[w];
      return ref === null || !got ? [] : [Math.abs(got.start - (offset + ref))];
    }),
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A file made once by `make` and kept in the media cache under a name from its recipe. */
export async function cachedMedia(
  name: string,
  recipe: unknown,
  make: (file: string) => Promise<void>,
): Promise<string> {
  const key = createHash("sha256").update(JSON.stringify({ name, recipe })).digest("hex").slice(0, 12);
  const ext = path.extname(name);
  const file = path.join(MEDIA_CACHE, `align-${path.basename(name, ext)}-${key}${ext}`);
  if (existsSync(file)) return file;
  await mkdir(MEDIA_CACHE, { recursive: true });
  // Made beside its final name and renamed, so a run killed midway never leaves a half file.
  const partial = `${file}.part${ext}`;
  try {
    await make(partial);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  return file;
}

/** Pieces one after another: each a source (ffmpeg input arguments), a filter, its duration in seconds. */
export async function concatenate(
  file: string,
  pieces: { input: string[]; filter?: string; seconds: number }[],
): Promise<void> {
  const inputs = pieces.flatMap((p) => p.input);
  // Every piece to 16 kHz mono, cut or padded to its stated length, so offsets are exact.
  const filters = pieces
    .map(
      (p, i) =>
        `[${i}:a]${p.filter ? `${p.filter},` : ""}aresample=16000,aformat=channel_layouts=mono,apad,atrim=0:${p.seconds}[p${i}]`,
    )
    .join(";");
  const labels = pieces.map((_, i) => `[p${i}]`).join("");
  await runFfmpeg([
    ...inputs,
    "-filter_complex",
    `${filters};${labels}concat=n=${pieces.length}:v=0:a=1[out]`,
    ...["-map", "[out]", "-c:a", "aac", "-b:a", "96k", file],
  ]);
}
