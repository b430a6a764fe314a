/**
 * Editors type dates and times as the organisation's wall clock (`<input type="datetime-local">`
 * sends "2026-11-23T14:30"), the database keeps instants. These convert between the two for
 * one IANA time zone; the workspace uses `editorTimeZone`.
 */

import { dateTimeFormat } from "../web/intl.ts";

/** The zone editors' dates and times are in. UTC until the operator can configure one. */
export const editorTimeZone = "UTC";

const localPattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "2026-11-23T14:30" in `zone` → the instant; null if it is not a real date and time. */
export function parseZonedDateTime(value: string, zone: string): Date | null {
  const match = localPattern.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  // Date.UTC rolls 2026-02-30 over into March: such a date was never typed by a calendar.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59)
    return null;
  // The offset at the guess may differ from the offset at the answer across a DST change: look twice.
  let instant = wall - offsetAt(wall, zone);
  instant = wall - offsetAt(instant, zone);
  return new Date(instant);
}

/** The instant as "YYYY-MM-DDTHH:MM" on the wall clock of `zone` (the datetime-local value). */
export function formatZonedDateTime(date: Date, zone: string): string {
  const p = wallClock(date.getTime(), zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** "14:30" of `date` in `zone`. */
export function formatZonedTime(date: Date, zone: string): string {
  return formatZonedDateTime(date, zone).slice(11);
}

/** "2026-11-23" of `date` in `zone`. */
export function formatZonedDate(date: Date, zone: string): string {
  return formatZonedDateTime(date, zone).slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function wallClock(ms: number, zone: string): WallClock {
  const parts = dateTimeFormat("en-GB", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

/** How far `zone`'s wall clock is ahead of UTC at the instant `ms`, in milliseconds. */
function offsetAt(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (ms % 1000));
}
