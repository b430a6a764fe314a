import type { DrawnOutFrames } from "./drawn-out.ts";
import { MIDDLE_BLOCK_AT } from "./features.ts";
import { CEPSTRA } from "./mfcc.ts";

/**
 * Word boundaries found again on sharper frames than the search's. The search compares 90 ms
 * trajectories (features.ts): that is what tells a sentence's own audio from other speech, but it
 * smears a boundary, since a frame 30 ms before a word already carries the word's first sounds in
 * its context. Once the sentence is placed, only where each word hands over to the next is in
 * question, and there the middle block alone (the 30 ms around each frame) places it better: each
 * sentence's path is searched again on those blocks, close to the first path. Fixtures, word
 * starts within 50 ms 47 → 56 %; the bench's 46 minutes, word starts median 116 → 106 ms
 * (docs/ALIGNMENT.md, "Measured").
 *
 * A handover is where the paths through the sentence, each weighted by exp(−cost / temperature),
 * are past it with probability one half (the forward-backward of an HMM), not where the single
 * best path crosses it: a word the best path ran through in a frame or two, behind a drawn-out
 * one, is placed where most nearly as good paths place it. Fixtures' words over 100 ms 42 → 38,
 * "different words" in cold_corpus3 +0.45 s → within 100 ms (docs/ALIGNMENT.md, eighth session).
 */

/** The search's features (features.ts), of which only the middle block is compared here. */
export interface BoundaryFrames {
  /** Per search frame, `dims` values. */
  real: Float32Array;
  dims: number;
  /**
   * Per synthetic frame of the text, its middle block alone (CEPSTRA values): the voice moved by
   * part of its adaptation (`wordVoiceShare`, align.ts).
   */
  text: Float32Array;
  /**
   * Words a speaker may draw out otherwise than the voice says them ("the" as "thee…",
   * drawn-out.ts): a frame of such a word is priced by the nearer of its own frame and the
   * variant's nearest frame.
   */
  drawnOut?: DrawnOutFrames;
}

/** The middle block of every frame of `features` (`dims` values a frame). */
export function middleBlocks(features: Float32Array, dims: number): Float32Array {
  const frames = features.length / dims;
  const out = new Float32Array(frames * CEPSTRA);
  for (let f = 0; f < frames; f++) {
    out.set(features.subarray(f * dims + MIDDLE_BLOCK_AT, f * dims + MIDDLE_BLOCK_AT + CEPSTRA), f * CEPSTRA);
  }
  return out;
}

/** Where a sentence's path lies: its columns' search frames and its states' synthetic frames. */
export interface BoundarySpan {
  /** Search frame of the path's column 0. */
  realOffset: number;
  /** Synthetic frame of the sentence's first state. */
  rowOffset: number;
  /** The sentence's first state. */
  first: number;
}

export interface BoundaryCosts {
  /** How many states the new paths may leave the first one by, either way, at each column. */
  band: number;
  /** Added to each move on by 2 and by 3 states, as in the search (dtw.ts). */
  advance2: number;
  advance3: number;
  /** How much costlier than the best a path may be and still count (its weight is exp(−cost / this)). */
  temperature: number;
}

const INF = Number.POSITIVE_INFINITY;

/**
 * Moves each word's first column (`wordFirst`, columns of the path; every word but the first, whose
 * start is the sentence's) to where the paths through the sentence, on the middle blocks, are
 * past its first state with probability one half or more. The paths run from `fromState` at
 * column `from` (the first path's own state there, unless the sentence was moved onto its sound:
 * timings.ts; the path's own state if `fromState` lies more than `band` states from it) to the
 * first path's (column, state) at `to` − 1, within `band` states of it at every column, by
 * the search's moves (stay, or on by 1, 2 or 3 states); a path's cost is the sum of its frames'
 * squared distances and of the moves' prices.
 */
