import type { RealBase, SynthBase } from "./coarse-to-fine.ts";
import type { RealFeatures } from "./decode.ts";
import type { DrawnOutFrames } from "./drawn-out.ts";
import { contextFeatures, FEATURE_DIMS } from "./features.ts";
import { CEPSTRA } from "./mfcc.ts";
import { applyStats, type FeatureStats, normalizeFeatures, normalizeLocally } from "./normalize.ts";
import { middleBlocks } from "./refine.ts";
import type { SpeechActivity } from "./speech-regions.ts";
import type { SyntheticText } from "./synth.ts";
import type { AlignTuning } from "./tuning.ts";

/** Both sides ready for the search, and where each search frame is in the recording. */
export interface Prepared {
  real: RealBase;
  synth: SynthBase;
  /** Per search frame, its frame in the recording (long silences are left out of the search). */
  frameOf: Int32Array;
  /** Per search frame, sound against the background around it (speech-regions.ts `foreground`). */
  foreground: Float32Array;
  /** What the voice's cepstra were normalised with: for a speaker's sentences spoken again (speakers.ts). */
  voiceStats: FeatureStats;
}

/**
 * The real cepstra normalised over a sliding window of speech frames, in place: done before the
 * voice's frequency scale is chosen (warp.ts), which compares them as the search will.
 */
export function normalizeReal(
  real: RealFeatures,
  speech: (frame: number) => boolean,
  tuning: AlignTuning,
): void {
  normalizeLocally(real.cepstra, CEPSTRA, tuning.localNorm, speech);
}

/**
 * Normalises the voice's cepstra over its own frames (the other-language passage and the
 * hesitations as the voice's) and builds the context features of both sides; the real cepstra
 * are already normalised (`normalizeReal`).
 */
export function prepareFeatures(
  real: RealFeatures,
  text: SyntheticText,
  other: SyntheticText,
  filler: SyntheticText,
  activity: SpeechActivity,
  tuning: AlignTuning,
): Prepared {
  const frameOf = keptFrames(activity.kept);
  const stats = normalizeFeatures(text.cepstra, CEPSTRA, (f) => (text.levels[f] ?? -120) > -50);
  applyStats(other.cepstra, CEPSTRA, stats);
  applyStats(filler.cepstra, CEPSTRA, stats);
  const spans = spansOf(text);
  return {
    voiceStats: stats,
    frameOf,
    foreground: Float32Array.from(frameOf, (f) => activity.foreground[f]!),
    real: {
      features: contextFeatures(real.cepstra, [{ start: 0, frames: real.frames }], tuning.c0Weight, frameOf),
      dims: FEATURE_DIMS,
      speechiness: Float32Array.from(frameOf, (f) => activity.speechiness[f]!),
    },
    synth: {
      text: contextFeatures(text.cepstra, spans, tuning.c0Weight),
      other: contextFeatures(other.cepstra, spansOf(other), tuning.c0Weight),
      filler: contextFeatures(filler.cepstra, spansOf(filler), tuning.c0Weight),
    },
  };
}

function spansOf(text: SyntheticText): { start: number; frames: number }[] {
  return Array.from(text.sentenceStart, (start, k) => ({ start, frames: text.sentenceFrames[k] ?? 0 }));
}

/** Indices of the frames flagged 1. */
function keptFrames(flags: Uint8Array): Int32Array {
  let count = 0;
  for (let j = 0; j < flags.length; j++) count += flags[j]!;
  const out = new Int32Array(count);
  let o = 0;
  for (let j = 0; j < flags.length; j++) if (flags[j]) out[o++] = j;
  return out;
}

/**
 * The drawn-out variants (drawn-out.ts), spoken by the voice and normalised as its text was, as
 * the word boundaries' search compares them: middle blocks, and where each variant begins.
 */
export function prepareDrawnOut(
  variants: SyntheticText,
  rows: Uint8Array,
  stats: FeatureStats,
  tuning: AlignTuning,
): DrawnOutFrames {
  applyStats(variants.cepstra, CEPSTRA, stats);
  const features = contextFeatures(variants.cepstra, spansOf(variants), tuning.c0Weight);
  const starts = Int32Array.from([...variants.sentenceStart, variants.frames]);
  return { rows, frames: middleBlocks(features, FEATURE_DIMS), starts };
}
