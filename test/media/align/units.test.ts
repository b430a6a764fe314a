import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { guidedFactors, levelFactors } from "../../../src/media/align/coarse-to-fine.ts";
import { FloatChunks } from "../../../src/media/align/decode.ts";
import { drawnOutVariants, withClosures } from "../../../src/media/align/drawn-out.ts";
import { mirrorFrame } from "../../../src/media/align/features.ts";
import { RealFft } from "../../../src/media/align/fft.ts";
import { CEPSTRA, FeatureCollector, MfccExtractor } from "../../../src/media/align/mfcc.ts";
import { describeSentence } from "../../../src/media/align/outcome.ts";
import { synthesize } from "../../../src/media/align/synth.ts";
import { DEFAULT_TUNING } from "../../../src/media/align/tuning.ts";
import { sampleSentences } from "../../../src/media/align/warp.ts";
import { isAnnotation, sentenceWords, skipWeight } from "../../../src/media/align/words.ts";

describe("RealFft", () => {
  it("gives the power spectrum of a naive DFT", () => {
    const size = 64;
    const input = Float64Array.from(
      { length: size },
      (_, n) => Math.sin(n * 0.7) + 0.3 * Math.cos(n * 2.1) + (n % 5) / 7,
    );
    const out = new Float64Array(size / 2 + 1);
    new RealFft(size).powerSpectrum(input, out);
    for (let k = 0; k <= size / 2; k++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < size; n++) {
        re += input[n]! * Math.cos((2 * Math.PI * k * n) / size);
        im -= input[n]! * Math.sin((2 * Math.PI * k * n) / size);
      }
      expect(out[k]).toBeCloseTo(re * re + im * im, 6);
    }
  });
});

describe("FloatChunks", () => {
  it("gives back every float of the decoder's pipe whatever the chunks it arrives in", () => {
    const sent = Float32Array.from({ length: 50_000 }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 11)));
    const bytes = new Uint8Array(sent.buffer);
    // Cut at odd places (a float split over two and three chunks), then one chunk larger than the
    // reader's buffer, read from a Buffer at an odd offset in its pool as a pipe's chunk can be.
    const sizes = [1, 2, 3, 5, 7, 4, 6, 65_537, 131_071];
    const reader = new FloatChunks();
    const received: number[] = [];
    let at = 0;
    for (let k = 0; at < bytes.length; k++) {
      const size = Math.min(sizes[k % sizes.length]!, bytes.length - at);
      const pool = Buffer.alloc(size + 3);
      pool.set(bytes.subarray(at, at + size), 3);
      for (const value of reader.push(pool.subarray(3))) received.push(value);
      at += size;
    }
    expect(received).toEqual(Array.from(sent));
  });
});

describe("sentenceWords", () => {
  it("keeps punctuation on its word for display and speaks the word without it", () => {
    expect(sentenceWords("« Bonjour, » dit-il — en 2026.")).toEqual([
      // A mark standing alone goes with the word before it; an opening one before the first word, with it.
      { text: "« Bonjour, »", spoken: "Bonjour" },
      { text: "dit-il —", spoken: "dit-il" },
      { text: "en", spoken: "en" },
      { text: "2026.", spoken: "2026" },
    ]);
    expect(sentenceWords("Q&A: NATO's 50% (U.S.)").map((w) => w.spoken)).toEqual([
      "Q&A",
      "NATO's",
      "50%",
      "U.S",
    ]);
  });

  it("tells annotations and headings from sentences", () => {
    expect(isAnnotation("(As delivered)")).toBe(true);
    expect(isAnnotation("[Applause]")).toBe(true);
    expect(isAnnotation("Thank you (applause) all.")).toBe(false);
    expect(skipWeight("Q&A")).toBeLessThan(1);
    expect(skipWeight("Questions from the press")).toBeLessThan(1);
    expect(skipWeight("Thank you all for coming.")).toBe(1);
  });
});

describe("how words are said (drawn-out.ts)", () => {
  it("begins a word with a stop at its closure, by its spelling, never at or before the word before", () => {
    const words = sentenceWords("So the phone knows probably about chess and the genre, Ted.");
    const starts = words.map((_, i) => 100 + i * 20);
    const moved = withClosures(starts, words, "en").map((s, i) => starts[i]! - s);
    // so the phone knows probably about chess and the genre, Ted.
    expect(moved).toEqual([0, 0, 0, 0, 4, 0, 4, 0, 0, 4, 4]);
    // A word the path passed in the same move as the one before is not moved before it.
    expect(withClosures([100, 101, 101], sentenceWords("so big deal"), "en")).toEqual([100, 101, 101]);
    // French spelling: "qu" and "c" before "o" are stops, "ch" and "ge" are not.
    const french = sentenceWords("Alors quand cette chose gênera Pierre");
    expect(withClosures([0, 20, 40, 60, 80, 100], french, "fr")).toEqual([0, 16, 40, 60, 80, 96]);
  });

  it("offers 'thee' for an English 'the' and 'soo' for 'so' only", () => {
    const english = drawnOutVariants("en");
    expect(english.spoken.map((w) => w.map((x) => x.spoken).join(" "))).toEqual(["thee", "soo"]);
    const [the, them, so] = sentenceWords("The them, so");
    expect([english.of(the!, "en"), english.of(them!, "en"), english.of(so!, "en")]).toEqual([0, -1, 1]);
    expect(drawnOutVariants("fr").spoken).toEqual([]);
  });
});

