import { RealFft } from "./fft.ts";
import { FrameStore } from "./frames.ts";

/**
 * Mel-frequency cepstra, 10 ms apart over 25 ms Hamming windows, the classic speech front end: it
 * keeps the shape of the vocal tract (what phones differ by) and drops pitch and loudness (what a
 * synthetic voice and a speaker differ by). Frames are computed as samples arrive, so an hour of
 * audio never sits in memory: only its cepstra do (13 floats a frame, 5 MB an hour).
 */
export const HOP_SECONDS = 0.01;
const WINDOW_SECONDS = 0.025;
export const CEPSTRA = 13;
export const MEL_BANDS = 32;
// Real audio is decoded at 16 kHz and espeak-ng speaks at 22.05 kHz: the same band on both keeps
// their cepstra comparable (7.6 kHz leaves room for the resampler's roll-off).
const LOW_HZ = 100;
const HIGH_HZ = 7600;
const PRE_EMPHASIS = 0.97;

export interface FrameSink {
  /** Cepstra c0…c12 of one frame, and its level in dB relative to full scale. */
  frame(cepstra: Float64Array, levelDb: number): void;
}

export class MfccExtractor {
  readonly sampleRate: number;
  private readonly hop: number;
  private readonly window: Float64Array;
  private readonly fft: RealFft;
  private readonly filters: { first: number; weights: Float64Array }[];
  private readonly dct: Float64Array;
  private readonly buffer: Float64Array;
  private readonly frameIn: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly mel: Float64Array;
  private readonly cepstra = new Float64Array(CEPSTRA);
  private readonly sink: FrameSink;
  private filled = 0;
  private consumed = 0; // samples dropped from the front of `buffer` so far
  private nextFrame = 0; // index of the next frame to emit
  private previous = 0; // last raw sample, for pre-emphasis across pushes
  private seed = 1; // of the dither

