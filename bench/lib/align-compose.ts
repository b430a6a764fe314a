import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { runFfmpeg } from "../../src/media/ffmpeg.ts";
import type { Fixture } from "./align-fixtures.ts";
import { BENCH_DATA } from "./settings.ts";

/**
 * A long "press conference" made from the real clips, with what a real one has between the parts
 * that follow the text: music before the start, silence, room noise, applause, an interpreter (the
 * French clip, whose text is not in the English transcript), questions from the floor (English
 * clips played backwards: speech-like sound, no words of the text), and a tone. Clips come back
 * several times in a shuffled order, slowed or sped up (atempo 0.92–1.08, references scaled),
 * louder or quieter and some over room noise. The transcript has the clips' sentences in order, a few words changed
 * (the delivery differs from the text), and lines that were never spoken (headings, stage
 * directions, a greeting the speaker skipped). Deterministic: a seeded generator picks everything.
 */
export const ALIGN_DIR = path.join(BENCH_DATA, "align");
// Bump when the recipe changes, so a recording made by an old recipe is rebuilt.
const RECIPE_VERSION = 3;
const RATE = 16_000;

export interface ComposedSentence {
  text: string;
  /** Reference start, or null for a line that was never spoken. */
  start: number | null;
  words: { text: string; start: number | null }[];
}

export interface Composed {
  file: string;
  lang: "en";
  durationSeconds: number;
  sentences: ComposedSentence[];
  /** One line for RESULTS.md. */
  description: string;
}

const UNSPOKEN = [
  "(As delivered)",
  "Q&A",
  "[Applause]",
  "Check against delivery.",
  "Thank you, Madam President, Excellencies, ladies and gentlemen.",
  "Questions from the press",
  "(Interpretation from French)",
  "Let me now turn to the budget for next year.",
];
const SUBSTITUTES = ["really", "new", "important", "other", "many"];

interface Piece {
  file: string;
  seconds: number;
  kind: string;
}

