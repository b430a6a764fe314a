import { inverseDct, logMelDb } from "./mel.ts";
import { CEPSTRA, MEL_BANDS } from "./mfcc.ts";

/**
 * How much each 10 ms frame of the real audio sounds like speech, from its spectrum and level
 * alone: the mean, over 32 mel bands, of how many dB the band stands above its own noise floor
 * (its 10th percentile over the recording), which still sees quiet speech over a noisy room where
 * a level meter sees only the hiss; times how much the level moves around the frame, since
 * speech rises and falls with its syllables and a tone, a held chord or steady noise does not.
 *
 * A sound whose spectrum leans to the highs for half a second (applause, hiss) is not speech
 * however it moves: the text was laid over applause before a speaker's first words.
 *
 * It prices frames (background costs little in a gap, sound not in the text costs more) and,
 * where it is surely silence for a while, takes the frames out of the search: a long pause can
 * then never be matched to a word, and what follows it starts on its onset. Speech that is not
 * the text's (an interpreter, a question) is told apart later, by the search.
 */
export interface SpeechActivity {
  /** Per frame, 0 (background) … 1 (clearly moving sound above it). */
  speechiness: Float32Array;
  /**
   * Likewise, against the background around the frame (±5 s) where that is louder than the
   * recording's quietest: a clip whose room is noisier than the rest of the recording (digital
   * silence at the start, a quieter microphone later) has its pauses heard as pauses. What the
   * timings are read with (timings.ts); the search keeps `speechiness`, on which it was tuned.
   */
  foreground: Float32Array;
  /** Per frame, 1 when kept in the search (not inside a long silence). */
  kept: Uint8Array;
  peakDb: number;
  /** Share of frames clearly above the background. */
  share: number;
}

// Below this the track is silent whatever its shape (−55 dBFS is a quiet room through a mic at rest).
const SILENT_PEAK_DB = -55;
// dB above the band floors: below LOW is background, above HIGH clearly sound.
const LOW_DB = 2.5;
const HIGH_DB = 6.5;
// Under this, for at least LONG_SILENCE frames, it is a pause to leave out (3 frames kept at each edge).
const SILENCE_DB = 1.5;
const LONG_SILENCE = 25;
const EDGE = 3;
// How much the level moves from one frame to the next-but-one, on average over ±250 ms: under
// 0.5 dB a steady sound (a tone, a held chord, hiss), from 1.2 dB it moves like speech. A mean of
// small steps, so that a single jump (a tone stopping) does not count as movement.
const SWING_HALF = 25;
const STEADY_DB = 0.5;
const SPEECH_SWING_DB = 1.2;
// The background around a frame: the quietest tenth of the smoothed level above the floors within
// ±5 s. Noise at the floor stands about 2 dB above it (LOW_DB covers that); only what the local
// background adds beyond LOW_DB is taken off. The timings read with it instead of `speechiness`
// (the bench's composed recordings, 21 / 46 minutes): sentences within 500 ms 84 → 87 % / 88.5 %
// (unchanged), within 250 ms 73 → 76 % at 46 minutes. The search priced with it instead lost its
// way (46 minutes: 57 %): its costs were tuned on `speechiness`.
const LOCAL_HALF = 500;
const LOCAL_SHARE = 0.1;
// Applause, hiss, rain on a roof: a spectrum that rises towards the high frequencies for half a
// second. Speech puts most of its energy low (vowels), and even its fricatives come between
// vowels: over ±250 ms its c1 stays above −48 (the bench's speakers, 0.1 % of speech frames
// lower; the composed recording's applause −64 to −62). From HISS_TILT down by HISS_SPAN it is
// taken for background more and more.
const HISS_TILT = -52;
const HISS_SPAN = 6;

