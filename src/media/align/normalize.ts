/**
 * Cepstral mean and variance normalisation: each coefficient is made zero-mean and unit-variance
 * over the frames that count (the speech of the recording; the synthetic voice). It removes what
 * the microphone, the room and the voice add to every frame, so a distance compares phones, and it
 * puts distances on one scale (two unrelated frames are ≈ √2 apart) for the fixed gap costs.
 */
const CLIP = 4;

export interface FeatureStats {
  mean: Float64Array;
  scale: Float64Array;
}

/** Normalises in place and returns the statistics used, to normalise related frames alike. */
export function normalizeFeatures(
  features: Float32Array,
  dims: number,
  counts?: (frame: number) => boolean,
): FeatureStats {
  const frames = features.length / dims;
  const mean = new Float64Array(dims);
  const square = new Float64Array(dims);
  const scale = new Float64Array(dims).fill(1);
  let n = 0;
  for (let f = 0; f < frames; f++) {
    if (counts && !counts(f)) continue;
    n++;
    for (let k = 0; k < dims; k++) {
      const x = features[f * dims + k]!;
      mean[k] = mean[k]! + x;
      square[k] = square[k]! + x * x;
    }
  }
  if (n === 0) return { mean, scale };
  for (let k = 0; k < dims; k++) {
    mean[k] = mean[k]! / n;
    const variance = square[k]! / n - mean[k]! ** 2;
    scale[k] = variance > 1e-9 ? 1 / Math.sqrt(variance) : 0;
  }
  applyStats(features, dims, { mean, scale });
  return { mean, scale };
}

export function applyStats(features: Float32Array, dims: number, stats: FeatureStats): void {
  const frames = features.length / dims;
  for (let f = 0; f < frames; f++) {
    for (let k = 0; k < dims; k++) {
      const z = (features[f * dims + k]! - stats.mean[k]!) * stats.scale[k]!;
      // A frame far outside the speech (digital silence, a click) is clipped, so that one frame
      // cannot outweigh the rest of a path.
      features[f * dims + k] = Math.min(CLIP, Math.max(-CLIP, z));
    }
  }
}

/** Rows `decimate` will write for these segments at this factor. */
export function decimatedRows(segments: { frames: number }[], factor: number): number {
  return segments.reduce((sum, s) => sum + Math.ceil(s.frames / factor), 0);
}

/**
 * Means of groups of `factor` frames, a group never straddling a segment boundary (a sentence),
 * written into `out` from row `at` (a new array when none is given). With `mirror`, each segment
 * is read backwards and each frame through `mirror` (its reverse: features.ts mirrorFrame), which
 * gives the decoys without keeping a reversed copy of the text.
 */
export function decimate(
  features: Float32Array,
  dims: number,
  segments: { start: number; frames: number }[],
  factor: number,
  into?: { out: Float32Array; at: number },
  mirror?: (features: Float32Array, from: number, out: Float32Array, to: number) => void,
): Float32Array {
  const out = into?.out ?? new Float32Array(decimatedRows(segments, factor) * dims);
  const frame = new Float32Array(dims);
  let o = into?.at ?? 0;
  for (const s of segments) {
    for (let g = 0; g < s.frames; g += factor) {
      const end = Math.min(s.frames, g + factor);
      const row = o * dims;
      for (let k = 0; k < dims; k++) out[row + k] = 0;
      for (let f = g; f < end; f++) {
        const source = (s.start + (mirror ? s.frames - 1 - f : f)) * dims;
        if (mirror) mirror(features, source, frame, 0);
        else frame.set(features.subarray(source, source + dims));
        for (let k = 0; k < dims; k++) out[row + k] = out[row + k]! + frame[k]!;
      }
      for (let k = 0; k < dims; k++) out[row + k] = out[row + k]! / (end - g);
      o++;
    }
  }
  return out;
}

/**
 * Normalisation over a sliding window (±`half` frames) instead of the whole recording: each part
 * of a long recording (another microphone, another speaker, a hoarse voice, a noisier room) is
 * brought to the same mean and spread, so it is compared by its phones and not by its colour.
 * Only frames for which `counts` holds enter the statistics.
 */
export function normalizeLocally(
  features: Float32Array,
  dims: number,
  half: number,
  counts: (frame: number) => boolean,
): void {
  const frames = features.length / dims;
  // Prefix sums of x, x² and the count, over the counted frames.
  const sum = new Float64Array((frames + 1) * dims);
  const square = new Float64Array((frames + 1) * dims);
  const n = new Float64Array(frames + 1);
  for (let f = 0; f < frames; f++) {
    const c = counts(f) ? 1 : 0;
    n[f + 1] = n[f]! + c;
    for (let k = 0; k < dims; k++) {
      const x = c ? features[f * dims + k]! : 0;
      sum[(f + 1) * dims + k] = sum[f * dims + k]! + x;
      square[(f + 1) * dims + k] = square[f * dims + k]! + x * x;
    }
  }
  const total = n[frames]!;
  for (let f = 0; f < frames; f++) {
    let a = Math.max(0, f - half);
    let b = Math.min(frames, f + half + 1);
    // Too little speech nearby (the start of a recording, a long pause): widen the window.
    while (n[b]! - n[a]! < Math.min(total, half) && (a > 0 || b < frames)) {
      a = Math.max(0, a - half);
      b = Math.min(frames, b + half);
    }
    const count = n[b]! - n[a]!;
    if (count < 2) continue;
    for (let k = 0; k < dims; k++) {
      const mean = (sum[b * dims + k]! - sum[a * dims + k]!) / count;
      const variance = (square[b * dims + k]! - square[a * dims + k]!) / count - mean * mean;
      const z = variance > 1e-9 ? (features[f * dims + k]! - mean) / Math.sqrt(variance) : 0;
      features[f * dims + k] = Math.min(CLIP, Math.max(-CLIP, z));
    }
  }
}
