import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { FfmpegUnavailable, runTool } from "../ffmpeg.ts";
import type { Priority } from "../launch.ts";
import { CEPSTRA, FeatureCollector, HOP_SECONDS, MfccExtractor } from "./mfcc.ts";
import { ssmlEscape, type TextWord } from "./words.ts";

/**
 * The text spoken by espeak-ng, as cepstra, with where each sentence and word starts. espeak-ng's
 * command line reports no word timings, so we make them visible: every word is followed by an SSML
 * break of 200 ms and every sentence by one of 1 s. espeak-ng writes exact zeros for a break and
 * never more than ~50 ms of them inside a word (stop closures), so a long run of zeros is a
 * boundary, and its length says which (a word that says nothing merges two breaks into one run).
 * The breaks themselves are cut out: the cepstra are those of the words spoken back to back.
 * One espeak-ng process speaks the whole text (it runs at ~1000× real time; starting one a
 * sentence would cost 40 ms each).
 */
export interface SyntheticText {
  frames: number;
  /** frames × 13 cepstra, sentences back to back. */
  cepstra: Float32Array;
  levels: Float32Array;
  /** Per sentence given: its first frame and its number of frames (0 for one not spoken). */
  sentenceStart: Int32Array;
  sentenceFrames: Int32Array;
  /** Per sentence, its words' first frames relative to the sentence's first frame. */
  wordStarts: Int32Array[];
}

export interface SynthOptions {
  espeakPath?: string;
  signal?: AbortSignal;
  priority?: Priority;
  /** A folder of the caller's, removed by it: the SSML is written there for espeak-ng to read. */
  workDir: string;
  /** Words a minute (espeak-ng's default is 175). */
  rate?: number;
  /** Names the SSML file, when several texts are spoken at once in one folder. */
  name?: string;
  /** The voice's frequency scale (warp.ts, mfcc.ts); 1 by default. */
  warp?: number;
  /**
   * Called with the number of frames spoken so far as espeak-ng's output is read: an error it
   * returns stops the synthesis with that error (a text already too long for its audio need not
   * be spoken to its end).
   */
  check?: (frames: number) => Error | null;
}

const WORD_BREAK_MS = 200;
const SENTENCE_BREAK_MS = 1000;
// Shorter runs of zeros are part of a word (closures last up to ~50 ms).
const BOUNDARY_MIN_MS = 120;
// A run a little longer than its breaks: espeak-ng adds a closure or its own short pause at the edges.
const EDGE_MS = 30;

export const VOICES: Record<"en" | "fr", string> = { en: "en-us", fr: "fr" };

/**
 * The text spoken in `lang`'s voice; a sentence whose words carry another language (a bilingual
 * speech) in that language's. Each language's sentences are spoken by a process of their own, as
 * a text in that language alone, and put back in the text's order: espeak-ng can switch voices
 * inside SSML, but what follows a switch, back in the first voice too, comes out at another pace
 * (a sentence 144 frames long instead of 151), and its prices were tuned on the voice as it is.
 */
export async function synthesize(
  sentences: TextWord[][],
  lang: "en" | "fr",
  options: SynthOptions,
): Promise<SyntheticText> {
  const voiceOf = (words: TextWord[]): "en" | "fr" => words[0]?.lang ?? lang;
  const voices = [...new Set(sentences.filter((s) => s.length > 0).map(voiceOf))];
  if (voices.length <= 1) return speak(sentences, voices[0] ?? lang, options);
  // Each process counts its own frames; a text is too long by what all of them have spoken.
  const spokenSoFar = new Map<string, number>();
  const check = options.check;
  const parts = await Promise.all(
    voices.map((voice) =>
      speak(
        sentences.map((s) => (s.length > 0 && voiceOf(s) === voice ? s : [])),
        voice,
        {
          ...options,
          name: `${options.name ?? "text"}-${voice}`,
          check: check
            ? (frames) => {
                spokenSoFar.set(voice, frames);
                return check([...spokenSoFar.values()].reduce((a, b) => a + b, 0));
              }
            : undefined,
        },
      ),
    ),
  );
  return interleaved(sentences.map((s) => parts[Math.max(0, voices.indexOf(voiceOf(s)))]!));
}

