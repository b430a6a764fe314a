import { readFile } from "node:fs/promises";
import path from "node:path";
import { ROOT } from "./settings.ts";

/**
 * The real recordings of test/fixtures/alignment (from shared/alignment) with reference times: one
 * definition for the bench and the tests (test/media/align/fixtures.ts).
 *
 * English: the transcripts (.lab) have no punctuation, so "sentences" are made from the reference:
 * the .lab's words are matched to the TextGrid's words (longest common subsequence), and a new
 * sentence begins at a word preceded by at least 0.4 s without a word (fillers do not count as
 * words); a sentence of fewer than three words is joined to the one before. The fillers "uh" and
 * "um" are left out of the text, as a press office's "as delivered" text leaves them out: the
 * aligner must treat them as sounds that are not in the text. A sentence's reference start is its
 * first word's.
 * French: the seven sentences of ej-fra.txt; the references are where each one's sound begins, from
 * `ffmpeg -af silencedetect=noise=-40dB:d=0.08` (the end of the silence before it); "Je m'appelle"
 * follows "Bonjour." without a pause, so its reference is the level's minimum between the two
 * words (1.54 s, from 10 ms levels).
 */
// A copy of ../shared/alignment (MIT, licences beside them), so tests and the bench run on a
// clean clone wherever it is.
export const FIXTURES_DIR = path.join(ROOT, "test", "fixtures", "alignment");

export interface RefWord {
  text: string;
  /** Reference start and end, or null for a transcript word the reference does not have. */
  start: number | null;
  end: number | null;
}

export interface RefSentence {
  text: string;
  start: number;
  words: RefWord[];
}

export interface Fixture {
  name: string;
  file: string;
  lang: "en" | "fr";
  sentences: RefSentence[];
  /** Whether word references exist (the French file has sentence references only). */
  hasWords: boolean;
}

const PAUSE_SPLIT = 0.4;
const FILLERS = new Set(["uh", "um"]);
const MIN_WORDS = 3;
const FRENCH_STARTS = [0.96, 1.54, 3.09, 7.99, 14.84, 21.05, 29.16];

export async function loadFixtures(): Promise<Fixture[]> {
  const english = await Promise.all(
    ["acoustic_corpus", "cold_corpus", "cold_corpus3"].map((name) => loadEnglish(name)),
  );
  return [...english, await loadFrench()];
}

export async function loadEnglish(name: string): Promise<Fixture> {
  const lab = (await readFile(path.join(FIXTURES_DIR, `${name}.lab`), "utf8"))
    .split(/\s+/)
    .filter((w) => w !== "" && !/^<.*>$/.test(w)) // noise markers are not words of a transcript
    .map((w) => w.replace(/^\[(.*)\]$/, "$1"));
  const grid = parseWordsTier(await readFile(path.join(FIXTURES_DIR, `${name}.TextGrid`), "utf8"));
  const spoken = grid.filter((w) => w.text !== "" && !/^<.*>$/.test(w.text));
  const match = matchWords(
    lab.map(normal),
    spoken.map((w) => normal(w.text)),
  );
  const kept = lab.map((w) => !FILLERS.has(normal(w)));
  const sentences: RefSentence[] = [];
  let previousEnd = 0;
  lab.forEach((word, i) => {
    const m = match[i];
    const ref = m === undefined || m < 0 ? null : spoken[m]!;
    if (!kept[i]) return;
    const pause = ref ? ref.start - previousEnd : 0;
    const current = sentences.at(-1);
    if (!current || (ref && pause >= PAUSE_SPLIT && current.words.length >= MIN_WORDS)) {
      sentences.push({ text: "", start: ref?.start ?? 0, words: [] });
    }
    sentences.at(-1)!.words.push({ text: word, start: ref?.start ?? null, end: ref?.end ?? null });
    if (ref) previousEnd = ref.end;
  });
  // A short last sentence joins the one before.
  const last = sentences.at(-1);
  if (last && sentences.length > 1 && last.words.length < MIN_WORDS) {
    sentences.at(-2)!.words.push(...last.words);
    sentences.pop();
  }
  for (const s of sentences) {
    const text = s.words.map((w) => w.text).join(" ");
    s.text = `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
    s.start = s.words.find((w) => w.start !== null)?.start ?? s.start;
  }
  return { name, file: path.join(FIXTURES_DIR, `${name}.wav`), lang: "en", sentences, hasWords: true };
}

export async function loadFrench(): Promise<Fixture> {
  const text = await readFile(path.join(FIXTURES_DIR, "ej-fra.txt"), "utf8");
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return {
    name: "ej-fra",
    file: path.join(FIXTURES_DIR, "ej-fra.m4a"),
    lang: "fr",
    sentences: lines.map((line, i) => ({
      text: line,
      start: FRENCH_STARTS[i] ?? Number.NaN,
      words: line.split(/\s+/).map((w) => ({ text: w, start: null, end: null })),
    })),
    hasWords: false,
  };
}

function normal(word: string): string {
  return word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, "");
}

/** Praat TextGrid (long or short text format): the intervals of the tier named "words". */
export function parseWordsTier(grid: string): { start: number; end: number; text: string }[] {
  const tokens = [...grid.matchAll(/"((?:[^"]|"")*)"|(-?\d+(?:\.\d+)?(?:e-?\d+)?)/g)].map((m) =>
    m[1] !== undefined ? { s: m[1].replace(/""/g, '"') } : { n: Number(m[2]) },
  );
  const at = tokens.findIndex((t, i) => "s" in t && t.s === "words" && "s" in (tokens[i - 1] ?? {}));
  if (at < 0) throw new Error("no words tier");
  // After the name: xmin, xmax, count, then (xmin, xmax, text) per interval.
  const count = (tokens[at + 3] as { n: number }).n;
  const out: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i < count; i++) {
    const base = at + 4 + i * 3;
    out.push({
      start: (tokens[base] as { n: number }).n,
      end: (tokens[base + 1] as { n: number }).n,
      text: (tokens[base + 2] as { s: string }).s.trim(),
    });
  }
  return out;
}

/** For each word of `a`, the index of its partner in `b` by longest common subsequence, or −1. */
export function matchWords(a: string[], b: string[]): number[] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Int32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] =
        a[i] === b[j]
          ? table[(i + 1) * cols + j + 1]! + 1
          : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
    }
  }
  const out = new Array<number>(a.length).fill(-1);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out[i] = j;
      i++;
      j++;
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) i++;
    else j++;
  }
  return out;
}
