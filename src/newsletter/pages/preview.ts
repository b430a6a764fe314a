import type { FastifyInstance } from "fastify";
import { unsubscribeUrl } from "../../accounts/profile.ts";
import { countSubscribers } from "../../accounts/store.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { csrfInput, notice } from "../../web/form.ts";
import { requireEditor } from "../../web/guards.ts";
import { html } from "../../web/html.ts";
import { isLang, type Lang, languages, t } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { newsletterMail } from "../message.ts";
import { sendTest } from "../sending.ts";
import { issueOf, type NewsletterPageDeps, newsletterPage, newsletterPath } from "./shared.ts";

/**
 * The e-mail as sent (each language in a frame, with its plain text), the test to oneself,
 * and the way on to sending. The frames show the message's own HTML, with the editor's own
 * unsubscribe link in it.
 */
export function previewPages(app: FastifyInstance, deps: NewsletterPageDeps, lang: Lang): void {
  const links = (request: Parameters<typeof requireEditor>[0]) => ({
    publicUrl: deps.config.publicUrl,
    unsubscribeUrl: unsubscribeUrl(deps, requireEditor(request)),
  });

  app.get("/:id/preview", async (request, reply) => {
    const issue = await issueOf(deps, request);
    const ctx = pageContext(lang, request, reply);
    const tested = (request.query as Record<string, string | undefined>).tested === "1";
    const subscribers = await countSubscribers(deps.db);
    const version = (l: Lang) => {
      const mail = newsletterMail(issue, l, links(request));
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
<a class="button" href="${newsletterPath(lang, issue.id, "send")}">${t(lang, "newsletter.action.send", { count: subscribers.en + subscribers.fr })}</a>
</div>`
        : html`<p><a href="${newsletterPath(lang, issue.id)}">${t(lang, "newsletter.action.status")}</a></p>`;
    return sendHtml(
      reply,
      200,
      newsletterPage(
        ctx,
        t(lang, "newsletter.preview.title"),
        html`<h1>${t(lang, "newsletter.preview.title")}</h1>
${tested ? notice(t(lang, "newsletter.preview.tested", { email: ctx.user?.email ?? "" })) : ""}
${actions}
${languages.map(version)}`,
      ),
    );
  });

  // The message's HTML alone, for the frame: its inline styles need their own policy.
  app.get("/:id/preview/:version", async (request, reply) => {
    const version = (request.params as { version: string }).version;
    if (!isLang(version)) throw new UserError("not_found");
    const issue = await issueOf(deps, request);
    return reply
      .header(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox",
      )
      .header("x-frame-options", "SAMEORIGIN")
      .type("text/html; charset=utf-8")
      .send(newsletterMail(issue, version, links(request)).html);
  });

  app.post("/:id/test", async (request, reply) => {
    const issue = await issueOf(deps, request);
    await sendTest(deps, issue, requireEditor(request));
    return reply.redirect(`${newsletterPath(lang, issue.id, "preview")}?tested=1`, 303);
  });
}