export function refineWordStarts(
  states: Int32Array,
  wordFirst: Int32Array,
  starts: Int32Array,
  from: number,
  to: number,
  span: BoundarySpan,
  frames: BoundaryFrames,
  costs: BoundaryCosts,
  fromState = states[from]!,
): void {
  const columns = to - from;
  if (columns < 2 || starts.length < 2 || costs.band <= 0) return;
  const { band, temperature } = costs;
  const width = 2 * band + 1;
  const lowest = (c: number): number => states[from + c]! - band;
  const { g, f } = weights(states, from, to, span, frames, costs, fromState);
  const below = width + 2;
  const a2 = Math.exp(-costs.advance2 / temperature);
  const a3 = Math.exp(-costs.advance3 / temperature);
  // The weight of moving on by m into cell i of column c: moving on by 2 or 3 pays for the states
  // passed over (as in the search), which may lie just below the band.
  const move = (c: number, i: number, m: number): number => {
    if (m < 2) return 1;
    const passed = g[c * below + i + 1]!;
    return m === 2 ? passed * a2 : passed * g[c * below + i]! * a3;
  };
  // Forward, each column scaled to sum 1 (the scales cancel in each column's shares). In doubles:
  // the forward and backward sums of a column peak on different states, and the shares live where
  // both are small (in floats the fixtures' words over 100 ms went 38 → 59).
  const forward = new Float64Array(columns * width);
  const begin = fromState - lowest(0);
  forward[begin >= 0 && begin < width ? begin : band] = 1;
  for (let c = 1; c < columns; c++) {
    const lo = lowest(c);
    const before = lowest(c - 1);
    let total = 0;
    for (let i = 0; i < width; i++) {
      const own = f[c * width + i]!;
      if (own === 0) continue;
      let sum = 0;
      for (let m = 0; m <= 3; m++) {
        const p = lo + i - m - before;
        if (p >= 0 && p < width) sum += forward[(c - 1) * width + p]! * move(c, i, m);
      }
      forward[c * width + i] = sum * own;
      total += sum * own;
    }
    if (total <= 0) return;
    for (let i = 0; i < width; i++) forward[c * width + i] = forward[c * width + i]! / total;
  }
  const end = states[to - 1]! - lowest(columns - 1);
  if (end < 0 || end >= width || forward[(columns - 1) * width + end]! === 0) return;
  // Backward, two columns at a time, with each column's shares read as it is reached: the share of
  // paths past a word's first state only grows from column to column, so the last column reached
  // (the earliest) where it is one half or more is where the word starts.
  let later = new Float64Array(width);
  let here = new Float64Array(width);
  later[end] = 1;
  const past = new Float64Array(width + 1);
  const found = new Int32Array(starts.length).fill(-1);
  for (let c = columns - 1; c >= 0; c--) {
    const lo = lowest(c);
    if (c < columns - 1) {
      const after = lowest(c + 1);
      let total = 0;
      for (let i = 0; i < width; i++) {
        let sum = 0;
        for (let m = 0; m <= 3; m++) {
          const n = lo + i + m - after;
          if (n < 0 || n >= width) continue;
          const b = later[n]!;
          if (b > 0) sum += b * move(c + 1, n, m) * f[(c + 1) * width + n]!;
        }
        here[i] = sum;
        total += sum;
      }
      if (total <= 0) return;
      for (let i = 0; i < width; i++) here[i] = here[i]! / total;
      [later, here] = [here, later];
    }
    // `later` now holds this column's backward sums.
    past[width] = 0;
    for (let i = width - 1; i >= 0; i--) past[i] = past[i + 1]! + forward[c * width + i]! * later[i]!;
    if (past[0]! <= 0) continue;
    for (let v = 1; v < starts.length; v++) {
      const first = span.first + starts[v]! - lo;
      const share = first <= 0 ? 1 : first >= width ? 0 : past[first]! / past[0]!;
      if (share >= 0.5) found[v] = c;
    }
  }
  for (let v = 1; v < starts.length; v++) if (found[v]! >= 0) wordFirst[v] = from + found[v]!;
}

