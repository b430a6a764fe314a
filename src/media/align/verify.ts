/**
 * Is this really the sentence? The audio the search gave it is matched once with the sentence's
 * synthetic frames and once with the same frames in reverse (the decoy of levels.ts), and the two
 * costs compared. The sentence's own audio fits the right order clearly better (7–14 % on average
 * on the fixtures); another text placed by the search on the same audio fits its reverse almost
 * as well (2–4 %). The comparison is made on the same audio, so a hoarse voice or a noisy room,
 * which make every match worse, hardly move it. Sentence by sentence it is noisy (a short
 * sentence is a few hundred frames); summed over a text it tells whether the text is the audio's.
 *
 * Done at 20 ms (frames averaged in pairs): about a second for an hour of speech.
 */
const FACTOR = 2;
const STAY = 0.1;

/** (reverse − forward) / forward over the sentence's audio: ~0.1 for its own, ~0.03 for another text. */
export function orderMargin(
  real: Float32Array,
  from: number,
  to: number,
  text: Float32Array,
  decoy: Float32Array,
  dims: number,
): number {
  const audio = pairs(real.subarray(from * dims, to * dims), dims);
  const forward = pinnedCost(audio, pairs(text, dims), dims);
  const backward = pinnedCost(audio, pairs(decoy, dims), dims);
  return forward > 0 && Number.isFinite(forward) && Number.isFinite(backward)
    ? (backward - forward) / forward
    : 0;
}

function pairs(features: Float32Array, dims: number): Float32Array {
  const frames = features.length / dims;
  const out = new Float32Array(Math.ceil(frames / FACTOR) * dims);
  for (let f = 0; f < frames; f += FACTOR) {
    const n = Math.min(FACTOR, frames - f);
    for (let k = 0; k < dims; k++) {
      let sum = 0;
      for (let t = 0; t < n; t++) sum += features[(f + t) * dims + k]!;
      out[(f / FACTOR) * dims + k] = sum / n;
    }
  }
  return out;
}

/**
 * Cost of the best path from the first frames of both to the last of both, with the step rules of
 * the search: each real frame matches one synthetic frame; the synthetic side moves on by 0–3,
 * paying for the frames it passes; a stay costs a little more.
 */
function pinnedCost(real: Float32Array, synth: Float32Array, dims: number): number {
  const n = real.length / dims;
  const m = synth.length / dims;
  if (n === 0 || m === 0) return Number.POSITIVE_INFINITY;
  let previous = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  let current = new Float64Array(m);
  const emission = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let sum = 0;
      for (let k = 0; k < dims; k++) {
        const d = real[j * dims + k]! - synth[i * dims + k]!;
        sum += d * d;
      }
      emission[i] = Math.sqrt(sum / dims);
    }
    for (let i = 0; i < m; i++) {
      const e = emission[i]!;
      if (j === 0) {
        current[i] = i === 0 ? e : Number.POSITIVE_INFINITY;
        continue;
      }
      let best = previous[i]! + e + STAY;
      if (i >= 1) best = Math.min(best, previous[i - 1]! + e);
      if (i >= 2) best = Math.min(best, previous[i - 2]! + e + emission[i - 1]!);
      if (i >= 3) best = Math.min(best, previous[i - 3]! + e + emission[i - 1]! + emission[i - 2]!);
      current[i] = best;
    }
    [previous, current] = [current, previous];
  }
  return previous[m - 1]! / n;
}