export async function composeLong(
  fixtures: Fixture[],
  minutes: number,
  log: (line: string) => void,
): Promise<Composed> {
  const dir = path.join(ALIGN_DIR, `long-v${RECIPE_VERSION}-${minutes}min`);
  const manifest = path.join(dir, "manifest.json");
  if (existsSync(manifest)) {
    log(`composed recording reused from ${path.relative(process.cwd(), dir)}`);
    return JSON.parse(await readFile(manifest, "utf8")) as Composed;
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const started = performance.now();
  const random = seeded(20_26);
  // anoisesrc draws a new noise every run unless seeded: the same recording every time.
  let noiseSeed = 1;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const english = fixtures.filter((f) => f.lang === "en");
  const french = fixtures.find((f) => f.lang === "fr");
  const pieces: Piece[] = [];
  const sentences: ComposedSentence[] = [];
  let offset = 0;
  let count = 0;
  let clips = -1;
  const add = async (kind: string, filter: string, inputs: string[]): Promise<number> => {
    const file = path.join(dir, `piece-${String(count++).padStart(3, "0")}.wav`);
    await runFfmpeg([
      ...inputs,
      "-filter_complex",
      `${filter},aresample=${RATE},aformat=sample_fmts=s16:channel_layouts=mono[out]`,
      "-map",
      "[out]",
      "-c:a",
      "pcm_s16le",
      file,
    ]);
    const seconds = await wavSeconds(file);
    pieces.push({ file, seconds, kind });
    offset += seconds;
    return seconds;
  };
  const between = async (): Promise<void> => {
    const kind = pick([
      "silence",
      "silence",
      "noise",
      "applause",
      "tone",
      "reversed",
      "interpreter",
      "music",
    ] as const);
    const seconds = 1.5 + random() * 6;
    if (kind === "silence")
      await add(kind, `anullsrc=r=${RATE}:cl=mono,atrim=0:${seconds}[out0];[out0]anull`, []);
    else if (kind === "noise")
      await add(kind, `anoisesrc=r=${RATE}:seed=${noiseSeed++}:color=pink:amplitude=0.03:d=${seconds}`, []);
    else if (kind === "applause")
      await add(
        kind,
        `anoisesrc=r=${RATE}:seed=${noiseSeed++}:color=white:amplitude=0.25:d=${seconds + 2},tremolo=f=11:d=0.7,highpass=f=300,afade=t=in:d=0.5,afade=t=out:st=${seconds + 1}:d=1`,
        [],
      );
    else if (kind === "tone")
      await add(kind, `sine=r=${RATE}:frequency=1000:d=${Math.min(3, seconds)},volume=0.2`, []);
    else if (kind === "music")
      await add(
        kind,
        `aevalsrc='0.05*sin(2*PI*262*t)+0.05*sin(2*PI*330*t)+0.05*sin(2*PI*392*t)+0.04*sin(2*PI*523*t)*sin(2*PI*2*t)':s=${RATE}:d=${seconds + 4}`,
        [],
      );
    else if (kind === "reversed") await add(kind, "[0:a]areverse,volume=0.8", ["-i", pick(english).file]);
    else if (french) await add(kind, "[0:a]anull", ["-i", french.file]);
    sentences.push(...(random() < 0.25 ? [unspoken(pick(UNSPOKEN))] : []));
  };
  // Music and a heading before the speaker starts.
  sentences.push(unspoken(UNSPOKEN[0]!));
  await add(
    "music",
    `aevalsrc='0.05*sin(2*PI*262*t)+0.05*sin(2*PI*330*t)+0.05*sin(2*PI*392*t)':s=${RATE}:d=12`,
    [],
  );
  while (offset < minutes * 60) {
    await between();
    // In a shuffled order, never the same clip twice in a row: a strict cycle would let a whole
    // round of clips line up with the round after it, an ambiguity no real speech has.
    const previous = clips;
    do clips = Math.floor(random() * english.length);
    while (clips === previous);
    const clip = english[clips]!;
    const tempo = pick([0.92, 1, 1, 1.08]);
    const gain = pick([-6, -3, 0, 0, 3]);
    const noisy = random() < 0.3;
    const filter = noisy
      ? `[0:a]atempo=${tempo},volume=${gain}dB[v];anoisesrc=r=${RATE}:seed=${noiseSeed++}:color=pink:amplitude=0.01[n];[v][n]amix=inputs=2:duration=first:normalize=0`
      : `[0:a]atempo=${tempo},volume=${gain}dB`;
    const at = offset;
    await add(`clip ${clip.name}`, filter, ["-i", clip.file]);
    const changed = random() < 0.4 ? Math.floor(random() * clip.sentences.length) : -1;
    clip.sentences.forEach((s, k) => {
      const words = s.words.map((w) => ({
        text: w.text,
        start: w.start === null ? null : at + w.start / tempo,
      }));
      if (k === changed && words.length > 2) {
        // A word of the delivery that the text has differently: no reference for it.
        const w = 1 + Math.floor(random() * (words.length - 1));
        words[w] = { text: pick(SUBSTITUTES), start: null };
      }
      const text = words.map((w) => w.text).join(" ");
      sentences.push({
        text: `${text.charAt(0).toUpperCase()}${text.slice(1)}.`,
        start: at + s.start / tempo,
        words,
      });
    });
  }
  await between();
  const list = path.join(dir, "pieces.txt");
  await writeFile(list, pieces.map((p) => `file '${path.basename(p.file)}'\n`).join(""));
  const file = path.join(dir, "long.m4a");
  await runFfmpeg([
    "-f",
    "concat",
    "-safe",
    "0",
    "-i",
    list,
    "-c:a",
    "aac",
    "-b:a",
    "96k",
    `${file}.part.m4a`,
  ]);
  await rename(`${file}.part.m4a`, file);
  for (const p of pieces) await rm(p.file, { force: true });
  const kinds = new Map<string, number>();
  for (const p of pieces)
    kinds.set(p.kind.split(" ")[0]!, (kinds.get(p.kind.split(" ")[0]!) ?? 0) + p.seconds);
  const composed: Composed = {
    file,
    lang: "en",
    durationSeconds: offset,
    sentences,
    description:
      `${(offset / 60).toFixed(1)} min AAC: ` +
      [...kinds.entries()].map(([k, s]) => `${k} ${(s / 60).toFixed(1)} min`).join(", ") +
      `; ${sentences.filter((s) => s.start !== null).length} spoken sentences, ${sentences.filter((s) => s.start === null).length} lines never spoken`,
  };
  await writeFile(manifest, JSON.stringify(composed));
  log(
    `composed recording built in ${((performance.now() - started) / 1000).toFixed(0)} s: ${composed.description}`,
  );
  return composed;
}

function unspoken(text: string): ComposedSentence {
  return { text, start: null, words: [] };
}

async function wavSeconds(file: string): Promise<number> {
  const header = await readFile(file);
  // ffmpeg's WAV: the "data" chunk's size after its id; 2 bytes a sample, mono.
  const at = header.indexOf("data");
  return header.readUInt32LE(at + 4) / 2 / RATE;
}

/** A small deterministic generator (mulberry32), so every run builds the same recording. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
