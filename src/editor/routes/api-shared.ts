import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { findEventBySlug } from "../../catalogue/event-store.ts";
import { UserError } from "../../core/errors.ts";
import type { Database } from "../../db/database.ts";
import { withFieldNames } from "../../web/api-fields.ts";
import { checkIfMatch, versionTag } from "../../web/etag.ts";
import type { VersionCheck } from "../validate.ts";

/** What the editors' JSON API shares: schemas, field names, If-Match checks (issue 13). */

const Timestamp = Type.String({ format: "date-time", description: "ISO 8601 with its offset" });
// Null or a timestamp: bodies are checked as sent (web/validators.ts), so a null stays null.
export const NullableTimestamp = Type.Union([Type.Null(), Timestamp]);
export { Timestamp };

/** A bilingual text given to the API: each language optional (a PATCH changes only those named). */
export const BilingualInput = Type.Object(
  { en: Type.Optional(Type.String()), fr: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
export const Bilingual = Type.Object({ en: Type.String(), fr: Type.String() });

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) });

/** The route's If-Match, checked against a version as it is read (412 when stale). */
export function versionCheck(
  request: FastifyRequest,
  kind: "event" | "item" | "entry",
  id: number,
): VersionCheck {
  return (version) => checkIfMatch(request, versionTag(kind, id, version));
}

/** The event of a route's slug, drafts included (editors see them all). */
export async function eventIdOf(db: Database, slug: string): Promise<number> {
  const event = await findEventBySlug(db, slug);
  if (!event) throw new UserError("event_not_found");
  return event.id;
}

// The checks are the workspace's (events.ts, items.ts, programme.ts), which name problems as
// the form's fields; an API client gets them under the names it sent, as schema errors are.
const renamed: Record<string, string> = {
  event_id: "event",
  media_item_id: "itemId",
  time: "startsAt",
  order: "ids",
};
const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

export function apiFieldName(formName: string): string {
  if (renamed[formName]) return renamed[formName];
  const bilingual = /^(.+)_(en|fr)$/.exec(formName);
  return bilingual ? `${camel(bilingual[1]!)}/${bilingual[2]}` : camel(formName);
}

/** Runs a service call; a field problem it reports is renamed for the API. */
export function withApiFields<T>(work: () => Promise<T>): Promise<T> {
  return withFieldNames(apiFieldName, work);
}
