import { parse } from "node:querystring";
import type { FastifyInstance } from "fastify";
import { UserError } from "../core/errors.ts";

/**
 * A client's mistake is answered as one, never as a server error (issue 8). The database refuses
 * text with NUL characters; handlers expect one value per query parameter. Both are settled here
 * for every route, before any handler runs.
 */

/**
 * `?q=a&q=b` gives `q = "a"`: the first value wins, so a handler always sees a string, as the
 * forms and links that make our URLs do.
 */
export function firstValueQuery(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parse(text))) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) values[key] = first;
  }
  return values;
}

export function refuseBadInput(app: FastifyInstance): void {
  app.addHook("onRequest", async (request) => {
    // A NUL in the path or query, percent-encoded or not (%00 after decoding).
    if (request.url.includes("\u0000") || /%00/i.test(request.url)) throw new UserError("bad_request");
  });
  app.addHook("preValidation", async (request) => {
    const field = nulField(request.body, "");
    if (field !== null) throw new UserError("invalid_input", {}, { [field || "body"]: ["field.invalid"] });
  });
}

/** The name of the first field whose text holds a NUL, or null. */
function nulField(value: unknown, name: string, depth = 0): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? name : null;
  if (depth > 20 || value === null || typeof value !== "object" || Buffer.isBuffer(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes("\u0000")) return name || "body";
    const found = nulField(inner, name ? `${name}.${key}` : key, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
