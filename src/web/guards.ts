import type { FastifyReply, FastifyRequest } from "fastify";
import { UserError } from "../core/errors.ts";
import type { Lang } from "./i18n.ts";
import { withQuery } from "./links.ts";
import type { User } from "./user.ts";

export function requireUser(request: FastifyRequest): User {
  if (!request.user) throw new UserError("not_authenticated");
  return request.user;
}

export function isEditor(user: User | null): boolean {
  return user?.role === "editor" || user?.role === "admin";
}

/** The editor workspace and editor API: checked on the server for every request. */
export function requireEditor(request: FastifyRequest): User {
  const user = requireUser(request);
  if (!isEditor(user)) throw new UserError("forbidden");
  return user;
}

/**
 * `requireEditor` as an onRequest hook (a scope's, or a route's own): the caller is refused with
 * 401/403 before the body is read or checked against its schema, so an anonymous body never
 * reaches a parser (security probe 2026-12-07, M3).
 */
export async function editorFirst(request: FastifyRequest): Promise<void> {
  requireEditor(request);
}

/**
 * A page that needs a log-in: the user, or null after sending a guest to the log-in page, which
 * brings them back to `returnTo` (a path of ours) once logged in.
 */
export function userOrLogIn(
  request: FastifyRequest,
  reply: FastifyReply,
  lang: Lang,
  returnTo: string,
): User | null {
  if (request.user) return request.user;
  void reply.redirect(withQuery(`/${lang}/login`, { returnTo }), 303);
  return null;
}
