import { CEPSTRA } from "./mfcc.ts";

/**
 * What the distance compares: each frame as the cepstra of three short stretches around it (30 ms
 * before, the 30 ms it is centred on, 30 ms after), 39 numbers. One 10 ms frame says little about
 * which phone it is, and a path that may pick frame by frame finds a good-looking match in any
 * speech; a 90 ms trajectory (a consonant into a vowel) is much harder to match by chance. Measured
 * on the fixtures, it doubles how often a sentence's own place beats the best place in unrelated
 * speech (docs/ALIGNMENT.md).
 *
 * c0 (loudness) is kept but weighted down: how loud a phone is relative to its neighbours tells
 * phones apart, but a voice and a recording differ in loudness more than in spectral shape.
 */
const CONTEXT_SPANS: readonly (readonly [number, number])[] = [
  [-4, -2],
  [-1, 1],
  [2, 4],
];
export const CONTEXT_BLOCKS = CONTEXT_SPANS.length;
/** Where the block centred on the frame (its 30 ms, no context) begins in its features (refine.ts). */
export const MIDDLE_BLOCK_AT = CEPSTRA;
export const FEATURE_DIMS = CEPSTRA * CONTEXT_BLOCKS;

/**
 * Context features of `cepstra` (already normalised), within each segment (a synthetic sentence;
 * the whole recording): a stretch never reaches into the next segment, it stops at the edge.
 * With `rows`, only those frames (of a one-segment recording) are computed, in that order.
 */
export function contextFeatures(
  cepstra: Float32Array,
  segments: { start: number; frames: number }[],
  c0Weight: number,
  rows?: Int32Array,
): Float32Array {
  const frames = cepstra.length / CEPSTRA;
  const out = new Float32Array((rows ? rows.length : frames) * FEATURE_DIMS);
  const sums = new Float64Array(CEPSTRA);
  for (const { start, frames: length } of segments) {
    const count = rows ? rows.length : length;
    for (let r = 0; r < count; r++) {
      const f = rows ? rows[r]! - start : r;
      const row = rows ? r : start + f;
      CONTEXT_SPANS.forEach(([from, to], s) => {
        sums.fill(0);
        let count = 0;
        for (let t = Math.max(0, f + from); t <= Math.min(length - 1, f + to); t++) {
          const at = (start + t) * CEPSTRA;
          for (let k = 0; k < CEPSTRA; k++) sums[k] = sums[k]! + cepstra[at + k]!;
          count++;
        }
        const base = row * FEATURE_DIMS + s * CEPSTRA;
        // A stretch entirely past the edge repeats the edge frame.
        if (count === 0) {
          const edge = (start + Math.min(length - 1, Math.max(0, f + from))) * CEPSTRA;
          for (let k = 0; k < CEPSTRA; k++) sums[k] = cepstra[edge + k]!;
          count = 1;
        }
        for (let k = 0; k < CEPSTRA; k++) out[base + k] = (sums[k]! / count) * (k === 0 ? c0Weight : 1);
      });
    }
  }
  return out;
}

/**
 * A frame's features as they would be in the reversed sequence: the stretch before and the one
 * after trade places (the middle one is its own mirror). Decoys (levels.ts) are made of these.
 */
export function mirrorFrame(features: Float32Array, from: number, out: Float32Array, to: number): void {
  const spans = CONTEXT_SPANS.length;
  for (let s = 0; s < spans; s++) {
    const source = from + (spans - 1 - s) * CEPSTRA;
    out.set(features.subarray(source, source + CEPSTRA), to + s * CEPSTRA);
  }
}