/** Sentence i taken from `from[i]` (the text its voice spoke), all back to back in the text's order. */
function interleaved(from: SyntheticText[]): SyntheticText {
  const sentenceStart = new Int32Array(from.length);
  const sentenceFrames = new Int32Array(from.length);
  let total = 0;
  from.forEach((text, i) => {
    sentenceStart[i] = total;
    sentenceFrames[i] = text.sentenceFrames[i]!;
    total += sentenceFrames[i]!;
  });
  const cepstra = new Float32Array(total * CEPSTRA);
  const levels = new Float32Array(total);
  from.forEach((text, i) => {
    const a = text.sentenceStart[i]!;
    const b = a + sentenceFrames[i]!;
    cepstra.set(text.cepstra.subarray(a * CEPSTRA, b * CEPSTRA), sentenceStart[i]! * CEPSTRA);
    levels.set(text.levels.subarray(a, b), sentenceStart[i]!);
  });
  return {
    frames: total,
    cepstra,
    levels,
    sentenceStart,
    sentenceFrames,
    wordStarts: from.map((text, i) => text.wordStarts[i]!),
  };
}

/** One espeak-ng process speaking `sentences` (those not empty) in one voice. */
async function speak(
  sentences: TextWord[][],
  lang: "en" | "fr",
  options: SynthOptions,
): Promise<SyntheticText> {
  const spokenIndex = sentences.map((_, i) => i).filter((i) => (sentences[i] ?? []).length > 0);
  const ssml = `<speak>${spokenIndex
    .map((i) =>
      (sentences[i] ?? []).map((w) => ssmlEscape(w.spoken)).join(`<break time="${WORD_BREAK_MS}ms"/>`),
    )
    .join(`<break time="${SENTENCE_BREAK_MS}ms"/>`)}<break time="${SENTENCE_BREAK_MS}ms"/></speak>`;
  const file = path.join(options.workDir, `${options.name ?? "text"}.ssml`);
  await writeFile(file, ssml);
  const reader = new BreakReader(sentences, spokenIndex, options.warp ?? 1, options.check);
  const espeak = options.espeakPath ?? "espeak-ng";
  await runTool(
    espeak,
    ["-m", "-v", VOICES[lang], "-s", String(options.rate ?? 175), "-f", file, "--stdout"],
    { signal: options.signal, priority: options.priority },
    (stdout) => reader.read(stdout),
  ).catch((error: unknown) => {
    // runTool's own message names ffmpeg: the operator must be told which program is missing.
    if (error instanceof FfmpegUnavailable) {
      throw new FfmpegUnavailable(`${espeak} not found: install espeak-ng (scripts/system-packages.sh)`);
    }
    throw error;
  });
  return reader.finish();
}

/** Splits espeak-ng's WAV output at its breaks as it streams, feeding the rest to the cepstra. */
class BreakReader {
  private readonly sentences: TextWord[][];
  private readonly spokenIndex: number[];
  private readonly collector = new FeatureCollector(1 << 16);
  private extractor: MfccExtractor | null = null;
  private sampleRate = 0;
  private readonly sentenceStart: Int32Array;
  private readonly sentenceFrames: Int32Array;
  private readonly wordStarts: Int32Array[];
  private current = 0; // position in spokenIndex
  private boundaries: number[] = []; // sample offsets of word starts after the first, in the current sentence
  private samplesInSentence = 0;
  private zeros = 0;
  private batch = new Float32Array(4096);
  private batched = 0;

  constructor(
    sentences: TextWord[][],
    spokenIndex: number[],
    private readonly warp: number,
    private readonly check: SynthOptions["check"],
  ) {
    this.sentences = sentences;
    this.spokenIndex = spokenIndex;
    this.sentenceStart = new Int32Array(sentences.length);
    this.sentenceFrames = new Int32Array(sentences.length);
    this.wordStarts = sentences.map((words) => new Int32Array(words.length));
  }

