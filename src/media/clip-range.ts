import { InvalidTimecode, TimecodeOutOfRange } from "./errors.ts";
import { parseTimecode, type Rational, timecodeAtFrame, timecodeToFrames } from "./timecode.ts";

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

const SECONDS = /^(\d+(?:\.\d+)?)s?$/;
const CLOCK = /^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$/;

/**
 * A point as a user gives it: a timecode on the master's clock ("10:00:12:05"), or a time since
 * the start of the video ("12.2", "12.2s", "0:12.2"). Returns a frame number, possibly out of range.
 */
export function parseClipPoint(text: string, context: ClipRangeContext): number {
  const trimmed = text.trim();
  if (trimmed.split(/[:;]/).length === 4) return timecodePoint(trimmed, context);
  const seconds = SECONDS.exec(trimmed);
  if (seconds !== null) return secondsToFrame(Number(seconds[1]), context.rate);
  const clock = CLOCK.exec(trimmed);
  if (clock !== null) {
    const [, hours, minutes, secs] = clock;
    if (Number(minutes) > 59 || Number(secs) >= 60) {
      throw new InvalidTimecode(text, "minutes and seconds must be below 60");
    }
    return secondsToFrame(Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(secs), context.rate);
  }
  throw new InvalidTimecode(text, "expected a timecode HH:MM:SS:FF or a number of seconds");
}

export function resolveClipRange(inText: string, outText: string, context: ClipRangeContext): ClipRange {
  const inFrame = parseClipPoint(inText, context);
  const outFrame = parseClipPoint(outText, context);
  const first = timecodeAtFrame(context.startTimecode, 0, context.rate);
  const end = timecodeAtFrame(context.startTimecode, context.frameCount, context.rate);
  const params = { in: inText, out: outText, first, end };
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