/**
 * Per column of the sentence's path: `g`, each state's weight exp(−distance / temperature), from two
 * states below the band (the states a move by 2 or 3 passes over); `f`, the band's own, scaled by
 * the column's best, which every path takes one of in each column, so the scale cancels. In floats
 * (the same answers as doubles on the bench): an unpunctuated paragraph is one sentence of
 * minutes, 2 KB a column with the forward sums.
 *
 * The distance is the squared one (a Gaussian's log-likelihood) of the middle blocks: a frame that
 * fits one word clearly worse than the next weighs more, so the handover is placed where the
 * sounds change. Fixtures, word starts median 40 → 30 ms; the bench's 46 minutes 34 → 28 ms, within
 * 100 ms 73 → 77.5 % (docs/ALIGNMENT.md, seventh session).
 */
function weights(
  states: Int32Array,
  from: number,
  to: number,
  span: BoundarySpan,
  frames: BoundaryFrames,
  costs: BoundaryCosts,
  fromState: number,
): { g: Float32Array; f: Float32Array } {
  const { dims, real, text } = frames;
  const columns = to - from;
  const width = 2 * costs.band + 1;
  const below = width + 2;
  const sFirst = Math.min(fromState, states[from]!);
  const sLast = states[to - 1]!;
  const g = new Float32Array(columns * below);
  const f = new Float32Array(columns * width);
  const distance = new Float64Array(below);
  const drawn = frames.drawnOut;
  const variantDistance = new Float64Array(drawn ? drawn.starts.length - 1 : 0);
  for (let c = 0; c < columns; c++) {
    const lo = states[from + c]! - costs.band - 2;
    const realAt = (span.realOffset + from + c) * dims + MIDDLE_BLOCK_AT;
    // Only for a column whose band holds a word with a variant ("the", "so"): most do not.
    let variantsRead = false;
    let best = INF;
    for (let i = 0; i < below; i++) {
      const s = lo + i;
      if (s < sFirst || s > sLast) {
        distance[i] = INF;
        continue;
      }
      const row = span.rowOffset + s - span.first;
      distance[i] = meanSquare(real, realAt, text, row * CEPSTRA);
      const variant = drawn ? drawn.rows[row]! : 0;
      if (variant > 0) {
        if (!variantsRead) nearestVariants(real, realAt, drawn!, variantDistance);
        variantsRead = true;
        distance[i] = Math.min(distance[i]!, variantDistance[variant - 1]!);
      }
      g[c * below + i] = Math.exp(-distance[i]! / costs.temperature);
      if (i >= 2 && distance[i]! < best) best = distance[i]!;
    }
    for (let i = 0; i < width; i++) {
      const d = distance[i + 2]!;
      f[c * width + i] = d === INF ? 0 : Math.exp(-(d - best) / costs.temperature);
    }
  }
  return { g, f };
}

/** Per drawn-out variant, the squared distance of the real frame at `realAt` to its nearest frame. */
function nearestVariants(real: Float32Array, realAt: number, drawn: DrawnOutFrames, out: Float64Array): void {
  for (let v = 0; v < out.length; v++) {
    let nearest = INF;
    for (let q = drawn.starts[v]!; q < drawn.starts[v + 1]!; q++)
      nearest = Math.min(nearest, meanSquare(real, realAt, drawn.frames, q * CEPSTRA));
    out[v] = nearest;
  }
}

/** The squared difference per value of two middle blocks (CEPSTRA values each). */
function meanSquare(a: Float32Array, aAt: number, b: Float32Array, bAt: number): number {
  let sum = 0;
  for (let k = 0; k < CEPSTRA; k++) {
    const d = a[aAt + k]! - b[bAt + k]!;
    sum += d * d;
  }
  return sum / CEPSTRA;
}
