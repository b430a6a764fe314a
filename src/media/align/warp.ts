import { CEPSTRA } from "./mfcc.ts";
import { normalizeFeatures } from "./normalize.ts";
import type { SyntheticText } from "./synth.ts";
import type { TextWord } from "./words.ts";

/**
 * How far the synthetic voice's frequencies are scaled to fit the speaker (vocal tract length
 * normalisation). espeak-ng speaks with a man's vocal tract; a speaker with a shorter one (most
 * women, a higher voice) has every formant higher by 10–25 %, and then the voice's sounds do not
 * line up with theirs: two of the three English fixtures with every frequency raised by 20 %
 * (ffmpeg, timing unchanged) were refused as "not the audio's text". Read with the voice's filter
 * bank scaled by the same factor (mfcc.ts), the voice's cepstra describe the sounds as that
 * speaker makes them, and the three align as the originals do (docs/ALIGNMENT.md, "Measured",
 * ninth session).
 *
 * The factor is the one under which the recording's speech frames lie closest to the voice's own
 * frames, each to its nearest (a free phone loop: no path, no text order, so no search is needed),
 * on a sample of both. On the fixtures that measure has a single clear minimum: at 1 for the
 * recordings as they are, at the factor applied for the scaled ones (0.85 to 1.3).
 */

const LOWEST = 0.8;
const HIGHEST = 1.4;

/** Whether a scale lies within the range tried (0.8–1.4): espeak-ng's 22.05 kHz leaves room down to 0.7. */
export function withinScales(warp: number): boolean {
  return warp >= LOWEST - 1e-9 && warp <= HIGHEST + 1e-9;
}
const COARSE_STEP = 0.1;
// On the fixtures, scales 5 % apart differ in fit by 1–3 %; the French reader fits 1.05 by 1 %
// better than 1, and aligned with it one sentence of seven moved 0.5 s off.
const KEEP_PLAIN = 0.03;
/**
 * The sample: enough of both sides for the minimum to stand out, little enough to take under a
 * second for any length. Measured on the fixtures, a 5 % step is as fine as is worth it: 2 % off
 * the best factor already loses as many words as 5 % does (docs/ALIGNMENT.md).
 */
const SAMPLE_WORDS = 120;
const SAMPLE_FRAMES = 1500;

export interface WarpChoice {
  warp: number;
  /** Per factor tried, the sample's mean distance to its nearest frame of the voice. */
  fits: Map<number, number>;
}

/**
 * Picks the voice's frequency scale for this recording. `real`: its cepstra, normalised as the
 * search will see them (normalize.ts); `speech`: which frames are speech; `voice`: the sample of the
 * text as the voice speaks it at each scale; `c0Weight`: as in the features (features.ts).
 */
export async function chooseWarp(
  real: Float32Array,
  speech: (frame: number) => boolean,
  voice: VoiceSample,
  c0Weight: number,
): Promise<WarpChoice> {
  const sample = realSample(real, speech);
  const fits = new Map<number, number>();
  const fitAt = async (warp: number): Promise<number> => {
    const key = Math.round(warp * 100) / 100;
    const known = fits.get(key);
    if (known !== undefined) return known;
    const value = nearestMean(sample, await voice.at(key), c0Weight * c0Weight);
    fits.set(key, value);
    return value;
  };
  // The fit falls smoothly to one minimum and rises again (on the fixtures, raised or lowered):
  // climb from 1 by COARSE_STEP while it improves, then look half a step either side. Each factor
  // tried costs about 0.1 s on a short text (espeak-ng and the cepstra of the sample).
  const plain = await fitAt(1);
  let best = 1;
  let bestFit = plain;
  for (const direction of [1, -1]) {
    for (let k = 1; withinScales(1 + direction * k * COARSE_STEP); k++) {
      const w = 1 + direction * k * COARSE_STEP;
      const value = await fitAt(w);
      if (value >= bestFit) break;
      best = w;
      bestFit = value;
    }
    if (best !== 1) break;
  }
  // Half a step either side only when the voice moves: next to 1 a half step would have to fit 3 %
  // better than 1 to be kept (KEEP_PLAIN), and on the fixtures it fits 1–4 % worse (the French
  // reader's 1.05, 1 % better, is not kept either way).
  const halves = best === 1 ? [] : [best - COARSE_STEP / 2, best + COARSE_STEP / 2];
  for (const w of halves) {
    if (!withinScales(w)) continue;
    const value = await fitAt(w);
    if (value < bestFit) {
      best = w;
      bestFit = value;
    }
  }
  // The voice as espeak-ng speaks it is what the method's prices were tuned on: it is kept unless
  // another scale fits clearly better than it.
  if (bestFit > plain * (1 - KEEP_PLAIN)) best = 1;
  return { warp: Math.round(best * 100) / 100, fits };
}

