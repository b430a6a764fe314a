import type { MailMessage } from "../../core/mailer.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, notice } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { type Lang, languages, t } from "../../web/i18n.ts";
import type { Issue } from "../types.ts";
import { newsletterPage, newsletterPath, sendLabel } from "./shared.ts";

/**
 * The e-mail as sent (each language in a frame, with its plain text), the test to oneself,
 * and the way on to sending. The frames show the message's own HTML, with the editor's own
 * unsubscribe link in it.
 */
export function previewView(
  ctx: PageContext,
  issue: Issue,
  mails: Record<Lang, MailMessage>,
  subscribers: number,
  tested: boolean,
): string {
  const { lang } = ctx;
  const version = (l: Lang) => {
    const mail = mails[l];
    return html`<section aria-labelledby="version-${l}">
<h2 id="version-${l}">${t(lang, `newsletter.preview.version_${l}`)}</h2>
<p>${t(lang, "newsletter.preview.subject")} <strong lang="${l}">${mail.subject}</strong></p>
<iframe class="nl-preview" title="${t(lang, `newsletter.preview.version_${l}`)}" src="${newsletterPath(lang, issue.id, "preview", l)}" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>
<details><summary>${t(lang, "newsletter.preview.text")}</summary><pre class="nl-text" lang="${l}">${mail.text}</pre></details>
</section>`;
  };
  const actions =
    issue.status === "draft"
      ? html`<div class="nl-actions">
<a class="button secondary" href="${newsletterPath(lang, issue.id, "edit")}">${t(lang, "newsletter.action.edit")}</a>
<form method="post" action="${newsletterPath(lang, issue.id, "test")}" class="inline">${csrfInput(ctx.csrfToken)}
<button type="submit" class="secondary">${t(lang, "newsletter.action.test", { email: ctx.user?.email ?? "" })}</button></form>
<a class="button" href="${newsletterPath(lang, issue.id, "send")}">${sendLabel(lang, subscribers)}</a>
</div>`
      : html`<p><a href="${newsletterPath(lang, issue.id)}">${t(lang, "newsletter.action.status")}</a></p>`;
  return newsletterPage(
    ctx,
    t(lang, "newsletter.preview.title"),
    html`<h1>${t(lang, "newsletter.preview.title")}</h1>
${tested ? notice(t(lang, "newsletter.preview.tested", { email: ctx.user?.email ?? "" })) : ""}
${actions}
${languages.map(version)}`,
  );
}