export function detectSpeech(cepstra: Float32Array, levels: Float32Array): SpeechActivity {
  const frames = levels.length;
  const speechiness = new Float32Array(frames);
  const foreground = new Float32Array(frames);
  const kept = new Uint8Array(frames).fill(1);
  const peakDb = percentile(
    sampled(frames, (j) => levels[j]!),
    0.98,
  );
  if (frames === 0 || peakDb < SILENT_PEAK_DB) return { speechiness, foreground, kept, peakDb, share: 0 };
  const basis = inverseDct();
  const mel = new Float32Array(MEL_BANDS);
  // Typed columns: as arrays of numbers, an hour's sample took 50 MB of the JS heap, which stayed
  // committed through the next steps and raised the aligner's peak.
  const step = stride(frames);
  const samples = Math.ceil(frames / step);
  const columns = Array.from({ length: MEL_BANDS }, () => new Float32Array(samples));
  for (let j = 0, k = 0; j < frames; j += step, k++) {
    logMelDb(cepstra, j, basis, mel);
    for (let b = 0; b < MEL_BANDS; b++) columns[b]![k] = mel[b]!;
  }
  const floor = Float32Array.from(columns, (column) => percentile(column.sort(), 0.1));
  const above = new Float32Array(frames);
  for (let j = 0; j < frames; j++) {
    logMelDb(cepstra, j, basis, mel);
    let sum = 0;
    for (let b = 0; b < MEL_BANDS; b++) sum += Math.max(0, mel[b]! - floor[b]!);
    above[j] = sum / MEL_BANDS;
  }
  // A 50 ms moving average: a stop's burst or a click is not sound on its own.
  const smooth = windowMean(frames, 2, (j) => above[j]!);
  const swing = levelSwing(levels, SWING_HALF);
  const tilt = meanTilt(cepstra, SWING_HALF);
  const local = localBackground(smooth);
  let clear = 0;
  for (let j = 0; j < frames; j++) {
    const loud = clamp01((smooth[j]! - LOW_DB) / (HIGH_DB - LOW_DB));
    const loudHere = clamp01((smooth[j]! - local[j]! - LOW_DB) / (HIGH_DB - LOW_DB));
    const moving = clamp01((swing[j]! - STEADY_DB) / (SPEECH_SWING_DB - STEADY_DB));
    const hiss = clamp01((HISS_TILT - tilt[j]!) / HISS_SPAN);
    speechiness[j] = loud * moving * (1 - hiss);
    foreground[j] = loudHere * moving * (1 - hiss);
    if (smooth[j]! >= HIGH_DB) clear++;
  }
  let run = 0;
  for (let j = 0; j <= frames; j++) {
    if (j < frames && smooth[j]! < SILENCE_DB) {
      run++;
      continue;
    }
    // A few frames are kept at each edge of a silence: the path needs somewhere to turn.
    if (run >= LONG_SILENCE) kept.fill(0, j - run + EDGE, j - EDGE);
    run = 0;
  }
  return { speechiness, foreground, kept, peakDb, share: clear / frames };
}

/** c1 (how the spectrum tilts: negative when the highs dominate), averaged over ±`half` frames. */
function meanTilt(cepstra: Float32Array, half: number): Float32Array {
  return windowMean(cepstra.length / CEPSTRA, half, (j) => cepstra[j * CEPSTRA + 1]!);
}

/**
 * Per frame, how far the background within ±LOCAL_HALF frames stands above that of the quietest
 * part of the recording: the LOCAL_SHARE quantile of `above`, less LOW_DB, never below 0. Sampled
 * every 10th frame and computed every 25 (a 46-minute recording: 11 000 sorts of 100 values).
 */
function localBackground(above: Float32Array): Float32Array {
  const n = above.length;
  const out = new Float32Array(n);
  const picked: number[] = [];
  for (let c = 0; c < n; c += 25) {
    picked.length = 0;
    for (let j = Math.max(0, c - LOCAL_HALF); j < Math.min(n, c + LOCAL_HALF + 1); j += 10)
      picked.push(above[j]!);
    picked.sort((x, y) => x - y);
    out.fill(Math.max(0, percentile(picked, LOCAL_SHARE) - LOW_DB), c, Math.min(n, c + 25));
  }
  return out;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Mean absolute change of the level between frames two apart, over ±`half` frames, by prefix sums. */
function levelSwing(levels: Float32Array, half: number): Float32Array {
  const n = levels.length;
  // Floored: digital silence (−120 dB) next to sound would look like a huge movement.
  const level = (j: number): number => Math.max(-90, levels[Math.min(n - 1, Math.max(0, j))]!);
  return windowMean(n, half, (j) => Math.abs(level(j + 1) - level(j - 1)));
}

/** The mean of `value` over ±`half` frames of each frame (fewer at the edges), by prefix sums. */
function windowMean(n: number, half: number, value: (j: number) => number): Float32Array {
  const sum = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) sum[j + 1] = sum[j]! + value(j);
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const a = Math.max(0, j - half);
    const b = Math.min(n, j + half + 1);
    out[j] = (sum[b]! - sum[a]!) / (b - a);
  }
  return out;
}

// Percentiles from a sample: an hour is 360 000 frames, every 7th is plenty.
function stride(frames: number): number {
  return frames > 20_000 ? 7 : 1;
}

function sampled(frames: number, value: (j: number) => number): number[] {
  const out: number[] = [];
  for (let j = 0; j < frames; j += stride(frames)) out.push(value(j));
  return out.sort((a, b) => a - b);
}

function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? -120;
}