describe("levelFactors", () => {
  it("searches a clip whole at 10 ms, and a long recording from 40 ms or coarser within the budget", () => {
    // 30 s of audio, 20 s of synthetic speech (twice, with its decoys): whole.
    expect(levelFactors(3000, 2000, DEFAULT_TUNING)).toEqual([1]);
    // 90 s: from 40 ms, not 20 ms although that would fit.
    expect(levelFactors(9000, 5000, DEFAULT_TUNING)).toEqual([4, 1]);
    // 46 minutes (as the bench's, 150 000 synthetic frames): 160 ms, then 4× finer each time; the
    // coarsest level (no decoys) within its budget per real frame, not within fullCells.
    const long = levelFactors(250_000, 150_000, DEFAULT_TUNING);
    expect(long).toEqual([16, 4, 1]);
    const cells = (250_000 / 16) * (150_000 / 16);
    expect(cells).toBeGreaterThan(DEFAULT_TUNING.fullCells);
    expect(cells).toBeLessThanOrEqual(DEFAULT_TUNING.coarseCellsPerFrame * 250_000);
    // Two hours: coarser, so the time stays in proportion to the length.
    expect(levelFactors(720_000, 400_000, DEFAULT_TUNING)[0]).toBe(32);
  });

  it("starts a search guided by an earlier path at 80 ms, finer than the whole grid's, and never coarser", () => {
    expect(guidedFactors(250_000, 150_000, DEFAULT_TUNING)).toEqual([8, 2, 1]);
    expect(guidedFactors(720_000, 400_000, DEFAULT_TUNING)).toEqual([8, 2, 1]);
    // A clip searched whole at 10 ms stays so; 90 s keeps its 40 ms start.
    expect(guidedFactors(3000, 2000, DEFAULT_TUNING)).toEqual([1]);
    expect(guidedFactors(9000, 5000, DEFAULT_TUNING)).toEqual([4, 1]);
  });
});

describe("mirrorFrame", () => {
  it("swaps the context before and after, and keeps the middle", () => {
    const frame = Float32Array.from({ length: 39 }, (_, i) => i);
    const out = new Float32Array(39);
    mirrorFrame(frame, 0, out, 0);
    expect(Array.from(out.subarray(0, 13))).toEqual(Array.from(frame.subarray(26, 39)));
    expect(Array.from(out.subarray(13, 26))).toEqual(Array.from(frame.subarray(13, 26)));
    expect(Array.from(out.subarray(26, 39))).toEqual(Array.from(frame.subarray(0, 13)));
  });
});

