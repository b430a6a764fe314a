import { contextFeatures, FEATURE_DIMS } from "./features.ts";
import { CEPSTRA } from "./mfcc.ts";
import { applyStats, type FeatureStats } from "./normalize.ts";
import type { SyntheticText } from "./synth.ts";
import type { SentenceFrames } from "./timings.ts";
import { chooseWarp, sampleSentences, VoiceSample } from "./warp.ts";
import type { TextWord } from "./words.ts";

/**
 * The voice's frequency scale per speaker of the text (warp.ts). A press conference's text has
 * several speakers: the speaker lines, the journalists' questions in the Q&A. One scale for the
 * recording fits whoever speaks most; a woman's questions in a man's press conference were then
 * read against a man's voice. Measured on a fixture scaled by 1.2 (a higher voice) between two as
 * they are, all in the text: its words' median error 263 ms with the one scale (1), against 27 ms
 * for the same clip unscaled (docs/ALIGNMENT.md, "Measured", ninth session).
 *
 * Once the first search has placed the sentences, each speaker's scale is chosen on the frames
 * their sentences were placed on, and their sentences are spoken again at it: same audio from
 * espeak-ng, same frames, only the filter bank differs, so the search's layout does not change.
 * The first search is then made again (align.ts searchRounds), so that the voice adapts along a
 * path made with each speaker's own scale, and the searches after it compare each speaker with
 * their voice.
 */

/** At least this much of a speaker's speech (frames) to choose a scale for them: 3 s. */
const MIN_FRAMES = 300;

/** Sentence indices (with something to say) by speaker, or null when the text has one speaker or none. */
export function speakerGroups(
  sentences: { speaker?: string | null }[],
  spoken: TextWord[][],
): { name: string; sentences: number[] }[] | null {
  const groups = new Map<string, number[]>();
  sentences.forEach((s, i) => {
    const name = s.speaker?.trim();
    if (!name || (spoken[i] ?? []).length === 0) return;
    const list = groups.get(name) ?? [];
    list.push(i);
    groups.set(name, list);
  });
  return groups.size >= 2 ? [...groups].map(([name, list]) => ({ name, sentences: list })) : null;
}

/** The recording's speech frames where the first search placed a sentence, in order. */
export function placedSpeech(
  timing: SentenceFrames,
  frameOf: Int32Array,
  speech: (frame: number) => boolean,
): number[] {
  const frames: number[] = [];
  for (let c = timing.columns[0]; c < timing.columns[1]; c++) {
    const f = frameOf[c]!;
    if (speech(f)) frames.push(f);
  }
  return frames;
}

export interface Rescale {
  groups: { name: string; sentences: number[] }[];
  /** The first search's placements, per sentence. */
  found: (SentenceFrames | null)[];
  /** The recording's cepstra, normalised as the search's (prepare.ts normalizeReal). */
  realCepstra: Float32Array;
  /** Per search frame, its frame in the recording. */
  frameOf: Int32Array;
  speech: (frame: number) => boolean;
  /** The recording's scale, which every sentence has now. */
  warp: number;
  spoken: TextWord[][];
  /** Speaks `sentences` (others empty) at a scale. */
  speak: (sentences: TextWord[][], warp: number, name: string) => Promise<SyntheticText>;
  /** Where each sentence's frames are in `voice`. */
  layout: Pick<SyntheticText, "sentenceStart" | "sentenceFrames">;
  /** The voice's context features (prepare.ts), rewritten in place for a speaker with another scale. */
  voice: Float32Array;
  /** The statistics the voice's cepstra were normalised with. */
  stats: FeatureStats;
  c0Weight: number;
}

/** Chooses each speaker's scale and speaks their sentences again at it; returns the scales. */
export async function rescaleSpeakers(r: Rescale): Promise<Record<string, number>> {
  const warps: Record<string, number> = {};
  const recordingFrames = r.realCepstra.length / CEPSTRA;
  for (const group of r.groups) {
    const mine = new Uint8Array(recordingFrames);
    let count = 0;
    for (const i of group.sentences) {
      const timing = r.found[i];
      if (!timing) continue;
      for (const f of placedSpeech(timing, r.frameOf, r.speech)) {
        count += 1 - mine[f]!;
        mine[f] = 1;
      }
    }
    if (count < MIN_FRAMES) continue;
    const members = new Set(group.sentences);
    const own = r.spoken.map((words, i) => (members.has(i) ? words : []));
    const { warp } = await chooseWarp(
      r.realCepstra,
      (f) => mine[f] === 1,
      new VoiceSample((w) => r.speak(sampleSentences(own), w, `speaker-sample-${w}`)),
      r.c0Weight,
    );
    warps[group.name] = warp;
    if (warp !== r.warp) respeak(r, group.sentences, await r.speak(own, warp, "speaker"));
  }
  return warps;
}

/**
 * Writes the sentences' new features over their old ones. espeak-ng speaks a sentence alike
 * wherever it is in the text, to a frame: where the two differ by a few frames, the new ones are
 * stretched onto the old count (the words' places are the old frames').
 */
function respeak(r: Rescale, sentences: number[], spoken: SyntheticText): void {
  for (const i of sentences) {
    const frames = r.layout.sentenceFrames[i] ?? 0;
    const got = spoken.sentenceFrames[i] ?? 0;
    if (frames === 0 || got === 0 || Math.abs(got - frames) > Math.max(2, 0.05 * frames)) continue;
    const cepstra = new Float32Array(frames * CEPSTRA);
    for (let f = 0; f < frames; f++) {
      const from =
        (spoken.sentenceStart[i]! + Math.round((f * (got - 1)) / Math.max(1, frames - 1))) * CEPSTRA;
      cepstra.set(spoken.cepstra.subarray(from, from + CEPSTRA), f * CEPSTRA);
    }
    applyStats(cepstra, CEPSTRA, r.stats);
    const features = contextFeatures(cepstra, [{ start: 0, frames }], r.c0Weight);
    r.voice.set(features, r.layout.sentenceStart[i]! * FEATURE_DIMS);
  }
}
