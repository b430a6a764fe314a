import type { TranscriptSegment } from "../../catalogue/types.ts";
import { formatClockTime, parseClockTime } from "../../web/clock-time.ts";
import { addProblem, type FieldProblems, throwIfProblems } from "../../web/form.ts";

export type SegmentTimes = { position: number; start: number | null; end: number | null };

/**
 * Start times typed (or set from the player) for each sentence → start and end of every
 * segment. A sentence ends where the next timed one starts, the last at the end of the
 * recording; an untimed sentence stays untimed. Times must not go backwards.
 */
export function timesFromForm(
  segments: TranscriptSegment[],
  typed: (position: number) => string,
  durationSeconds: number | null,
): SegmentTimes[] {
  const problems: FieldProblems = {};
  let previous = -1;
  const starts = segments.map((segment) => {
    const name = `start_${segment.position}`;
    const value = typed(segment.position).trim();
    if (!value) return null;
    const seconds = parseClockTime(value);
    if (seconds === null) {
      addProblem(problems, name, "editor.error.clock_invalid");
      return null;
    }
    if (durationSeconds !== null && seconds > durationSeconds) {
      addProblem(problems, name, "editor.error.clock_after_end");
    } else if (seconds < previous) {
      addProblem(problems, name, "editor.error.clock_out_of_order");
    }
    previous = Math.max(previous, seconds);
    return seconds;
  });
  throwIfProblems(problems);
  return segments.map((segment, i) => {
    const start = starts[i] ?? null;
    const next = starts.slice(i + 1).find((s) => s !== null) ?? null;
    return { position: segment.position, start, end: start === null ? null : (next ?? durationSeconds) };
  });
}

/** The start field's value for a segment as stored. */
export function typedStart(segment: TranscriptSegment): string {
  return segment.startSeconds === null ? "" : formatClockTime(segment.startSeconds);
}
