import { parseClock, readClock } from "./clock.ts";
import { ClipPointTooFar, InvalidTimecode, MediaError, TimecodeOutOfRange } from "./errors.ts";
import { parseTimecode, type Rational, timecodeAtFrame, timecodeBase, timecodeToFrames } from "./timecode.ts";

export interface ClipRangeContext {
  rate: Rational;
  /** Timecodes typed by a user are read on the master's own clock, as its player shows it. */
  startTimecode: string | null;
  frameCount: number;
}

/** IN is the first frame of the clip; OUT the first frame after it, as in an EDL. */
export interface ClipRange {
  inFrame: number;
  outFrame: number;
}

/**
 * No video runs this long: a point given in seconds beyond it is a mistake, refused as such
 * rather than read as a frame whose timecode wraps past midnight (or, past 2^53, is no number).
 * Timecodes and clock times with hours stop at 24 hours of their own accord.
 */
export const MAX_POINT_HOURS = 100;

/**
 * A point as a user gives it: a timecode on the master's clock ("10:00:12:05"), a clock time on
 * it ("10:00:12.2", "10:00:12,2": hours given), or a time since the start of the video ("12.2",
 * "12,2s", "0:12.2"). Returns a frame number, possibly out of range.
 */
export function parseClipPoint(text: string, context: ClipRangeContext): number {
  const trimmed = text.trim();
  if (trimmed.split(/[:;]/).length === 4) return timecodePoint(trimmed, context);
  const clock = readClock(trimmed);
  if (clock === null) {
    throw new InvalidTimecode(text, "expected a timecode HH:MM:SS:FF, a clock time or a number of seconds");
  }
  if (!clock.hasHours) {
    if (clock.seconds > MAX_POINT_HOURS * 3600) throw new ClipPointTooFar(trimmed, MAX_POINT_HOURS);
    return secondsToFrame(clock.seconds, context.rate);
  }
  // A time of day on the master's clock: the label of the frame showing at that instant.
  const whole = Math.floor(clock.seconds + 1e-9);
  const frames = Math.floor((clock.seconds - whole) * timecodeBase(context.rate) + 1e-6);
  const label = `${Math.floor(whole / 3600)}:${pad(Math.floor(whole / 60) % 60)}:${pad(whole % 60)}:${pad(frames)}`;
  return timecodePoint(label, context);
}

/**
 * A typed start (a transcript sentence's): a timecode on the master's clock (what the player
 * shows), a clock time on it, or seconds from the start, read the way IN/OUT points are. Seconds
 * from the first frame, on the frame's start; null when the text is no time, -1 when it lies
 * before the recording. Without a frame rate, a clock time or seconds.
 */
export function readStart(
  text: string,
  clock: { frameRate: Rational | null; startTimecode: string | null } | null,
): number | null {
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

export function resolveClipRange(inText: string, outText: string, context: ClipRangeContext): ClipRange {
  const inFrame = parseClipPoint(inText, context);
  const outFrame = parseClipPoint(outText, context);
  const first = timecodeAtFrame(context.startTimecode, 0, context.rate);
  const end = timecodeAtFrame(context.startTimecode, context.frameCount, context.rate);
  // Said on the master's clock, as the video's own range is: "200" and "10:03:20:00" read alike.
  // A point the clock cannot show (before its start, or so far on that its label would wrap past
  // midnight and name another moment) is said as it was typed.
  const said = (frame: number, text: string) => {
    const label = frame >= 0 ? timecodeAtFrame(context.startTimecode, frame, context.rate) : null;
    return label !== null && timecodePoint(label, context) === frame ? label : text;
  };
  const params = { in: said(inFrame, inText), out: said(outFrame, outText), first, end };
  if (inFrame < 0 || outFrame > context.frameCount) {
    throw new TimecodeOutOfRange(`clip ${inText}-${outText} is outside the video (${first}-${end})`, params);
  }
  if (outFrame <= inFrame) {
    throw new TimecodeOutOfRange(`clip OUT ${outText} is not after IN ${inText}`, params);
  }
  return { inFrame, outFrame };
}

function timecodePoint(text: string, context: ClipRangeContext): number {
  const typed = parseTimecode(text);
  const start = context.startTimecode === null ? null : parseTimecode(context.startTimecode);
  // A user who types ":" on a drop-frame master still means the label the player showed.
  const dropFrame = typed.dropFrame || (start?.dropFrame ?? false);
  const frames = timecodeToFrames({ ...typed, dropFrame }, context.rate);
  return frames - (start === null ? 0 : timecodeToFrames(start, context.rate));
}

// The frame on screen at that instant; the epsilon absorbs float error so 12.48 s at 25 fps is 312.
function secondsToFrame(seconds: number, rate: Rational): number {
  return Math.floor((seconds * rate.num) / rate.den + 1e-6);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
