import { InvalidTimecode } from "./errors.ts";

/** Frame rates are exact fractions: 29.97 is 30000/1001, and floats drift over an hour. */
export interface Rational {
  num: number;
  den: number;
}

export interface Timecode {
  hours: number;
  minutes: number;
  seconds: number;
  frames: number;
  /** Written with ";" before the frames: labels skip so they keep up with 29.97/59.94 wall time. */
  dropFrame: boolean;
}

const TIMECODE = /^(\d{1,2}):(\d{2}):(\d{2})([:;])(\d{2,3})$/;

export function parseTimecode(text: string): Timecode {
  const match = TIMECODE.exec(text.trim());
  if (match === null) throw new InvalidTimecode(text, "expected HH:MM:SS:FF or HH:MM:SS;FF");
  const [, hours, minutes, seconds, separator, frames] = match;
  const timecode = {
    hours: Number(hours),
    minutes: Number(minutes),
    seconds: Number(seconds),
    frames: Number(frames),
    dropFrame: separator === ";",
  };
  if (timecode.hours > 23 || timecode.minutes > 59 || timecode.seconds > 59) {
    throw new InvalidTimecode(text, "hours must be below 24, minutes and seconds below 60");
  }
  return timecode;
}

export function formatTimecode(timecode: Timecode): string {
  const two = (value: number): string => String(value).padStart(2, "0");
  const { hours, minutes, seconds, frames, dropFrame } = timecode;
  return `${two(hours)}:${two(minutes)}:${two(seconds)}${dropFrame ? ";" : ":"}${two(frames)}`;
}

/** The frames-per-second that timecode labels count in: 30 for 29.97, 25 for 25. */
export function timecodeBase(rate: Rational): number {
  return Math.round(rate.num / rate.den);
}

/** Drop-frame exists only for the NTSC rates; 23.976 counts without dropping. */
export function supportsDropFrame(rate: Rational): boolean {
  const base = timecodeBase(rate);
  return rate.den === 1001 && (base === 30 || base === 60);
}

// 2 labels dropped per minute at 29.97, 4 at 59.94, except every tenth minute.
function droppedPerMinute(rate: Rational): number {
  return timecodeBase(rate) / 15;
}

const DAY_SECONDS = 24 * 3600;

/** Frames elapsed since 00:00:00:00 when this label is shown. */
export function timecodeToFrames(timecode: Timecode, rate: Rational): number {
  const base = timecodeBase(rate);
  const text = formatTimecode(timecode);
  if (timecode.frames >= base) throw new InvalidTimecode(text, `frames must be below ${base}`);
  const { hours, minutes, seconds, frames } = timecode;
  const nominal = ((hours * 60 + minutes) * 60 + seconds) * base + frames;
  if (!timecode.dropFrame) return nominal;
  if (!supportsDropFrame(rate)) throw new InvalidTimecode(text, "drop-frame is only for 29.97 and 59.94");
  const drop = droppedPerMinute(rate);
  if (seconds === 0 && frames < drop && minutes % 10 !== 0) {
    throw new InvalidTimecode(text, "this drop-frame label is skipped and never shown");
  }
  const totalMinutes = hours * 60 + minutes;
  return nominal - drop * (totalMinutes - Math.floor(totalMinutes / 10));
}

/** The label shown on a frame; wraps past midnight the way a timecode generator does. */
export function framesToTimecode(frameCount: number, rate: Rational, dropFrame: boolean): Timecode {
  const base = timecodeBase(rate);
  let labels = frameCount;
  if (dropFrame) {
    if (!supportsDropFrame(rate))
      throw new InvalidTimecode(String(frameCount), "drop-frame needs 29.97/59.94");
    const drop = droppedPerMinute(rate);
    const perMinute = base * 60 - drop;
    const perTenMinutes = perMinute * 10 + drop;
    const dayFrames = perTenMinutes * 6 * 24;
    const inDay = ((frameCount % dayFrames) + dayFrames) % dayFrames;
    const tens = Math.floor(inDay / perTenMinutes);
    const rest = inDay % perTenMinutes;
    labels = inDay + 9 * drop * tens + (rest > drop ? drop * Math.floor((rest - drop) / perMinute) : 0);
  }
  const dayLabels = DAY_SECONDS * base;
  labels = ((labels % dayLabels) + dayLabels) % dayLabels;
  const totalSeconds = Math.floor(labels / base);
  return {
    hours: Math.floor(totalSeconds / 3600),
    minutes: Math.floor(totalSeconds / 60) % 60,
    seconds: totalSeconds % 60,
    frames: labels % base,
    dropFrame,
  };
}

/** The master's timecode on a given frame; a master without timecode counts from 00:00:00:00. */
export function timecodeAtFrame(startTimecode: string | null, frame: number, rate: Rational): string {
  const start = startTimecode === null ? null : parseTimecode(startTimecode);
  const dropFrame = start?.dropFrame ?? false;
  const startFrames = start === null ? 0 : timecodeToFrames(start, rate);
  return formatTimecode(framesToTimecode(startFrames + frame, rate, dropFrame));
}

/** The time of day (UTC) at `date` as a non-drop timecode at `rate`: a live recording's start. */
export function timeOfDayTimecode(date: Date, rate: Rational): string {
  const msOfDay = date.getTime() - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const frames = Math.floor((msOfDay / 1000) * (rate.num / rate.den));
  return formatTimecode(framesToTimecode(frames, rate, false));
}
