import type { SearchTuning } from "./coarse-to-fine.ts";

/**
 * The method's parameters, in one place. Emission costs are in units of a frame's mean distance
 * to the synthetic voice (background.ts): unrelated frames ≈ 1, a good match ≈ 0.6. The values
 * were chosen on the fixtures and the composed recording of the bench (docs/ALIGNMENT.md).
 */
export interface AlignTuning extends SearchTuning {
  /** espeak-ng's words a minute: faster than most speakers, so the path mostly waits (cheap) rather than races. */
  rate: number;
  /** Weight of c0 (loudness) in the features (features.ts). */
  c0Weight: number;
  /** Half-width in frames of the sliding normalisation of the real cepstra (normalize.ts). */
  localNorm: number;
  /** Below this order margin (verify.ts) a sentence is "unsure". */
  unsureBelow: number;
  /** The margin at which confidence reaches 1. */
  sureAt: number;
  /** Below this mean order margin (outcome.ts checkMatch) the text is not the audio's. */
  notMatchingBelow: number;
}

export const DEFAULT_TUNING: AlignTuning = {
  // 80 M cells at the coarsest level (80 MB of back-pointers, a few seconds): 320 ms frames for a
  // 46-minute recording. At 20 M (640 ms) the coarse path there lost its way for good (sentences
  // within 500 ms: 19 % against 46 %), for only 10 MB less at the peak (levelFactors).
  fullCells: 80_000_000,
  // Up to 20 M cells (a clip of about a minute), searched whole at 10 ms.
  fineCells: 20_000_000,
  levelRatio: 4,
  radius: 2,
  widen: 2,
  skipPerFrame: 0.25,
  gapSpeech: 0.4,
  gapQuiet: 0.5,
  staySpeech: 0.55,
  stayQuiet: 0.6,
  stay: 0.2,
  advance2: 0.05,
  advance3: 0.15,
  rate: 230,
  c0Weight: 0.6,
  localNorm: 300,
  unsureBelow: 0.02,
  sureAt: 0.1,
  notMatchingBelow: 0.045,
};
