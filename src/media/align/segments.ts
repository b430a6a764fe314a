import type { Segment, SentenceSpan } from "./levels.ts";

/**
 * An editor's anchors cut the problem in independent segments: the sentences before an anchored
 * one are searched in the audio before its start, the rest after, with the anchored sentence
 * pinned to begin on its frame. Re-aligning around a corrected sentence is then one call.
 */
export interface Cut {
  sentence: number;
  /** Search frame (not recording frame) the sentence starts on. */
  frame: number;
}

export interface TextSpans {
  sentenceStart: Int32Array;
  sentenceFrames: Int32Array;
  /** Per sentence, what skipping it costs relative to others (words.ts skipWeight). */
  skipWeights: number[];
}

/** The anchors as cuts: each pins its sentence to the first search frame at or after its time. */
export function anchorCuts(anchors: { sentence: number; startFrame: number }[], frameOf: Int32Array): Cut[] {
  return [...anchors]
    .sort((a, b) => a.sentence - b.sentence)
    .map((a) => ({ sentence: a.sentence, frame: firstAtOrAfter(frameOf, a.startFrame) }));
}

export function segmentsAt(cuts: Cut[], text: TextSpans, realFrames: number): Segment[] {
  const all = [{ sentence: 0, frame: 0, anchored: false }, ...cuts.map((c) => ({ ...c, anchored: true }))];
  return all.map((cut, c) => {
    const next = all[c + 1];
    const last = next ? next.sentence : text.sentenceStart.length;
    const sentences: SentenceSpan[] = [];
    for (let i = cut.sentence; i < last; i++) {
      const frames = text.sentenceFrames[i] ?? 0;
      if (frames > 0) {
        sentences.push({
          index: i,
          start: text.sentenceStart[i] ?? 0,
          frames,
          skipWeight: text.skipWeights[i] ?? 1,
        });
      }
    }
    return {
      sentences,
      realStart: cut.frame,
      realEnd: next ? next.frame : realFrames,
      // An anchored sentence with nothing to say has no frame to pin.
      anchored: cut.anchored && sentences[0]?.index === cut.sentence,
    };
  });
}

/** Position of the first value ≥ `frame` in the sorted `frames` (their count if none). */
export function firstAtOrAfter(frames: Int32Array, frame: number): number {
  let lo = 0;
  let hi = frames.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid]! < frame) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
