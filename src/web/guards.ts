import type { FastifyRequest } from "fastify";
import { UserError } from "../core/errors.ts";
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
