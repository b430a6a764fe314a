import type { FastifyInstance } from "fastify";
import { countSubscribers } from "../../accounts/store.ts";
import { localized } from "../../catalogue/types.ts";
import { pageContext } from "../../web/context.ts";
import { csrfInput } from "../../web/form.ts";
import { requireEditor } from "../../web/guards.ts";
import { html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { createDraft } from "../compose.ts";
import { listIssues } from "../deliveries-store.ts";
import type { IssueSummary } from "../types.ts";
import { dateTime, type NewsletterPageDeps, newsletterPage, newsletterPath, statusLabel } from "./shared.ts";

/** The issues, newest first, with where their sending stands; and "new issue". */
export function listPages(app: FastifyInstance, deps: NewsletterPageDeps, lang: Lang): void {
  app.get("/", async (request, reply) => {
    const ctx = pageContext(lang, request, reply);
    const [issues, subscribers] = await Promise.all([
      listIssues(deps.db, deps.now()),
      countSubscribers(deps.db),
    ]);
    const rows = issues.map((issue) => row(lang, issue));
    const body = html`<h1 id="issues-heading">${t(lang, "newsletter.title")}</h1>
<p>${t(lang, "newsletter.subscribers", { count: subscribers.en + subscribers.fr, en: subscribers.en, fr: subscribers.fr })}</p>
<form method="post" action="${newsletterPath(lang)}">${csrfInput(ctx.csrfToken)}
<button type="submit">${t(lang, "newsletter.new")}</button></form>
${
  issues.length === 0
    ? html`<p>${t(lang, "newsletter.none")}</p>`
    : html`<table class="nl-table" aria-labelledby="issues-heading">
<thead><tr><th scope="col">${t(lang, "newsletter.col.subject")}</th><th scope="col">${t(lang, "newsletter.col.status")}</th>
<th scope="col">${t(lang, "newsletter.col.recipients")}</th><th scope="col">${t(lang, "newsletter.col.date")}</th></tr></thead>
<tbody>${rows}</tbody></table>`
}`;
    return sendHtml(reply, 200, newsletterPage(ctx, t(lang, "newsletter.title"), body));
  });

  app.post("/", async (request, reply) => {
    const id = await createDraft(deps, requireEditor(request));
    return reply.redirect(newsletterPath(lang, id, "edit"), 303);
  });
}

function row(lang: Lang, issue: IssueSummary) {
  const subject = localized(issue.subject, lang);
  const c = issue.counts;
  const recipients =
    issue.status === "draft"
      ? "—"
      : t(lang, "newsletter.counts.short", { sent: c.sent, total: c.total, problems: c.unknown + c.failed });
  return html`<tr><td><a href="${newsletterPath(lang, issue.id)}"${subject.lang === lang ? "" : html` lang="${subject.lang}"`}>${subject.text || t(lang, "newsletter.untitled")}</a></td>
<td>${statusLabel(lang, issue.status)}</td><td>${recipients}</td>
<td>${dateTime(lang, issue.sentAt ?? issue.updatedAt)}</td></tr>`;
}
