import { formatDuration as clockDuration, formatClock } from "../../media/clock.ts";
import type { Rational } from "../../media/timecode.ts";
import { timecodeAtFrame } from "../../media/timecode.ts";
import { type Lang, tDynamic } from "../../web/i18n.ts";

/** Dates, durations and timecodes as readers see them, in the page's language. */

/** 754.2 → "12:34"; 3725 → "1:02:05": the one way lengths are written (media/clock.ts). */
export function formatDuration(seconds: number): string {
  return clockDuration(seconds);
}

/** For <time datetime>: "PT12M34S". */
export function isoDuration(seconds: number): string {
  const total = Math.round(seconds);
  return `PT${Math.floor(total / 3600)}H${Math.floor(total / 60) % 60}M${total % 60}S`;
}

/**
 * The timecode a sentence starts at: the master's own (HH:MM:SS:FF) when its frame rate is
 * known, so it matches what editing systems show; otherwise the time from the start.
 */
export function timecodeLabel(
  seconds: number,
  master: { frameRate: Rational | null; startTimecode: string | null } | null,
): string {
  const rate = master?.frameRate;
  if (rate) {
    try {
      return timecodeAtFrame(master.startTimecode, Math.floor((seconds * rate.num) / rate.den + 1e-6), rate);
    } catch {
      // A malformed stored timecode: fall back to the elapsed time below.
    }
  }
  return formatClock(seconds);
}

export function kindLabel(lang: Lang, kind: string): string {
  return tDynamic(lang, `kind.${kind}`);
}
