import { formatClock } from "../../media/clock.ts";
import { type Rational, timecodeAtFrame } from "../../media/timecode.ts";

/**
 * Frame arithmetic for the player, shared with the server's timecode code so the page, the
 * player and the cutter agree on every label (drop-frame included).
 */
export type { Rational };

/** The frame showing at `seconds` into the preview (which starts at the master's first frame). */
export function frameAt(seconds: number, rate: Rational): number {
  // The small epsilon absorbs float error when the time is exactly a frame's start.
  return Math.max(0, Math.floor((seconds * rate.num) / rate.den + 1e-6));
}

/** A time well inside the frame, so a seek never lands on the boundary of its neighbour. */
export function secondsOfFrame(frame: number, rate: Rational): number {
  return ((frame + 0.5) * rate.den) / rate.num;
}

export function timecodeOf(frame: number, rate: Rational, startTimecode: string | null): string {
  try {
    return timecodeAtFrame(startTimecode, frame, rate);
  } catch {
    return timecodeAtFrame(null, frame, rate);
  }
}

/** HH:MM:SS from seconds, for previews whose frame rate is unknown. */
export const clock = (seconds: number): string => formatClock(seconds);
