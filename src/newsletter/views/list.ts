import { localized } from "../../catalogue/types.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { type Lang, t, tCount } from "../../web/i18n.ts";
import type { IssueSummary } from "../types.ts";
import { dateTime, newsletterPage, newsletterPath, statusLabel, subscribersLine } from "./shared.ts";

/** The issues, newest first, with where their sending stands; and "new issue". */
export function issueListView(
  ctx: PageContext,
  issues: IssueSummary[],
  subscribers: { en: number; fr: number },
): string {
  const { lang } = ctx;
  const body = html`<h1 id="issues-heading">${t(lang, "newsletter.title")}</h1>
<p>${subscribersLine(lang, subscribers)}</p>
<form method="post" action="${newsletterPath(lang)}">${csrfInput(ctx.csrfToken)}
<button type="submit">${t(lang, "newsletter.new")}</button></form>
${
  issues.length === 0
    ? html`<p>${t(lang, "newsletter.none")}</p>`
    : html`<div class="table-scroll"><table class="nl-table" aria-labelledby="issues-heading">
<thead><tr><th scope="col">${t(lang, "newsletter.col.subject")}</th><th scope="col">${t(lang, "newsletter.col.status")}</th>
<th scope="col">${t(lang, "newsletter.col.recipients")}</th><th scope="col">${t(lang, "newsletter.col.date")}</th></tr></thead>
<tbody>${issues.map((issue) => row(lang, issue))}</tbody></table></div>`
}`;
  return newsletterPage(ctx, t(lang, "newsletter.title"), body);
}

function row(lang: Lang, issue: IssueSummary) {
  const subject = localized(issue.subject, lang);
  const c = issue.counts;
  const recipients =
    issue.status === "draft"
      ? "—"
      : tCount(lang, "newsletter.counts.short", c.sent, {
          sent: c.sent,
          total: c.total,
          problems: c.unknown + c.failed,
        });
  return html`<tr><td><a href="${newsletterPath(lang, issue.id)}"${subject.lang === lang ? "" : html` lang="${subject.lang}"`}>${subject.text || t(lang, "newsletter.untitled")}</a></td>
<td>${statusLabel(lang, issue.status)}</td><td>${recipients}</td>
<td>${dateTime(lang, issue.sentAt ?? issue.updatedAt)}</td></tr>`;
}
