import type { FastifyRequest } from "fastify";
import { UserError, type UserErrorCode } from "../../core/errors.ts";
import type { Database } from "../../db/database.ts";
import type { Lang } from "../../web/i18n.ts";
import { idOf } from "../validate.ts";

/** The numeric id in a route parameter; anything else is a page that does not exist. */
export function routeId(request: FastifyRequest, name: string, notFound: UserErrorCode): number {
  const id = idOf((request.params as Record<string, unknown>)[name]);
  if (id === null) throw new UserError(notFound);
  return id;
}

export function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  return request.query as Record<string, string | undefined>;
}

/** What every workspace page group gets: the features' dependencies, its language, the editors' time zone. */
export type EditorPages = {
  db: Database;
  now: () => Date;
  lang: Lang;
  timeZone: string;
};
