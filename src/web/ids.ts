import { Type } from "@sinclair/typebox";

/**
 * Row ids are PostgreSQL `integer`s: 1 to 2,147,483,647. A larger number in a URL or a field is
 * an address that does not exist, not a reason for the database to fail (issue 8).
 */
export const MAX_ID = 2_147_483_647;

/** The id of a route parameter or a query/body field, for schemas (and the OpenAPI description). */
export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });

/** A positive whole-number id typed in a URL or a form, or null. */
export function parseId(value: unknown): number | null {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !/^[1-9]\d{0,9}$/.test(text)) return null;
  const id = Number(text);
  return id <= MAX_ID ? id : null;
}
