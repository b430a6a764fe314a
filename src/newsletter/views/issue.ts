import { localized } from "../../catalogue/types.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t, tCount } from "../../web/i18n.ts";
import type { ProblemDelivery } from "../sending.ts";
import type { DeliveryCounts, Issue } from "../types.ts";
import { dateTime, newsletterPage, newsletterPath, statusLabel } from "./shared.ts";

/** Where a sent issue stands (counts, problem addresses, retry), or a draft's actions. */
export type IssueState =
  | { kind: "draft" }
  | { kind: "sending"; counts: DeliveryCounts; problems: ProblemDelivery[] };

/** One issue: what can be done with a draft; where the sending of the others stands. */
export function issueView(ctx: PageContext, issue: Issue, state: IssueState): string {
  const { lang } = ctx;
  const subject = localized(issue.subject, lang);
  const body =
    state.kind === "draft" ? draftActions(ctx, issue) : progress(ctx, issue, state.counts, state.problems);
  return newsletterPage(
    ctx,
    subject.text || t(lang, "newsletter.untitled"),
    html`<h1${subject.lang === lang ? "" : html` lang="${subject.lang}"`}>${subject.text || t(lang, "newsletter.untitled")}</h1>
<p>${t(lang, "newsletter.col.status")}: <strong>${statusLabel(lang, issue.status)}</strong>${issue.sentAt ? ` — ${dateTime(lang, issue.sentAt)}` : ""}</p>
${body}`,
  );
}

function draftActions(ctx: PageContext, issue: Issue) {
  const { lang } = ctx;
  return html`<div class="nl-actions">
<a class="button" href="${newsletterPath(lang, issue.id, "edit")}">${t(lang, "newsletter.action.edit")}</a>
<a class="button secondary" href="${newsletterPath(lang, issue.id, "preview")}">${t(lang, "newsletter.action.preview")}</a>
<form method="post" action="${newsletterPath(lang, issue.id, "delete")}" class="inline">${csrfInput(ctx.csrfToken)}
<button type="submit" class="link">${t(lang, "newsletter.action.delete")}</button></form>
</div>`;
}

/** Sending runs by itself; the button is for a job that gave up (the mail server was down too long). */
function resume(ctx: PageContext, issue: Issue, c: DeliveryCounts) {
  const { lang } = ctx;
  return html`<div class="nl-actions"><a href="${newsletterPath(lang, issue.id)}">${t(lang, "newsletter.refresh")}</a>
${
  c.waiting > 0
    ? html`<form method="post" action="${newsletterPath(lang, issue.id, "resume")}" class="inline">${csrfInput(ctx.csrfToken)}
<button type="submit" class="secondary">${t(lang, "newsletter.resume")}</button></form>`
    : ""
}</div>`;
}

function progress(ctx: PageContext, issue: Issue, c: DeliveryCounts, problems: ProblemDelivery[]) {
  const { lang } = ctx;
  const line = (key: Parameters<typeof t>[1], value: number) =>
    html`<tr><th scope="row">${t(lang, key)}</th><td>${value}</td></tr>`;
  const retry = (
    which: "unknown" | "failed",
    label: string,
  ) => html`<form method="post" action="${newsletterPath(lang, issue.id, "retry")}">
${csrfInput(ctx.csrfToken)}<input type="hidden" name="which" value="${which}"><button type="submit">${label}</button></form>`;
  const list = (status: ProblemDelivery["status"]) =>
    html`<ul>${problems.filter((p) => p.status === status).map((p) => html`<li>${p.email}${p.error ? html` — <span class="hint">${p.error}</span>` : ""}</li>`)}</ul>`;
  return html`<table class="nl-table" aria-label="${t(lang, "newsletter.counts.title")}"><tbody>
${line("newsletter.counts.total", c.total)}${line("newsletter.counts.sent", c.sent)}${line("newsletter.counts.waiting", c.waiting + c.inProgress)}
${line("newsletter.counts.unknown", c.unknown)}${line("newsletter.counts.failed", c.failed)}${line("newsletter.counts.skipped", c.skipped)}
</tbody></table>
${issue.status === "sending" ? resume(ctx, issue, c) : ""}
${
  c.unknown > 0
    ? html`<section aria-labelledby="unknown-heading"><h2 id="unknown-heading">${t(lang, "newsletter.unknown.title")}</h2>
<p>${t(lang, "newsletter.unknown.text")}</p>${list("unknown")}${retry("unknown", tCount(lang, "newsletter.unknown.retry", c.unknown))}</section>`
    : ""
}
${
  c.failed > 0
    ? html`<section aria-labelledby="failed-heading"><h2 id="failed-heading">${t(lang, "newsletter.failed.title")}</h2>
<p>${t(lang, "newsletter.failed.text")}</p>${list("failed")}${retry("failed", tCount(lang, "newsletter.failed.retry", c.failed))}</section>`
    : ""
}
<p><a href="${newsletterPath(lang, issue.id, "preview")}">${t(lang, "newsletter.action.preview")}</a></p>`;
}
