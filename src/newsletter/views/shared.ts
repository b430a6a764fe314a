import { editorTimeZone } from "../../editor/zoned-time.ts";
import type { PageContext } from "../../web/context.ts";
import type { FieldProblems } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t, tCount, tDynamic } from "../../web/i18n.ts";
import { formatIn } from "../../web/intl.ts";
import { page } from "../../web/layout.ts";
import type { IssueStatus } from "../types.ts";

/** Where the newsletter pages live, under the editor workspace. */
export function newsletterPath(lang: Lang, ...rest: (string | number)[]): string {
  return [`/${lang}/editor/newsletter`, ...rest].join("/");
}

export function statusLabel(lang: Lang, status: IssueStatus): string {
  return t(lang, `newsletter.status.${status}`);
}

/** A newsletter page: the frame, with the small stylesheet that puts EN and FR side by side. */
export function newsletterPage(ctx: PageContext, title: string, body: Html): string {
  const head = html`<link rel="stylesheet" href="/static/newsletter.css">`;
  const crumbs = html`<nav aria-label="${t(ctx.lang, "newsletter.breadcrumb")}" class="nl-crumbs">
<a href="/${ctx.lang}/editor">${t(ctx.lang, "nav.editor")}</a> ›
<a href="${newsletterPath(ctx.lang)}">${t(ctx.lang, "newsletter.title")}</a></nav>`;
  return page(ctx, title, html`${crumbs}${body}`, head);
}

/** A labelled text input or textarea whose value is in `inputLang` (not the page's language). */
export function textField(
  lang: Lang,
  f: { name: string; label: string; value: string; inputLang: Lang; rows?: number; required?: boolean },
  errors: FieldProblems,
): Html {
  const problems = errors[f.name] ?? [];
  const invalid = problems.length ? html` aria-invalid="true" aria-describedby="${f.name}-error"` : "";
  const required = f.required ? " required" : "";
  return html`<div class="field${problems.length ? " invalid" : ""}">
<label for="${f.name}">${f.label}</label>
${problems.length ? html`<ul class="error" id="${f.name}-error">${problems.map((p) => html`<li>${tDynamic(lang, p)}</li>`)}</ul>` : ""}
${
  f.rows
    ? html`<textarea id="${f.name}" name="${f.name}" rows="${f.rows}" lang="${f.inputLang}"${required}${invalid}>${f.value}</textarea>`
    : html`<input id="${f.name}" name="${f.name}" type="text" value="${f.value}" lang="${f.inputLang}"${required}${invalid}>`
}
</div>`;
}

export function dateTime(lang: Lang, date: Date): string {
  return formatIn(lang, date, { dateStyle: "medium", timeStyle: "short", timeZone: editorTimeZone });
}

/** "3 subscribers: 2 in English, 1 in French." (one subscriber said as one). */
export function subscribersLine(lang: Lang, subscribers: { en: number; fr: number }): string {
  const count = subscribers.en + subscribers.fr;
  return tCount(lang, "newsletter.subscribers", count, subscribers);
}

/** "Send to 3 subscribers" / "Send to 1 subscriber". */
export function sendLabel(lang: Lang, count: number): string {
  return tCount(lang, "newsletter.action.send", count);
}
