import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { countSubscribers } from "../../accounts/store.ts";
import { localized } from "../../catalogue/types.ts";
import { pageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, formFailure, formValue } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { resumeSending, retryDeliveries, startSending } from "../sending.ts";
import { deleteDraft } from "../store.ts";
import type { Issue } from "../types.ts";
import { issueOf, type NewsletterPageDeps, newsletterPage, newsletterPath } from "./shared.ts";

/** "Send to N subscribers": a confirmation step, then the recipient list and the job. */
export function sendPages(app: FastifyInstance, deps: NewsletterPageDeps, lang: Lang): void {
  const confirmation = async (
    request: FastifyRequest,
    reply: FastifyReply,
    issue: Issue,
    failure: { message: string; errors: Record<string, string[]>; status: number } | null,
  ) => {
    const ctx = pageContext(lang, request, reply);
    const n = await countSubscribers(deps.db);
    const subject = localized(issue.subject, lang);
    const title = t(lang, "newsletter.send.title");
    return sendHtml(
      reply,
      failure?.status ?? 200,
      newsletterPage(
        ctx,
        title,
        html`<h1>${title}</h1>
${errorSummary(lang, failure?.message ?? null, failure?.errors ?? {})}
<p>${t(lang, "newsletter.send.question", { subject: subject.text })}</p>
<p>${t(lang, "newsletter.subscribers", { count: n.en + n.fr, en: n.en, fr: n.fr })}</p>
<p>${t(lang, "newsletter.send.once")}</p>
<form method="post" action="${newsletterPath(lang, issue.id, "send")}">${csrfInput(ctx.csrfToken)}
<div class="nl-actions"><button type="submit">${t(lang, "newsletter.action.send", { count: n.en + n.fr })}</button>
<a href="${newsletterPath(lang, issue.id, "preview")}">${t(lang, "newsletter.send.cancel")}</a></div>
</form>`,
      ),
    );
  };

  app.get("/:id/send", async (request, reply) => {
    const issue = await issueOf(deps, request);
    if (issue.status !== "draft") return reply.redirect(newsletterPath(lang, issue.id), 303);
    return confirmation(request, reply, issue, null);
  });

  app.post("/:id/send", async (request, reply) => {
    const issue = await issueOf(deps, request);
    try {
      await startSending(deps, issue.id);
    } catch (error) {
      return confirmation(request, reply, issue, formFailure(lang, error));
    }
    return reply.redirect(newsletterPath(lang, issue.id), 303);
  });

  app.post("/:id/retry", async (request, reply) => {
    const issue = await issueOf(deps, request);
    const which = formValue(request.body, "which") === "failed" ? "failed" : "unknown";
    await retryDeliveries(deps, issue.id, which);
    return reply.redirect(newsletterPath(lang, issue.id), 303);
  });

  app.post("/:id/resume", async (request, reply) => {
    const issue = await issueOf(deps, request);
    await resumeSending(deps, issue);
    return reply.redirect(newsletterPath(lang, issue.id), 303);
  });

  app.post("/:id/delete", async (request, reply) => {
    const issue = await issueOf(deps, request);
    await deleteDraft(deps.db, issue.id);
    return reply.redirect(newsletterPath(lang), 303);
  });
}
