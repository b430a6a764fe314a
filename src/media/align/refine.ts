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
  /** How many states the new path may leave the first one by, either way, at each column. */
  band: number;
  /** Added to each move on by 2 and by 3 states, as in the search (dtw.ts). */
  advance2: number;
  advance3: number;
}

const INF = Number.POSITIVE_INFINITY;

/**
 * Moves each word's first column (`wordFirst`, columns of the path; every word but the first, whose
 * start is the sentence's) to where the sentence's path, searched again on the middle blocks,
 * crosses into it. The new path runs from the first path's (column, state) at `from` to its own at
 * `to` − 1, within `band` states of it at every column, by the search's moves (stay, or on by 1, 2
 * or 3 states); staying costs nothing extra, since every path through the same columns and states
 * stays as often unless it moves on by 2 or 3.
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
): void {
  const columns = to - from;
  if (columns < 2 || starts.length < 2 || costs.band <= 0) return;
  const { dims, real, text } = frames;
  const band = costs.band;
  const width = 2 * band + 1;
  const sFirst = states[from]!;
  const sLast = states[to - 1]!;
  // Cell (c, i) is state states[from + c] − band + i; two rows of costs, every back-pointer.
  let previous = new Float64Array(width).fill(INF);
  let current = new Float64Array(width);
  const back = new Uint8Array(columns * width);
  // This column's emissions from two states below the band up: moving on by 2 or 3 pays for the
  // states passed over (as in the search), which may lie just below the band.
  const emission = new Float64Array(width + 2);
  const fill = (c: number, lo: number): void => {
    const realAt = (span.realOffset + from + c) * dims + MIDDLE_BLOCK_AT;
    for (let i = 0; i < width + 2; i++) {
      const s = lo - 2 + i;
      if (s < sFirst || s > sLast) {
        emission[i] = INF;
        continue;
      }
      const textAt = (span.rowOffset + s - span.first) * CEPSTRA;
      let sum = 0;
      for (let k = 0; k < CEPSTRA; k++) {
        const d = real[realAt + k]! - text[textAt + k]!;
        sum += d * d;
      }
      // The squared distance (a Gaussian's log-likelihood), not the distance the search uses: a
      // frame that fits one word clearly worse than the next weighs more, so the handover is
      // placed where the sounds change. Fixtures, word starts median 40 → 30 ms; the bench's
      // 46 minutes 34 → 28 ms, within 100 ms 73 → 77.5 %, with `wordBand` 80 (docs/ALIGNMENT.md).
      emission[i] = sum / CEPSTRA;
    }
  };
  let lo = sFirst - band;
  fill(0, lo);
  previous[band] = emission[band + 2]!;
  for (let c = 1; c < columns; c++) {
    const pLo = lo;
    lo = states[from + c]! - band;
    fill(c, lo);
    for (let i = 0; i < width; i++) {
      const e = emission[i + 2]!;
      let best = INF;
      let move = 0;
      if (e < INF) {
        const s = lo + i;
        for (let m = 0; m <= 3; m++) {
          const p = s - m - pLo;
          if (p < 0 || p >= width) continue;
          let x = previous[p]!;
          if (m >= 2) x += emission[i + 1]! + costs.advance2;
          if (m === 3) x += emission[i]! + costs.advance3 - costs.advance2;
          if (x < best) {
            best = x;
            move = m;
          }
        }
      }
      current[i] = best + e;
      back[c * width + i] = move;
    }
    [previous, current] = [current, previous];
  }
  const end = sLast - lo;
  if (end < 0 || end >= width || previous[end]! === INF) return;
  // Traced back: the first column at or past each word's first state is where that word starts.
  const path = new Int32Array(columns);
  let s = sLast;
  for (let c = columns - 1; c >= 0; c--) {
    path[c] = s;
    s -= back[c * width + s - (states[from + c]! - band)]!;
  }
  let c = 0;
  for (let v = 1; v < starts.length; v++) {
    const boundary = span.first + starts[v]!;
    while (c < columns && path[c]! < boundary) c++;
    // Both paths end on the same state: a word one never reached, the other did not either.
    if (c < columns) wordFirst[v] = from + c;
  }
}