  async read(stdout: Readable): Promise<void> {
    let header = Buffer.alloc(0);
    let carry: number | null = null; // a lone byte of a sample split across chunks
    for await (const chunk of stdout as AsyncIterable<Buffer>) {
      let bytes = chunk;
      if (this.extractor === null) {
        header = Buffer.concat([header, chunk]);
        const dataAt = this.parseHeader(header);
        if (dataAt < 0) continue;
        bytes = header.subarray(dataAt);
      }
      let start = 0;
      if (carry !== null && bytes.length > 0) {
        this.sample((((bytes[0]! << 8) | carry) << 16) >> 16);
        carry = null;
        start = 1;
      }
      const end = start + ((bytes.length - start) & ~1);
      for (let i = start; i < end; i += 2) this.sample(bytes.readInt16LE(i));
      if (end < bytes.length) carry = bytes[end]!;
      const stop = this.check?.(this.collector.levels.length);
      if (stop) throw stop;
    }
  }

  /** Offset of the samples in `header`, or −1 until all of the header has arrived. */
  private parseHeader(header: Buffer): number {
    let at = 12;
    while (at + 8 <= header.length) {
      const id = header.toString("latin1", at, at + 4);
      const size = header.readUInt32LE(at + 4);
      if (id === "fmt ") {
        if (at + 16 > header.length) return -1;
        this.sampleRate = header.readUInt32LE(at + 12);
      } else if (id === "data") {
        if (this.sampleRate === 0) throw new Error("espeak-ng wrote no WAV format before its samples");
        this.extractor = new MfccExtractor(this.sampleRate, this.collector, this.warp);
        return at + 8;
      }
      at += 8 + size + (size & 1);
    }
    return -1;
  }

  private sample(value: number): void {
    // espeak-ng's silence is exact zeros; ±1 allows for rounding in its output filter.
    if (value >= -1 && value <= 1) {
      this.zeros++;
      return;
    }
    if (this.zeros > 0) this.endOfZeros();
    this.emit(value / 32768);
  }

  private endOfZeros(): void {
    const ms = (this.zeros / this.sampleRate) * 1000;
    if (ms < BOUNDARY_MIN_MS) {
      for (let i = 0; i < this.zeros; i++) this.emit(0);
      this.zeros = 0;
      return;
    }
    this.zeros = 0;
    const sentenceBreaks = Math.floor((ms + SENTENCE_BREAK_MS / 4) / SENTENCE_BREAK_MS);
    const rest = ms - sentenceBreaks * SENTENCE_BREAK_MS;
    let wordBreaks = Math.max(sentenceBreaks > 0 ? 0 : 1, Math.round((rest - EDGE_MS) / WORD_BREAK_MS));
    // A silent word at a sentence's end or start merges a word break into the sentence break:
    // it belongs to this sentence if this one still lacks a boundary.
    const missing = this.expectedBoundaries() - this.boundaries.length;
    if (sentenceBreaks > 0 && missing > 0) {
      const here = Math.min(missing, wordBreaks);
      for (let i = 0; i < here; i++) this.boundaries.push(this.samplesInSentence);
      wordBreaks -= here;
    }
    if (sentenceBreaks === 0) {
      for (let i = 0; i < wordBreaks; i++) this.boundaries.push(this.samplesInSentence);
      return;
    }
    for (let i = 0; i < sentenceBreaks; i++) this.closeSentence();
    for (let i = 0; i < wordBreaks; i++) this.boundaries.push(0);
  }

  private expectedBoundaries(): number {
    const index = this.spokenIndex[this.current];
    return index === undefined ? 0 : Math.max(0, (this.sentences[index] ?? []).length - 1);
  }

  private emit(value: number): void {
    this.batch[this.batched++] = value;
    this.samplesInSentence++;
    if (this.batched === this.batch.length) this.pushBatch();
  }

  private pushBatch(): void {
    if (this.batched === 0 || this.extractor === null) return;
    this.extractor.push(this.batch.subarray(0, this.batched));
    this.batched = 0;
  }

