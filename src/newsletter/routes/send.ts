import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { countSubscribers } from "../../accounts/store.ts";
import { pageContext } from "../../web/context.ts";
import { type FieldProblems, formFailure, formValue } from "../../web/form.ts";
import { languages } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { resumeSending, retryDeliveries, startSending } from "../sending.ts";
import { deleteDraft } from "../store.ts";
import type { Issue } from "../types.ts";
import { sendConfirmationView } from "../views/send.ts";
import { newsletterPath } from "../views/shared.ts";
import { issueOf, type NewsletterPageDeps } from "./shared.ts";

/** Sending (after a confirmation), retrying problem addresses, resuming, and deleting a draft. */
export function sendRoutes(app: FastifyInstance, deps: NewsletterPageDeps): void {
  for (const lang of languages) {
    const confirmation = async (
      request: FastifyRequest,
      reply: FastifyReply,
      issue: Issue,
      failure: { message: string; errors: FieldProblems; status: number } | null,
    ) => {
      const subscribers = await countSubscribers(deps.db);
      const view = sendConfirmationView(pageContext(lang, request, reply), issue, subscribers, failure);
      return sendHtml(reply, failure?.status ?? 200, view);
    };

    app.get(newsletterPath(lang, ":id", "send"), async (request, reply) => {
      const issue = await issueOf(deps, request);
      if (issue.status !== "draft") return reply.redirect(newsletterPath(lang, issue.id), 303);
      return confirmation(request, reply, issue, null);
    });

    app.post(newsletterPath(lang, ":id", "send"), async (request, reply) => {
      const issue = await issueOf(deps, request);
      try {
        await startSending(deps, issue.id);
      } catch (error) {
        return confirmation(request, reply, issue, formFailure(lang, error));
      }
      return reply.redirect(newsletterPath(lang, issue.id), 303);
    });

    app.post(newsletterPath(lang, ":id", "retry"), async (request, reply) => {
      const issue = await issueOf(deps, request);
      const which = formValue(request.body, "which") === "failed" ? "failed" : "unknown";
      await retryDeliveries(deps, issue.id, which);
      return reply.redirect(newsletterPath(lang, issue.id), 303);
    });

    app.post(newsletterPath(lang, ":id", "resume"), async (request, reply) => {
      const issue = await issueOf(deps, request);
      await resumeSending(deps, issue);
      return reply.redirect(newsletterPath(lang, issue.id), 303);
    });

    app.post(newsletterPath(lang, ":id", "delete"), async (request, reply) => {
      const issue = await issueOf(deps, request);
      await deleteDraft(deps.db, issue.id);
      return reply.redirect(newsletterPath(lang), 303);
    });
  }
}
