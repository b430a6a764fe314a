import { withClosures } from "./drawn-out.ts";
import { TextNotMatching } from "./errors.ts";
import { HOP_SECONDS } from "./mfcc.ts";
import { frameToSeconds, type SentenceFrames } from "./timings.ts";
import type { AlignTuning } from "./tuning.ts";
import type { AlignedSentence } from "./types.ts";
import type { TextWord } from "./words.ts";

/**
 * A sentence as the editor sees it. Its confidence is its order margin (verify.ts) scaled so that
 * a typical margin of a sentence on its own audio reads as sure; below `unsureBelow` it is
 * "unsure": placed, but the audio there would fit other speech about as well. A sentence the
 * search skipped is "unspoken", with no times: it is not stretched over whatever is there; so is
 * a heading (words.ts) placed without that evidence.
 */
const HEADING_MIN_FRAMES = 100;
// A sentence the path raced through, matching under a quarter of the voice's frames (timings.ts
// `coverage`), was not said there: a line never spoken that the path crossed in a flash ("Check
// against delivery.", 0.09 of its frames, on the bench's 46 minutes). Spoken sentences there
// matched 0.57 of them or more, placed well or not.
const RACED_SHARE = 0.25;

export function describeSentence(
  timing: SentenceFrames | null,
  margin: number,
  words: TextWord[],
  heading: { is: boolean; frames: number },
  tuning: AlignTuning,
  lang: "en" | "fr",
): AlignedSentence {
  // A heading is mostly not read out: placed without evidence, or too short to tell (under a
  // second of speech: "Q&A" fits the first words of whatever follows), it is taken as not read.
  const doubtful = heading.is && (margin < tuning.unsureBelow || heading.frames < HEADING_MIN_FRAMES);
  const raced = timing !== null && timing.coverage < RACED_SHARE;
  if (timing === null || words.length === 0 || doubtful || raced) {
    return { start: null, end: null, words: [], confidence: 0, status: "unspoken" };
  }
  const confidence = Math.round(Math.min(1, Math.max(0, margin / tuning.sureAt)) * 100) / 100;
  const read = words.map((_, i) => timing.words[i]?.start ?? timing.start);
  const starts = withClosures(read, words, lang);
  // A word ends where it was read to end, or where the next now begins if that moved back into it.
  const endOf = (i: number): number => {
    const end = timing.words[i]?.end ?? timing.end;
    const next = starts[i + 1];
    return next !== undefined && next < read[i + 1]! ? Math.min(end, next) : end;
  };
  return {
    start: frameToSeconds(timing.start),
    end: frameToSeconds(timing.end),
    words: words.map((w, i) => ({
      text: w.text,
      start: frameToSeconds(starts[i]!),
      end: frameToSeconds(endOf(i)),
    })),
    confidence,
    status: margin < tuning.unsureBelow ? "unsure" : "aligned",
  };
}

/**
 * Another speech's text, or a text in the wrong language, is placed somewhere too (the search
 * always finds its best), but it hardly fits its places better than the same sounds in reverse:
 * when the text's order margin, averaged over its speakable sentences by length (unspoken ones
 * counting 0), is under `notMatchingBelow`, the text is not this audio's and the editor is told so
 * rather than given times that mean nothing. On the fixtures: 7–14 % for their own texts, 2–4 %
 * for another text; 5 % for the long composed recording of the bench, where many sentences are
 * misplaced.
 */
export function checkMatch(margins: number[], sentenceFrames: Int32Array, tuning: AlignTuning): void {
  let total = 0;
  let sum = 0;
  margins.forEach((margin, i) => {
    const frames = sentenceFrames[i] ?? 0;
    total += frames;
    sum += frames * Math.max(-0.1, Math.min(0.3, margin));
  });
  if (total > 0 && sum / total < tuning.notMatchingBelow) {
    throw new TextNotMatching("the text does not fit the audio better than another text would", {
      marginPercent: Math.round((1000 * sum) / total) / 10,
    });
  }
}

/**
 * An editor's anchor is where its sentence starts, as typed. The search pins the sentence to the
 * first search frame at or after it, and reading the path may then move the start onto the sound
 * (a start typed in the pause before a sentence came back 0.6 s later, where its sound begins);
 * the editor's time is theirs to set. The sentence's first word starts there too.
 */
export function keepAnchors(
  sentences: AlignedSentence[],
  anchors: readonly { sentence: number; startSeconds: number }[],
): void {
  for (const anchor of anchors) {
    const sentence = sentences[anchor.sentence];
    if (!sentence || sentence.start === null) continue;
    sentence.start = anchor.startSeconds;
    const first = sentence.words[0];
    if (!first) continue;
    first.start = anchor.startSeconds;
    // A start moved later than the word's end (typed after the sound began) keeps the word a frame long.
    first.end = Math.max(first.end, frameToSeconds(Math.round(anchor.startSeconds / HOP_SECONDS) + 1));
    if (sentence.end !== null) sentence.end = Math.max(sentence.end, first.end);
  }
}