/**
 * A sample of the text as the voice speaks it at each scale asked for: its sounding frames,
 * normalised (voiceFrames), spoken once per scale however often asked.
 */
export class VoiceSample {
  private readonly spoken = new Map<number, Promise<Float32Array>>();

  constructor(private readonly speak: (warp: number) => Promise<SyntheticText>) {}

  at(warp: number): Promise<Float32Array> {
    const key = Math.round(warp * 100) / 100;
    let frames = this.spoken.get(key);
    if (!frames) {
      frames = this.speak(key).then(voiceFrames);
      this.spoken.set(key, frames);
    }
    return frames;
  }
}

/** Sentences spread over the text, up to SAMPLE_WORDS words in all: the sample the voice speaks. */
export function sampleSentences(sentences: TextWord[][]): TextWord[][] {
  const spoken = sentences.filter((s) => s.length > 0);
  const total = spoken.reduce((sum, s) => sum + s.length, 0);
  if (total <= SAMPLE_WORDS) return spoken;
  // Sentences evenly spaced, so that a long text's beginning (its greetings) is not all there is;
  // an unpunctuated paragraph is one sentence of thousands of words, of which the start will do.
  const count = Math.max(1, Math.round((spoken.length * SAMPLE_WORDS) / total));
  return Array.from({ length: count }, (_, i) =>
    spoken[Math.floor(((i + 0.5) / count) * spoken.length)]!.slice(0, SAMPLE_WORDS),
  );
}

/** Up to SAMPLE_FRAMES speech frames of the recording, evenly spread. */
function realSample(real: Float32Array, speech: (frame: number) => boolean): Float32Array {
  const frames = real.length / CEPSTRA;
  const rows: number[] = [];
  for (let f = 0; f < frames; f++) if (speech(f)) rows.push(f);
  return spreadRows(real, rows, SAMPLE_FRAMES);
}

/** The cepstra of up to `most` of `rows` (frames of `source`), evenly spread over them. */
export function spreadRows(source: Float32Array, rows: readonly number[], most: number): Float32Array {
  const count = Math.min(rows.length, most);
  const out = new Float32Array(count * CEPSTRA);
  for (let i = 0; i < count; i++) {
    const f = rows[Math.floor(((i + 0.5) / count) * rows.length)]!;
    out.set(source.subarray(f * CEPSTRA, f * CEPSTRA + CEPSTRA), i * CEPSTRA);
  }
  return out;
}

/** The voice's sounding frames, normalised over themselves as the whole voice will be (prepare.ts). */
function voiceFrames(text: SyntheticText): Float32Array {
  const sounding = (f: number): boolean => (text.levels[f] ?? -120) > -50;
  normalizeFeatures(text.cepstra, CEPSTRA, sounding);
  const rows: number[] = [];
  for (let f = 0; f < text.frames; f++) if (sounding(f)) rows.push(f);
  const out = new Float32Array(rows.length * CEPSTRA);
  rows.forEach((f, i) => {
    out.set(text.cepstra.subarray(f * CEPSTRA, f * CEPSTRA + CEPSTRA), i * CEPSTRA);
  });
  return out;
}

/** Mean over `sample` of the squared distance to its nearest frame of `voice`, c0 weighted by `c0Square`. */
export function nearestMean(sample: Float32Array, voice: Float32Array, c0Square: number): number {
  const n = sample.length / CEPSTRA;
  const m = voice.length / CEPSTRA;
  if (n === 0 || m === 0) return Number.POSITIVE_INFINITY;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const at = i * CEPSTRA;
    let best = Number.POSITIVE_INFINITY;
    for (let j = 0; j < m; j++) {
      const to = j * CEPSTRA;
      const d0 = sample[at]! - voice[to]!;
      let d = c0Square * d0 * d0;
      // Most frames are far: stop adding once past the best so far.
      for (let k = 1; k < CEPSTRA && d < best; k++) {
        const x = sample[at + k]! - voice[to + k]!;
        d += x * x;
      }
      if (d < best) best = d;
    }
    total += best;
  }
  return total / n / CEPSTRA;
}
