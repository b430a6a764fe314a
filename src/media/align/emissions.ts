/**
 * A real frame's emissions against the synthetic frames (dtw.ts): the RMS difference of their
 * context features, a mirrored state's read as the frame would be in the reversed sentence.
 */

/** One emission, unscaled. `blocks` > 1: the synthetic frame's context blocks in reverse order. */
export function distance(
  real: Float32Array,
  at: number,
  synth: Float32Array,
  from: number,
  dims: number,
  blocks: number,
): number {
  let sum = 0;
  if (blocks === 1) {
    for (let k = 0; k < dims; k++) {
      const diff = real[at + k]! - synth[from + k]!;
      sum += diff * diff;
    }
  } else {
    const size = dims / blocks;
    for (let b = 0; b < blocks; b++) {
      const r = at + b * size;
      const s = from + (blocks - 1 - b) * size;
      for (let k = 0; k < size; k++) {
        const diff = real[r + k]! - synth[s + k]!;
        sum += diff * diff;
      }
    }
  }
  return Math.sqrt(sum / dims);
}

/** The states' rows, as dtw.ts StateLayout has them. */
export interface StateRows {
  /** Per state, its synthetic frame, or −1 for a gap state. */
  row: Int32Array;
  /** Per state, 1 when its row is read mirrored. */
  mirrored: Uint8Array;
}

/** The plain states waiting to be taken four at a time, reused from call to call. */
const plain = new Int32Array(4);

/**
 * The emissions of states lo…hi for the real frame at `at`, scaled, into `out` from 0. The plain
 * states are taken four at a time (`distances4`): the search's paths spent most of their time here.
 */
export function bandEmissions(
  out: Float64Array,
  real: Float32Array,
  at: number,
  synth: Float32Array,
  states: StateRows,
  lo: number,
  hi: number,
  dims: number,
  blocks: number,
  gap: number,
  scale: number,
): void {
  const { row, mirrored } = states;
  let pending = 0;
  for (let i = lo; i <= hi; i++) {
    const r = row[i]!;
    if (r < 0) out[i - lo] = gap;
    else if (mirrored[i] === 1) out[i - lo] = distance(real, at, synth, r * dims, dims, blocks) * scale;
    else {
      plain[pending++] = i;
      if (pending === 4) {
        four(out, real, at, synth, row, plain, lo, dims, scale);
        pending = 0;
      }
    }
  }
  for (let p = 0; p < pending; p++) {
    const i = plain[p]!;
    out[i - lo] = distance(real, at, synth, row[i]! * dims, dims, 1) * scale;
  }
}

/** `four`'s four distances, reused from call to call. */
const four4 = new Float64Array(4);

function four(
  out: Float64Array,
  real: Float32Array,
  at: number,
  synth: Float32Array,
  row: Int32Array,
  states: Int32Array,
  lo: number,
  dims: number,
  scale: number,
): void {
  const i0 = states[0]!;
  const i1 = states[1]!;
  const i2 = states[2]!;
  const i3 = states[3]!;
  distances4(
    four4,
    real,
    at,
    synth,
    row[i0]! * dims,
    row[i1]! * dims,
    row[i2]! * dims,
    row[i3]! * dims,
    dims,
  );
  out[i0 - lo] = four4[0]! * scale;
  out[i1 - lo] = four4[1]! * scale;
  out[i2 - lo] = four4[2]! * scale;
  out[i3 - lo] = four4[3]! * scale;
}

/**
 * `distance` (plain) from the real frame at `at` to the synthetic frames at a, b, c and d, into
 * `out`: each real value is read once for four sums, each sum adding its terms in the order
 * `distance` does, so the results are the same to the bit, in about half the time.
 */
export function distances4(
  out: Float64Array,
  real: Float32Array,
  at: number,
  synth: Float32Array,
  a: number,
  b: number,
  c: number,
  d: number,
  dims: number,
): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < dims; k++) {
    const x = real[at + k]!;
    const d0 = x - synth[a + k]!;
    const d1 = x - synth[b + k]!;
    const d2 = x - synth[c + k]!;
    const d3 = x - synth[d + k]!;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  out[0] = Math.sqrt(s0 / dims);
  out[1] = Math.sqrt(s1 / dims);
  out[2] = Math.sqrt(s2 / dims);
  out[3] = Math.sqrt(s3 / dims);
}