  /**
   * `warp` > 1 reads the audio as a speaker with formants that much higher would say it: the
   * filter bank's frequencies are divided by it, so the band at f hears what that speaker has at
   * f × warp (warp.ts). espeak-ng's 22.05 kHz leaves room for the 7.6 kHz top band down to 0.7.
   */
  constructor(sampleRate: number, sink: FrameSink, warp = 1) {
    this.sampleRate = sampleRate;
    this.sink = sink;
    this.hop = sampleRate * HOP_SECONDS; // fractional at 22.05 kHz: frames start at round(n × hop)
    const length = Math.round(sampleRate * WINDOW_SECONDS);
    let size = 4;
    while (size < length) size *= 2;
    this.fft = new RealFft(size);
    this.window = new Float64Array(length);
    for (let i = 0; i < length; i++)
      this.window[i] = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (length - 1));
    this.buffer = new Float64Array(length + Math.ceil(this.hop) + 8192);
    this.frameIn = new Float64Array(size);
    this.spectrum = new Float64Array(size / 2 + 1);
    this.filters = melFilters(size, sampleRate, warp);
    this.mel = new Float64Array(MEL_BANDS);
    this.dct = new Float64Array(CEPSTRA * MEL_BANDS);
    for (let c = 0; c < CEPSTRA; c++) {
      for (let b = 0; b < MEL_BANDS; b++)
        this.dct[c * MEL_BANDS + b] = Math.cos((Math.PI * c * (b + 0.5)) / MEL_BANDS);
    }
  }

  /** Samples in −1…1, pre-emphasised here. */
  push(samples: ArrayLike<number>): void {
    let offset = 0;
    while (offset < samples.length) {
      const room = this.buffer.length - this.filled;
      const take = Math.min(room, samples.length - offset);
      for (let i = 0; i < take; i++) {
        // Dither at −80 dBFS: digital silence (espeak-ng's closures, a muted stretch of a recording)
        // becomes faint white noise with a cepstrum of its own, instead of a flat spectrum whose
        // cepstrum (all zeros) sits in the middle of every speech sound after normalisation.
        this.seed = (Math.imul(this.seed, 1_664_525) + 1_013_904_223) >>> 0;
        const x = samples[offset + i]! + (this.seed / 4_294_967_296 - 0.5) * 2e-4;
        this.buffer[this.filled + i] = x - PRE_EMPHASIS * this.previous;
        this.previous = x;
      }
      this.filled += take;
      offset += take;
      this.drain();
    }
  }

  /** Frames emitted so far. */
  get frames(): number {
    return this.nextFrame;
  }

  /** Starts a new, independent frame grid (the next synthetic sentence) without carrying samples over. */
  reset(): void {
    this.seed = 1;
    this.filled = 0;
    this.consumed = 0;
    this.nextFrame = 0;
    this.previous = 0;
  }

  /** Emits the last frames over what is left, padded with silence, so frames cover every sample. */
  flush(): void {
    const end = this.consumed + this.filled;
    for (;;) {
      const start = Math.round(this.nextFrame * this.hop) - this.consumed;
      if (start + this.consumed >= end - this.hop / 2) break;
      this.buffer.fill(0, this.filled, start + this.window.length);
      this.filled = start + this.window.length;
      this.drain();
    }
  }

  private drain(): void {
    const length = this.window.length;
    for (;;) {
      const start = Math.round(this.nextFrame * this.hop) - this.consumed;
      if (start + length > this.filled) break;
      this.compute(start);
      this.nextFrame++;
    }
    // Keep only what the next frame needs.
    const keepFrom = Math.round(this.nextFrame * this.hop) - this.consumed;
    if (keepFrom > 0) {
      this.buffer.copyWithin(0, keepFrom, this.filled);
      this.filled -= keepFrom;
      this.consumed += keepFrom;
    }
  }

  private compute(start: number): void {
    const { window, frameIn, spectrum, mel, cepstra } = this;
    let energy = 0;
    for (let i = 0; i < window.length; i++) {
      const x = this.buffer[start + i]!;
      energy += x * x;
      frameIn[i] = x * window[i]!;
    }
    this.fft.powerSpectrum(frameIn, spectrum);
    // Normalised by the window length so both sample rates give the same levels.
    const scale = 1 / window.length;
    for (let b = 0; b < MEL_BANDS; b++) {
      const { first, weights } = this.filters[b]!;
      let sum = 0;
      for (let i = 0; i < weights.length; i++) sum += weights[i]! * spectrum[first + i]!;
      // The floor (−100 dB) stands in for silence: espeak-ng writes exact zeros, which have no logarithm.
      mel[b] = Math.log(sum * scale + 1e-10);
    }
    for (let c = 0; c < CEPSTRA; c++) {
      let sum = 0;
      for (let b = 0; b < MEL_BANDS; b++) sum += this.dct[c * MEL_BANDS + b]! * mel[b]!;
      cepstra[c] = sum;
    }
    this.sink.frame(cepstra, 10 * Math.log10(energy / window.length + 1e-12));
  }
}

function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/** Triangular filters evenly spaced in mel, each kept as its first bin and weights (most are zero). */
function melFilters(
  size: number,
  sampleRate: number,
  warp: number,
): { first: number; weights: Float64Array }[] {
  const low = hzToMel(LOW_HZ);
  const high = hzToMel(HIGH_HZ);
  const edges = Array.from(
    { length: MEL_BANDS + 2 },
    (_, i) => melToHz(low + ((high - low) * i) / (MEL_BANDS + 1)) / warp,
  );
  const binHz = sampleRate / size;
  const filters: { first: number; weights: Float64Array }[] = [];
  for (let b = 0; b < MEL_BANDS; b++) {
    const left = edges[b]!;
    const centre = edges[b + 1]!;
    const right = edges[b + 2]!;
    const first = Math.ceil(left / binHz);
    const last = Math.min(size / 2, Math.floor(right / binHz));
    const weights = new Float64Array(Math.max(1, last - first + 1));
    for (let k = first; k <= last; k++) {
      const hz = k * binHz;
      weights[k - first] = hz <= centre ? (hz - left) / (centre - left) : (right - hz) / (right - centre);
    }
    filters.push({ first, weights });
  }
  return filters;
}

/** A sink that keeps every frame, as cepstra and levels, in growing typed arrays. */
export class FeatureCollector implements FrameSink {
  readonly cepstra: FrameStore;
  readonly levels: FrameStore;

  constructor(expectedFrames = 1024) {
    this.cepstra = new FrameStore(CEPSTRA, expectedFrames);
    this.levels = new FrameStore(1, expectedFrames);
  }

  frame(cepstra: Float64Array, levelDb: number): void {
    this.cepstra.push(cepstra);
    this.levels.pushOne(levelDb);
  }
}