describe("synthesize", () => {
  it("finds every word's start in espeak-ng's speech, and skips a sentence with nothing to say", async () => {
    const workDir = await mkdtemp(path.join(os.tmpdir(), "align-synth-"));
    try {
      const sentences = [
        sentenceWords("Good morning, and welcome to the briefing."),
        [],
        sentenceWords("NATO met on 12 March 2026 — Q&A follows."),
      ];
      const text = await synthesize(sentences, "en", { workDir });
      expect(text.sentenceFrames[1]).toBe(0);
      for (const k of [0, 2]) {
        const starts = Array.from(text.wordStarts[k]!);
        expect(starts).toHaveLength(sentences[k]!.length);
        expect(starts[0]).toBe(0);
        // Strictly increasing: every word took some time, none was lost to a merged pause.
        for (let w = 1; w < starts.length; w++) expect(starts[w]!).toBeGreaterThan(starts[w - 1]!);
        expect(text.sentenceFrames[k]!).toBeGreaterThan(starts.at(-1)!);
      }
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  it("speaks a bilingual text's sentences each in its language's voice, as that language alone would", async () => {
    const workDir = await mkdtemp(path.join(os.tmpdir(), "align-synth-"));
    try {
      const english = ["Good morning, and welcome.", "Thank you all for coming."];
      const french = "Bonjour à toutes et à tous, et bienvenue.";
      const sentences = [sentenceWords(english[0]!), sentenceWords(french, "fr"), sentenceWords(english[1]!)];
      const mixed = await synthesize(sentences, "en", { workDir, name: "mixed" });
      const englishAlone = await synthesize([sentences[0]!, [], sentences[2]!], "en", {
        workDir,
        name: "en",
      });
      const frenchAlone = await synthesize([[], sentences[1]!, []], "fr", { workDir, name: "fr" });
      const inEnglish = await synthesize([sentences[0]!, sentenceWords(french), sentences[2]!], "en", {
        workDir,
        name: "all-en",
      });
      const sentence = (text: typeof mixed, k: number) => {
        const a = text.sentenceStart[k]!;
        return Array.from(text.cepstra.subarray(a * CEPSTRA, (a + text.sentenceFrames[k]!) * CEPSTRA));
      };
      // Back to back in the text's order, each exactly as its own language's voice says it.
      expect(Array.from(mixed.sentenceStart)).toEqual([
        0,
        mixed.sentenceFrames[0],
        mixed.sentenceFrames[0]! + mixed.sentenceFrames[1]!,
      ]);
      expect(mixed.frames).toBe(mixed.sentenceFrames.reduce((a, b) => a + b, 0));
      for (const [k, alone] of [
        [0, englishAlone],
        [1, frenchAlone],
        [2, englishAlone],
      ] as const) {
        expect(mixed.sentenceFrames[k]).toBe(alone.sentenceFrames[k]);
        expect(Array.from(mixed.wordStarts[k]!)).toEqual(Array.from(alone.wordStarts[k]!));
        expect(sentence(mixed, k)).toEqual(sentence(alone, k));
      }
      // Not as the English voice would read the French words.
      expect(sentence(mixed, 1)).not.toEqual(sentence(inEnglish, 1));
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

describe("describeSentence", () => {
  // "Check against delivery.", never spoken, which the path crossed matching 0.09 of the voice's
  // frames on the bench's 46 minutes: reported at one instant as "unsure" instead of unspoken.
  it("reports a sentence the path raced through as unspoken, and one placed over its length as aligned", () => {
    const words = sentenceWords("Check against delivery.");
    const voiceFrames = 100;
    // Over `frames` real frames the path matches at most as many of the voice's.
    const placed = (frames: number) => ({
      start: 1000,
      end: 1000 + frames,
      words: words.map((_, i) => ({ start: 1000 + i, end: 1001 + i })),
      meanDistance: 0.8,
      coverage: Math.min(1, frames / voiceFrames),
      columns: [0, frames] as [number, number],
    });
    const heading = { is: false, frames: voiceFrames };
    expect(describeSentence(placed(8), 0, words, heading, DEFAULT_TUNING, "en")).toMatchObject({
      status: "unspoken",
      start: null,
      words: [],
    });
    expect(describeSentence(placed(80), 0.12, words, heading, DEFAULT_TUNING, "en")).toMatchObject({
      status: "aligned",
      start: 10,
      end: 10.8,
    });
  });
});

describe("the voice's frequency scale", () => {
  const cepstraOfTone = (hz: number, warp: number): Float32Array => {
    const rate = 22_050;
    const collector = new FeatureCollector();
    const extractor = new MfccExtractor(rate, collector, warp);
    extractor.push(
      Float32Array.from({ length: rate / 5 }, (_, n) => 0.3 * Math.sin((2 * Math.PI * hz * n) / rate)),
    );
    extractor.flush();
    const all = collector.cepstra.toArray();
    return all.subarray(5 * CEPSTRA, 6 * CEPSTRA); // a frame well inside the tone
  };
  const distance = (a: Float32Array, b: Float32Array): number =>
    Math.sqrt(a.reduce((sum, x, k) => sum + (k === 0 ? 0 : (x - b[k]!) ** 2), 0));

  // The direction matters: scaled by 1.2, the voice's sounds must read as those of a speaker whose
  // formants are 20 % higher, not lower.
  it("reads the voice scaled by 1.2 as a voice 20 % higher would sound", () => {
    const scaled = cepstraOfTone(1000, 1.2);
    expect(distance(scaled, cepstraOfTone(1200, 1))).toBeLessThan(
      0.25 * distance(scaled, cepstraOfTone(1000, 1)),
    );
    expect(distance(scaled, cepstraOfTone(1200, 1))).toBeLessThan(
      0.25 * distance(scaled, cepstraOfTone(833, 1)),
    );
  });

  it("samples a long text from all over it, and the start of a paragraph without full stops", () => {
    const text = Array.from({ length: 400 }, (_, i) =>
      sentenceWords(`Sentence ${i} has these eight words in it.`),
    );
    const sample = sampleSentences(text);
    const words = sample.reduce((sum, s) => sum + s.length, 0);
    expect(words).toBeGreaterThan(100);
    expect(words).toBeLessThanOrEqual(130);
    const numbers = sample.map((s) => Number(s[1]!.spoken));
    expect(Math.min(...numbers)).toBeLessThan(40);
    expect(Math.max(...numbers)).toBeGreaterThan(360);
    const paragraph = [sentenceWords(Array.from({ length: 3000 }, (_, i) => `word${i}`).join(" "))];
    expect(sampleSentences(paragraph)[0]!.length).toBe(120);
    expect(sampleSentences([[], ...paragraph.map((s) => s.slice(0, 5))])).toEqual([
      paragraph[0]!.slice(0, 5),
    ]);
  });
});
