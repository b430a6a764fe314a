import { CEPSTRA, MEL_BANDS } from "./mfcc.ts";

/**
 * The smoothed log-mel spectrum of a frame, rebuilt from its 13 cepstra (an inverse DCT). Only
 * cepstra are kept for the whole recording (5 MB an hour against 13 MB for the mel bands), and
 * the smoothing is what the level detector wants anyway: the spectral envelope, not its ripples.
 */
export function inverseDct(): Float32Array {
  const basis = new Float32Array(MEL_BANDS * CEPSTRA);
  for (let b = 0; b < MEL_BANDS; b++) {
    for (let c = 0; c < CEPSTRA; c++) {
      basis[b * CEPSTRA + c] =
        ((c === 0 ? 1 : 2) * Math.cos((Math.PI * c * (b + 0.5)) / MEL_BANDS)) / MEL_BANDS;
    }
  }
  return basis;
}

/** Frame `frame`'s log-mel values, in dB, into `out` (MEL_BANDS long). */
export function logMelDb(cepstra: Float32Array, frame: number, basis: Float32Array, out: Float32Array): void {
  for (let b = 0; b < MEL_BANDS; b++) {
    let v = 0;
    for (let c = 0; c < CEPSTRA; c++) v += basis[b * CEPSTRA + c]! * cepstra[frame * CEPSTRA + c]!;
    out[b] = v * 4.343; // natural log of power → dB
  }
}
