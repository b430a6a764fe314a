import type { FastifyRequest } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { parseId } from "../../web/ids.ts";
import { findIssue } from "../store.ts";
import type { Issue } from "../types.ts";

export type NewsletterPageDeps = Pick<FeatureDeps, "db" | "jobs" | "mailer" | "now" | "config" | "secret">;

/** The issue named by the route's `:id`; an id that is not one is a page that does not exist. */
export async function issueOf(deps: NewsletterPageDeps, request: FastifyRequest): Promise<Issue> {
  const id = parseId((request.params as { id?: string }).id);
  const issue = id === null ? null : await findIssue(deps.db, id);
  if (!issue) throw new UserError("not_found");
  return issue;
}
