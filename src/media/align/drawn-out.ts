import { sentenceWords, type TextWord } from "./words.ts";

/**
 * How speakers say some words otherwise than espeak-ng, and where a word's sound begins before
 * what espeak-ng gives for it: both read when the word boundaries are found (refine.ts, outcome.ts).
 *
 * **Drawn out.** A speaker who hesitates on "the" says "thee…" for up to half a second: in
 * `cold_corpus3`, "so this is the… sick corpus" (the reference's "the" 1.97–2.37 s). espeak-ng
 * says "the" before a consonant as /ðə/, whose schwa fits "thee" worse than the /ɪ/ of "is" and
 * "this", so the boundaries' search laid "is" over the drawn-out "the" and ran through "the" in a
 * frame or two: "is" +0.31 s, "the" +0.46 s. With the variant spoken beside the text (one word,
 * like the hesitations), each frame of "the" may also be priced by its nearest frame of "thee":
 * the fixtures' words more than 100 ms off 38 → 33 (docs/ALIGNMENT.md, thirteenth session). "so"
 * drawn out ("yeah so… that just happened": "that", "just", "happened" 0.13–0.21 s late) likewise:
 * 29 → 26 with the closures below. Other words tried the same way ("a" as "ay", "and", "to",
 * "of" drawn out) moved about as many words wrong as right. French has no word references here,
 * so none is given for it.
 */
const DRAWN_OUT: Record<"en" | "fr", Record<string, string>> = { en: { the: "thee", so: "soo" }, fr: {} };

export interface DrawnOut {
  /** The variants to speak, each a sentence of one word, in `DRAWN_OUT`'s order. */
  spoken: TextWord[][];
  /** The variant's index for a word of the text, by its spoken form; -1 for none. */
  of(word: TextWord, lang: "en" | "fr"): number;
}

export function drawnOutVariants(lang: "en" | "fr"): DrawnOut {
  const words = Object.keys(DRAWN_OUT[lang]);
  return {
    spoken: Object.values(DRAWN_OUT[lang]).map((variant) => sentenceWords(variant)),
    of: (word, textLang) =>
      (word.lang ?? textLang) === lang ? words.indexOf(word.spoken.toLowerCase()) : -1,
  };
}

/**
 * **Held like a hesitation.** Words a speaker may hold for as long as an "uh" at a sentence's start
 * ("and…", "so…", "the…", "well…"): a steady sound before a sentence that begins with one of them
 * may be that word, not a hesitation (timings.ts). In the fixtures, "and" was held 0.5 s as
 * steadily as any "uh" (docs/ALIGNMENT.md, seventeenth session).
 */
const HELD: Record<"en" | "fr", Set<string>> = {
  en: new Set(["a", "an", "and", "but", "of", "or", "so", "the", "to", "well", "uh", "um", "er"]),
  fr: new Set([
    "alors",
    "donc",
    "de",
    "des",
    "du",
    "et",
    "euh",
    "la",
    "le",
    "les",
    "mais",
    "ou",
    "un",
    "une",
  ]),
};

export function mayBeHeld(word: TextWord, textLang: "en" | "fr"): boolean {
  return HELD[word.lang ?? textLang].has(word.spoken.toLowerCase());
}

/**
 * **A stop's closure.** A word that begins with a stop (/p b t d k g/, or an affricate) begins
 * with its closure: a short silence, or a murmur, before the burst. espeak-ng writes that closure
 * as zeros, which are cut out with its word breaks (synth.ts), so its words begin on the burst and
 * so did ours: the fixtures' stop-initial words leant late ("probably" +0.12 to +0.14 s in three
 * of its four places, "different", "gonna" +0.12 s). Such a word starts `STOP_CLOSURE_FRAMES`
 * earlier, never before the word before it has begun. Measured on the English fixtures (with
 * "the" drawn out), 20 / 40 / 60 ms: words over 100 ms off 33 → 31 / 29 / 29, median 30 → 20 /
 * 20 / 30 ms (docs/ALIGNMENT.md). French follows the same rule, by its own spelling of the stops
 * (unmeasured: no French word references here).
 */
const STOP_ONSET: Record<"en" | "fr", RegExp> = {
  // Not "ph" (f), "ps"/"pn"/"kn"/"gn" (a silent first letter), "th" (a fricative), "ce"/"ci"/"cy" (s).
  en: /^(?:p(?![hsn])|b|t(?!h)|d|k(?!n)|g(?!n)|c(?![eiy])|q|j)/i,
  // Not "ph", "ps", "ch" (ʃ), "ce"/"ci"/"cy"/"ç" (s), "ge"/"gi"/"gy" (ʒ), accented or not, "gn".
  fr: /^(?:p(?![hs])|b|t|d|k|g(?![eéèêëiîïyn])|c(?![eéèêëiîïyh])|q)/i,
};

export function startsWithStop(word: TextWord, textLang: "en" | "fr"): boolean {
  return STOP_ONSET[word.lang ?? textLang].test(word.spoken);
}

/** The drawn-out variants as the word boundaries' search compares them (refine.ts `BoundaryFrames`). */
export interface DrawnOutFrames {
  /** Per synthetic frame of the text: 1 + the variant its word may be said as, or 0. */
  rows: Uint8Array;
  /** The variants' middle blocks (CEPSTRA values a frame), one after the other. */
  frames: Float32Array;
  /** Each variant's first frame in `frames`, and the frame after the last. */
  starts: Int32Array;
}

/** Marks the synthetic frames of every word of the text that has a drawn-out variant. */
export function drawnOutRows(
  words: TextWord[][],
  layout: { frames: number; sentenceStart: Int32Array; sentenceFrames: Int32Array; wordStarts: Int32Array[] },
  drawn: DrawnOut,
  lang: "en" | "fr",
): Uint8Array {
  const rows = new Uint8Array(layout.frames);
  words.forEach((sentence, i) => {
    const starts = layout.wordStarts[i];
    const first = layout.sentenceStart[i]!;
    if (!starts || (layout.sentenceFrames[i] ?? 0) === 0) return;
    sentence.forEach((word, v) => {
      const variant = drawn.of(word, lang);
      if (variant < 0) return;
      const end = v + 1 < starts.length ? starts[v + 1]! : layout.sentenceFrames[i]!;
      rows.fill(variant + 1, first + starts[v]!, first + end);
    });
  });
  return rows;
}

/** How long before its burst a stop-initial word begins (`startsWithStop`): 4 frames of 10 ms. */
export const STOP_CLOSURE_FRAMES = 4;

/**
 * The words' first frames with each stop-initial word but the sentence's first (whose start is
 * the sentence's, read otherwise: timings.ts) moved back by its closure, never to or before the
 * start of the word before it, and never later.
 */
export function withClosures(starts: number[], words: TextWord[], lang: "en" | "fr"): number[] {
  const out = [...starts];
  for (let i = 1; i < out.length; i++) {
    const word = words[i];
    if (word && startsWithStop(word, lang))
      out[i] = Math.min(out[i]!, Math.max(out[i - 1]! + 1, out[i]! - STOP_CLOSURE_FRAMES));
  }
  return out;
}
