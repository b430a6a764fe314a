import type { TranscriptSegment } from "../catalogue/types.ts";
import type { MasterView } from "../catalogue/view-models.ts";
import { timecodeLabel } from "../catalogue/views/format.ts";
import { parseClipPoint } from "../media/clip-range.ts";
import { formatClock, parseClock } from "../media/clock.ts";
import { MediaError } from "../media/errors.ts";
import { addProblem, type FieldProblems, throwIfProblems } from "../web/form.ts";

export type SegmentTimes = { position: number; start: number | null; end: number | null };

/** The clock an item's times are shown and typed on: its master's timecode, when its frame rate is known. */
export type ItemClock = Pick<MasterView, "frameRate" | "startTimecode">;

/**
 * A typed start: a timecode on the master's clock (what the player shows), a clock time on it,
 * or seconds from the start, read the way IN/OUT points are. Seconds from the first frame, on
 * the frame's start; null when the text is no time, -1 when it lies before the recording.
 */
export function readStart(text: string, clock: ItemClock | null): number | null {
  const rate = clock?.frameRate;
  if (!rate) return parseClock(text);
  try {
    const frame = parseClipPoint(text, {
      rate,
      startTimecode: clock.startTimecode,
      frameCount: Number.MAX_SAFE_INTEGER,
    });
    return frame < 0 ? -1 : (frame * rate.den) / rate.num;
  } catch (error) {
    if (error instanceof MediaError) return null;
    throw error;
  }
}

/** A stored time as the fields and tables show it: the master's timecode, or a clock time to the millisecond. */
export function showTime(seconds: number, clock: ItemClock | null): string {
  return clock?.frameRate ? timecodeLabel(seconds, clock) : formatClock(seconds, 3);
}

/**
 * Start times typed (or set from the player) for each sentence → start and end of every
 * segment. A sentence ends where the next timed one starts, the last at the end of the
 * recording; an untimed sentence stays untimed. Times must not go backwards.
 */
export function timesFromForm(
  segments: TranscriptSegment[],
  typed: (position: number) => string,
  durationSeconds: number | null,
  clock: ItemClock | null,
): SegmentTimes[] {
  const problems: FieldProblems = {};
  let previous = -1;
  const starts = segments.map((segment) => {
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
export function typedStart(segment: TranscriptSegment, clock: ItemClock | null): string {
  return segment.startSeconds === null ? "" : showTime(segment.startSeconds, clock);
}
