import type { TranscriptSegment } from "../catalogue/types.ts";
import type { MasterView } from "../catalogue/view-models.ts";
import { timecodeLabel } from "../catalogue/views/format.ts";
import { isAnnotation } from "../media/align/index.ts";
import { readStart } from "../media/clip-range.ts";
import { formatClock } from "../media/clock.ts";
import { addProblem, type FieldProblems, throwIfProblems } from "../web/form.ts";

export type SegmentTimes = { position: number; start: number | null; end: number | null };

/** The clock an item's times are shown and typed on: its master's timecode, when its frame rate is known. */
export type ItemClock = Pick<MasterView, "frameRate" | "startTimecode">;

// How a typed start is read: the IN/OUT points' reader (shared with the timing page's island).
export { readStart } from "../media/clip-range.ts";

/**
 * How many of these lines are sentences: a note to the reader ("(As delivered)", `isAnnotation`)
 * is not one, so neither counted among them nor one to check, whatever an older timing stored.
 */
export function sentenceCount(texts: readonly string[]): number {
  return texts.filter((text) => !isAnnotation(text)).length;
}

/** A stored time as the fields and tables show it: the master's timecode, or a clock time to the millisecond. */
export function showTime(seconds: number, clock: ItemClock | null): string {
  return clock?.frameRate ? timecodeLabel(seconds, clock) : formatClock(seconds, 3);
}

/**
 * Start times typed (or set from the player) for each sentence → start and end of every
 * segment. Each language of a bilingual transcript is its own sequence: a sentence ends where the
 * next timed one of its language starts, the last at the end of the recording, unless its stored
 * end still lies between its start and that one and was not merely the next start as stored (the
 * aligner's end, before a pause, is kept: saving the page must not stretch every sentence over
 * the pause after it, nor a French sentence up to the next English one). An untimed sentence
 * stays untimed. Times must not go backwards within a language. A note to the reader ("(As
 * delivered)", `isAnnotation`) is not a sentence: the page gives it no start field, and it keeps
 * whatever times it has (a subtitle file's cue), out of its neighbours' sequence.
 */
export function timesFromForm(
  segments: TranscriptSegment[],
  typed: (position: number) => string,
  durationSeconds: number | null,
  clock: ItemClock | null,
): SegmentTimes[] {
  const problems: FieldProblems = {};
  const previous = new Map<string, number>();
  const notes = segments.map((segment) => isAnnotation(segment.text));
  const starts = segments.map((segment, i) => {
    if (notes[i]) return null;
    const name = `start_${segment.position}`;
    const value = typed(segment.position).trim();
    if (!value) return null;
    const seconds = readStart(value, clock);
    if (seconds === null || seconds < 0) {
      addProblem(
        problems,
        name,
        seconds === null ? "editor.error.clock_invalid" : "editor.error.clock_before_start",
      );
      return null;
    }
    const before = previous.get(segment.lang) ?? -1;
    if (durationSeconds !== null && seconds > durationSeconds) {
      addProblem(problems, name, "editor.error.clock_after_end");
    } else if (seconds < before) {
      addProblem(problems, name, "editor.error.clock_out_of_order");
    }
    previous.set(segment.lang, Math.max(before, seconds));
    return seconds;
  });
  throwIfProblems(problems);
  const nextOf = (i: number, startOf: (j: number) => number | null): number | null => {
    for (let j = i + 1; j < segments.length; j++) {
      if (segments[j]!.lang !== segments[i]!.lang || notes[j]) continue;
      const start = startOf(j);
      if (start !== null) return start;
    }
    return null;
  };
  return segments.map((segment, i) => {
    if (notes[i]) return { position: segment.position, start: segment.startSeconds, end: segment.endSeconds };
    const start = starts[i] ?? null;
    if (start === null) return { position: segment.position, start, end: null };
    const next = nextOf(i, (j) => starts[j] ?? null) ?? durationSeconds;
    const stored = segment.endSeconds;
    const storedNext = nextOf(i, (j) => segments[j]!.startSeconds) ?? durationSeconds;
    const keep =
      stored !== null && stored > start && (next === null || stored <= next) && stored !== storedNext;
    return { position: segment.position, start, end: keep ? stored : next };
  });
}

/** The start field's value for a segment as stored. */
export function typedStart(segment: TranscriptSegment, clock: ItemClock | null): string {
  return segment.startSeconds === null ? "" : showTime(segment.startSeconds, clock);
}
