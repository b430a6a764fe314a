import { localized } from "../../catalogue/types.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import type { Issue } from "../types.ts";
import { newsletterPage, newsletterPath, sendLabel, subscribersLine } from "./shared.ts";

/** "Send to N subscribers": the confirmation step before the recipient list is made and the job starts. */
export function sendConfirmationView(
  ctx: PageContext,
  issue: Issue,
  subscribers: { en: number; fr: number },
  failure: { message: string; errors: FieldProblems } | null,
): string {
  const { lang } = ctx;
  const count = subscribers.en + subscribers.fr;
  const subject = localized(issue.subject, lang);
  const title = t(lang, "newsletter.send.title");
  return newsletterPage(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(lang, failure?.message ?? null, failure?.errors ?? {})}
<p>${t(lang, "newsletter.send.question", { subject: subject.text })}</p>
<p>${subscribersLine(lang, subscribers)}</p>
<p>${t(lang, "newsletter.send.once")}</p>
<form method="post" action="${newsletterPath(lang, issue.id, "send")}">${csrfInput(ctx.csrfToken)}
<div class="nl-actions"><button type="submit">${sendLabel(lang, count)}</button>
<a href="${newsletterPath(lang, issue.id, "preview")}">${t(lang, "newsletter.send.cancel")}</a></div>
</form>`,
  );
}
