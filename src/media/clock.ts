/**
 * Clock times (H:MM:SS with a decimal fraction) as people type and read them: the one place
 * they are parsed and written. Frame-exact timecodes (HH:MM:SS:FF) are timecode.ts's.
 * French writes decimals with a comma, so both "4.5" and "4,5" are read.
 */

export type ClockReading = {
  /** Seconds the text stands for. */
  seconds: number;
  /** "H:MM:SS…" with hours: a time of day on a clock (the master's), not a length from its start. */
  hasHours: boolean;
};

const CLOCK = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$/;
const SECONDS = /^(\d+(?:[.,]\d+)?)s?$/;

/** "83.5", "83,5s", "1:23.5", "0:01:23,5" → seconds; null when the text is no clock time. */
export function readClock(text: string): ClockReading | null {
  const value = text.trim();
  const plain = SECONDS.exec(value);
  if (plain) return { seconds: decimal(plain[1]!), hasHours: false };
  const match = CLOCK.exec(value);
  if (!match) return null;
  const [, hours, minutes, seconds] = match;
  // Minutes and seconds are clock digits: "1:75:00" is a typo, not 2:15:00.
  if (Number(minutes) > 59 && hours !== undefined) return null;
  if (decimal(seconds!) >= 60) return null;
  const total = Number(hours ?? 0) * 3600 + Number(minutes) * 60 + decimal(seconds!);
  return { seconds: Math.round(total * 1000) / 1000, hasHours: hours !== undefined };
}

/** Seconds from "H:MM:SS.s", "MM:SS.s" or plain seconds; null when the text is no clock time. */
export function parseClock(text: string): number | null {
  return readClock(text)?.seconds ?? null;
}

/**
 * 83.5 → "00:01:23" (whole seconds, rounded down), or with `decimals` "00:01:23.500": a position
 * when no frame rate is known (with one, positions are timecodes: timecode.ts).
 */
export function formatClock(seconds: number, decimals = 0): string {
  const scale = 10 ** decimals;
  // Whole seconds say which second a moment is in; fractions are rounded to their last digit.
  const exact = Math.max(0, seconds) * scale;
  const units = decimals > 0 ? Math.round(exact) : Math.floor(exact + 1e-6);
  const total = Math.floor(units / scale);
  const fraction = decimals > 0 ? `.${String(units % scale).padStart(decimals, "0")}` : "";
  return `${two(Math.floor(total / 3600))}:${two(Math.floor(total / 60) % 60)}:${two(total % 60)}${fraction}`;
}

/**
 * A length of time, the same way everywhere (cards, the programme, the download panel):
 * "2:06", "1:02:05"; with `decimals`, the fraction in the page's language ("0:04.08", "0:04,08").
 */
export function formatDuration(
  seconds: number,
  options: { decimals?: number; lang?: "en" | "fr" } = {},
): string {
  const decimals = options.decimals ?? 0;
  const scale = 10 ** decimals;
  const units = Math.round(Math.max(0, seconds) * scale);
  const whole = Math.floor(units / scale);
  const h = Math.floor(whole / 3600);
  const m = Math.floor(whole / 60) % 60;
  const s = two(whole % 60);
  const fraction =
    decimals > 0
      ? `${options.lang === "fr" ? "," : "."}${String(units % scale).padStart(decimals, "0")}`
      : "";
  return `${h > 0 ? `${h}:${two(m)}` : m}:${s}${fraction}`;
}

function decimal(text: string): number {
  return Number(text.replace(",", "."));
}

function two(n: number): string {
  return String(n).padStart(2, "0");
}
