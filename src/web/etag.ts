import type { FastifyRequest } from "fastify";
import { UserError } from "../core/errors.ts";

/**
 * Strong ETags from a row's version (db/migrations/012_editor_api.sql), for the editors' API:
 * the same tag on the GET that shows a thing and on the writes that check `If-Match` against it.
 * @fastify/etag (web/http-cache.ts) keeps a tag a route set itself and only hashes the others.
 */
export function versionTag(kind: "event" | "item" | "entry", id: number, version: number): string {
  return `"${kind}-${id}-v${version}"`;
}

/** The `If-Match` header, or null when the request sent none (the write then proceeds). */
export function ifMatchOf(request: FastifyRequest): string | null {
  const header = request.headers["if-match"];
  return typeof header === "string" && header.trim() !== "" ? header : null;
}

/**
 * Refuses (412) a write whose `If-Match` names neither `current` nor `*`. The comparison is strong
 * (RFC 9110 13.1.1): a weak tag never matches.
 */
export function checkIfMatch(request: FastifyRequest, current: string): void {
  const header = ifMatchOf(request);
  if (header === null || header.trim() === "*") return;
  const tags = header.split(",").map((tag) => tag.trim());
  if (!tags.includes(current)) throw new UserError("precondition_failed");
}
