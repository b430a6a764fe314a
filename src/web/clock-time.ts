/**
 * A position in a recording as editors type it when timing a transcript by hand:
 * "HH:MM:SS.mmm", "MM:SS.mmm" or plain seconds ("83.5").
 */

const clockPattern = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d{1,3})?)$/;
const secondsPattern = /^\d+(?:[.,]\d{1,3})?$/;

/** Seconds from the start of the recording, or null if the text is not a time. */
export function parseClockTime(text: string): number | null {
  const value = text.trim();
  if (secondsPattern.test(value)) return Number(value.replace(",", "."));
  const match = clockPattern.exec(value);
  if (!match) return null;
  const hours = Number(match[1] ?? 0);
  const minutes = Number(match[2]);
  const seconds = Number(match[3]!.replace(",", "."));
  // With hours given, minutes and seconds are clock digits; "1:75:00" is a typo, not 2:15:00.
  if (minutes > 59 && match[1] !== undefined) return null;
  if (seconds >= 60) return null;
  return round3(hours * 3600 + minutes * 60 + seconds);
}

/** 83.5 → "00:01:23.500": what the start-time fields show and the timing island writes. */
export function formatClockTime(seconds: number): string {
  const millis = Math.round(seconds * 1000);
  const h = Math.floor(millis / 3_600_000);
  const m = Math.floor((millis % 3_600_000) / 60_000);
  const s = Math.floor((millis % 60_000) / 1000);
  const ms = millis % 1000;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
