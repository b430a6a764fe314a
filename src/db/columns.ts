/**
 * Reading a row's columns the same way from node-postgres and PGlite, which hand back some types
 * differently (bigint as string, timestamps as Date or string, json parsed or not).
 */

export const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export const stringOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const dateOrNull = (v: unknown): Date | null =>
  v instanceof Date ? v : v === null || v === undefined ? null : new Date(String(v));

/** A json/jsonb column: parsed already by node-postgres and PGlite alike, or text to parse. */
export function jsonColumn<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === "string") return JSON.parse(value) as T;
  return value as T;
}