  private closeSentence(): void {
    const index = this.spokenIndex[this.current];
    if (index === undefined || this.extractor === null) return;
    this.pushBatch();
    const first = this.collector.levels.length - this.extractor.frames;
    this.extractor.flush();
    const frames = this.extractor.frames;
    this.extractor.reset();
    this.sentenceStart[index] = first;
    this.sentenceFrames[index] = frames;
    const starts = this.wordStarts[index] ?? new Int32Array(0);
    const words = this.sentences[index] ?? [];
    const hop = this.sampleRate * HOP_SECONDS;
    if (this.boundaries.length === words.length - 1) {
      for (let w = 1; w < words.length; w++) {
        starts[w] = Math.min(frames, Math.round((this.boundaries[w - 1] ?? 0) / hop));
      }
    } else {
      // The breaks did not come out as expected (a word espeak-ng read as several pauses): spread
      // the words over the sentence by their length, which is still better than nothing.
      spreadByLength(words, frames, starts);
    }
    this.boundaries = [];
    this.samplesInSentence = 0;
    this.current++;
  }

  finish(): SyntheticText {
    // A trailing break always ends the text, so a sentence still open here lost its breaks.
    if (this.zeros > 0) this.endOfZeros();
    while (this.current < this.spokenIndex.length) this.closeSentence();
    return trimQuietEdges({
      frames: this.collector.levels.length,
      cepstra: this.collector.cepstra.toArray(),
      levels: this.collector.levels.toArray(),
      sentenceStart: this.sentenceStart,
      sentenceFrames: this.sentenceFrames,
      wordStarts: this.wordStarts,
    });
  }
}

// espeak-ng's voice peaks near −15 dBFS: below −50 is the fade at a sentence's edges.
const QUIET_DB = -50;

/**
 * Drops the quiet frames at each sentence's start and end: the real audio's pauses are left out
 * of the search (speech-regions.ts), so the synthetic voice's must go too, or a sentence would
 * begin with frames that only silence matches.
 */
function trimQuietEdges(text: SyntheticText): SyntheticText {
  const { levels, cepstra, sentenceStart, sentenceFrames, wordStarts } = text;
  const keep = new Uint8Array(text.frames);
  const start = new Int32Array(sentenceStart.length);
  const frames = new Int32Array(sentenceFrames.length);
  let total = 0;
  for (let k = 0; k < sentenceStart.length; k++) {
    const a0 = sentenceStart[k]!;
    const n = sentenceFrames[k]!;
    let a = a0;
    let b = a0 + n;
    while (a < b - 1 && levels[a]! < QUIET_DB) a++;
    while (b - 1 > a && levels[b - 1]! < QUIET_DB) b--;
    if (n === 0) b = a;
    keep.fill(1, a, b);
    start[k] = total;
    frames[k] = b - a;
    const words = wordStarts[k]!;
    for (let w = 0; w < words.length; w++) words[w] = Math.max(0, Math.min(b - a, words[w]! - (a - a0)));
    total += b - a;
  }
  const outCepstra = new Float32Array(total * CEPSTRA);
  const outLevels = new Float32Array(total);
  let o = 0;
  for (let f = 0; f < text.frames; f++) {
    if (!keep[f]) continue;
    outCepstra.set(cepstra.subarray(f * CEPSTRA, f * CEPSTRA + CEPSTRA), o * CEPSTRA);
    outLevels[o] = levels[f]!;
    o++;
  }
  return {
    frames: total,
    cepstra: outCepstra,
    levels: outLevels,
    sentenceStart: start,
    sentenceFrames: frames,
    wordStarts,
  };
}

function spreadByLength(words: TextWord[], frames: number, starts: Int32Array): void {
  const total = words.reduce((sum, w) => sum + w.spoken.length + 1, 0);
  let before = 0;
  words.forEach((word, w) => {
    starts[w] = Math.round((before / total) * frames);
    before += word.spoken.length + 1;
  });
}
