import { CEPSTRA } from "./mfcc.ts";
import { placedSpeech } from "./speakers.ts";
import type { SentenceFrames } from "./timings.ts";
import { nearestMean, spreadRows, type VoiceSample, withinScales } from "./warp.ts";

/**
 * Stretches of a text without speaker lines said in another voice than the recording's. A speech
 * and its questions pasted as plain text get one scale for the recording (warp.ts), the main
 * speaker's; a journalist whose voice is 20 % higher was then read against the minister's, and
 * their sentences came out as badly as with no scale at all (docs/ALIGNMENT.md, "Measured", tenth
 * session). With speaker lines each speaker gets their own (speakers.ts); here the text does not
 * say who speaks, so the audio does.
 *
 * After the first search, each placed sentence's speech is matched against the voice's sample at
 * the recording's scale and at a fifth higher and lower, each frame to its nearest (the fit that
 * chooses the scale, which needs no text order). A sentence of the other voice fits the other
 * scale far better (the journalist ×1.2: 0.5–0.85 of the fit at the recording's scale, ×0.85:
 * 0.71–0.92); the recording's own speaker never did (1.0 or more on every fixture sentence, and
 * on the minister's around the journalist). The sentences that fit a scale clearly better are
 * grouped by direction, and each group then gets its scale as a speaker does (speakers.ts).
 */

/** The other scales tried, as factors of the recording's: a fifth higher and lower. */
const FACTORS = [1.2, 1 / 1.2];
/** Another scale wins a sentence when its fit is under this share of the recording's scale's. */
const CLEARLY_BETTER = 0.9;
/** Speech frames compared per sentence, evenly spread over it: enough to tell a fifth apart. */
const FRAMES_PER_SENTENCE = 60;
/** A sentence with less speech than this (frames) is not judged: too few sounds to tell. */
const MIN_SENTENCE_FRAMES = 50;
/**
 * The voice's frames each sentence is matched against, evenly spread over the sample (of about
 * 2,500): 46 minutes' 423 sentences take about 1.2 s with 600. With 400 the journalist ×0.85 lost
 * two of their seven sentences to the recording's scale; with 600 and 800, none.
 */
const VOICE_FRAMES = 600;

export interface StretchInput {
  /** The first search's placements, per sentence. */
  found: (SentenceFrames | null)[];
  /** The recording's cepstra, normalised as the search's (prepare.ts normalizeReal). */
  realCepstra: Float32Array;
  /** Per search frame, its frame in the recording. */
  frameOf: Int32Array;
  speech: (frame: number) => boolean;
  /** The recording's scale. */
  warp: number;
  /** The text's sample as the voice speaks it (the one the recording's scale was chosen with). */
  voice: VoiceSample;
  c0Weight: number;
}

/** Groups of sentences said in a voice higher or lower than the recording's, or null when none. */
export async function otherVoiceGroups(
  input: StretchInput,
): Promise<{ name: string; sentences: number[] }[] | null> {
  const scales = FACTORS.map((f) => Math.round(input.warp * f * 20) / 20).filter(
    (w) => withinScales(w) && w !== input.warp,
  );
  if (scales.length === 0) return null;
  const c0Square = input.c0Weight * input.c0Weight;
  const own = spread(await input.voice.at(input.warp));
  const others = (await Promise.all(scales.map((w) => input.voice.at(w)))).map(spread);
  // Per judged sentence, its fit at each other scale as a share of the recording's scale's.
  const judged: { sentence: number; ratios: number[] }[] = [];
  input.found.forEach((timing, i) => {
    if (!timing) return;
    const sample = speechSample(input, timing);
    if (sample.length < CEPSTRA) return;
    const base = nearestMean(sample, own, c0Square);
    judged.push({ sentence: i, ratios: others.map((voice) => nearestMean(sample, voice, c0Square) / base) });
  });
  // The scale each sentence fits clearly better than the recording's (its index), or -1.
  const label = judged.map(({ ratios }) => {
    let best = -1;
    ratios.forEach((r, k) => {
      if (r < CLEARLY_BETTER && (best < 0 || r < ratios[best]!)) best = k;
    });
    return best;
  });
  // A turn is said in one voice: a sentence between two of the other voice's joins them if it
  // fits that scale better at all (a cough or a noise in it can keep it from fitting clearly).
  const joined = label.map((k, j) =>
    k < 0 &&
    j > 0 &&
    j + 1 < label.length &&
    label[j - 1]! >= 0 &&
    label[j - 1] === label[j + 1] &&
    judged[j]!.ratios[label[j - 1]!]! < 1
      ? label[j - 1]!
      : k,
  );
  const groups = new Map<number, number[]>();
  joined.forEach((k, j) => {
    if (k < 0) return;
    const list = groups.get(scales[k]!) ?? [];
    list.push(judged[j]!.sentence);
    groups.set(scales[k]!, list);
  });
  if (groups.size === 0) return null;
  return [...groups].map(([w, sentences]) => ({
    name: w > input.warp ? "a higher voice" : "a lower voice",
    sentences,
  }));
}

/** Up to VOICE_FRAMES of the voice's frames, evenly spread. */
function spread(voice: Float32Array): Float32Array {
  const frames = voice.length / CEPSTRA;
  return frames <= VOICE_FRAMES
    ? voice
    : spreadRows(
        voice,
        Array.from({ length: frames }, (_, f) => f),
        VOICE_FRAMES,
      );
}

/** Up to FRAMES_PER_SENTENCE of the sentence's speech frames, evenly spread; empty if too few. */
function speechSample(input: StretchInput, timing: SentenceFrames): Float32Array {
  const rows = placedSpeech(timing, input.frameOf, input.speech);
  if (rows.length < MIN_SENTENCE_FRAMES) return new Float32Array(0);
  return spreadRows(input.realCepstra, rows, FRAMES_PER_SENTENCE);
}
