import { type TSchema, Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import Negotiator from "negotiator";
import { NINJS_MEDIA_TYPE, type NinjsDocument } from "./ninjs.ts";
import { LangQuery } from "./schema.ts";

/**
 * How `GET /api/v1/items/{id}` and `/api/v1/events/{slug}` choose between their JSON and IPTC
 * ninjs (ninjs.ts): `?format=ninjs` (or `json`) decides; otherwise the Accept header, JSON when
 * it prefers neither (browsers, `*\/*`, no header), as before ninjs existed.
 */

export const FormatQuery = Type.Object({
  ...LangQuery.properties,
  format: Type.Optional(
    Type.Union([Type.Literal("json"), Type.Literal("ninjs")], {
      description: `ninjs: the IPTC ninjs 3.1 document (as with Accept: ${NINJS_MEDIA_TYPE}); json: this API's JSON whatever Accept says`,
    }),
  ),
});

/** Only what every ninjs document has; the full schema is IPTC's own (the link below). */
const NinjsJson = Type.Object(
  { uri: Type.String({ format: "uri" }) },
  {
    additionalProperties: true,
    description:
      "IPTC ninjs 3.1 (http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json), in the language asked for; renditions link the downloads",
  },
);

/** The 200 answer in both media types, for validation of the reply and the OpenAPI description. */
export function jsonOrNinjs(json: TSchema, description: string) {
  return {
    description,
    content: {
      "application/json": { schema: json },
      [NINJS_MEDIA_TYPE]: { schema: NinjsJson },
    },
  };
}

/**
 * Whether to answer ninjs. Either way the answer varies with Accept: a cache in front must not
 * hand the JSON to who asked for ninjs, or the other way round.
 */
export function wantsNinjs(
  request: FastifyRequest,
  reply: FastifyReply,
  format: "json" | "ninjs" | undefined,
): boolean {
  const vary = String(reply.getHeader("vary") ?? "");
  if (!/(^|,)\s*accept\s*(,|$)/i.test(vary)) reply.header("vary", vary ? `${vary}, Accept` : "Accept");
  if (format) return format === "ninjs";
  const negotiator = new Negotiator({ headers: { accept: request.headers.accept ?? "*/*" } });
  return negotiator.mediaType(["application/json", NINJS_MEDIA_TYPE]) === NINJS_MEDIA_TYPE;
}

export function sendNinjs(reply: FastifyReply, document: NinjsDocument): NinjsDocument {
  reply.type(`${NINJS_MEDIA_TYPE}; charset=utf-8`);
  return document;
}
