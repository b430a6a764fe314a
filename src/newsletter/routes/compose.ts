import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { pageContext } from "../../web/context.ts";
import { type FieldProblems, formFailure } from "../../web/form.ts";
import { languages } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { type ComposeForm, composeForm, readComposeForm, saveDraft } from "../compose.ts";
import type { Issue } from "../types.ts";
import { composeView } from "../views/compose.ts";
import { newsletterPath } from "../views/shared.ts";
import { issueOf, type NewsletterPageDeps } from "./shared.ts";

export function composeRoutes(app: FastifyInstance, deps: NewsletterPageDeps): void {
  for (const lang of languages) {
    const show = (
      request: FastifyRequest,
      reply: FastifyReply,
      issue: Issue,
      form: ComposeForm,
      failure: { message: string; errors: FieldProblems; status: number } | null,
    ) =>
      sendHtml(
        reply,
        failure?.status ?? 200,
        composeView(pageContext(lang, request, reply), issue, form, failure),
      );

    app.get(newsletterPath(lang, ":id", "edit"), async (request, reply) => {
      const issue = await issueOf(deps, request);
      if (issue.status !== "draft") return reply.redirect(newsletterPath(lang, issue.id), 303);
      return show(request, reply, issue, await composeForm(deps, issue), null);
    });

    app.post(newsletterPath(lang, ":id", "edit"), async (request, reply) => {
      const issue = await issueOf(deps, request);
      const form = readComposeForm(request.body, await composeForm(deps, issue));
      try {
        if (!(await saveDraft(deps, issue.id, form)))
          return reply.redirect(newsletterPath(lang, issue.id), 303);
      } catch (error) {
        return show(request, reply, issue, form, formFailure(lang, error));
      }
      return reply.redirect(newsletterPath(lang, issue.id, nextStep(request.body)), 303);
    });
  }
}

function nextStep(body: unknown): string {
  return (body as Record<string, unknown>).next === "preview" ? "preview" : "edit?saved=1";
}
