import type { FastifyInstance } from "fastify";
import { UserError } from "../../errors.ts";
import { pageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, notice } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { checkUnsubscribeLink, subscribeNewsletter, unsubscribeNewsletter } from "../profile.ts";
import { formFailure, type PageDeps, type PagesOptions, returnToOf, sendHtml, withQuery } from "./shared.ts";

/** Step 3 of the account flow, the newsletter offer, and the unsubscribe link of every newsletter. */
export function welcomePages(app: FastifyInstance, deps: PageDeps, options: PagesOptions): void {
  const { lang } = options;

  app.get("/welcome", async (request, reply) => {
    const user = request.user;
    if (!user) return reply.redirect(withQuery(`/${lang}/login`, { returnTo: request.url }), 303);
    const ctx = pageContext(lang, request, reply);
    const returnTo = returnToOf(request, lang);
    const offer = user.newsletter
      ? notice(t(lang, "welcome.subscribed"))
      : html`<section aria-labelledby="newsletter-heading" class="offer">
<h2 id="newsletter-heading">${t(lang, "welcome.newsletter.title")}</h2>
<p>${t(lang, "welcome.newsletter.text")}</p>
<form method="post" action="/${lang}/newsletter/subscribe">
${csrfInput(ctx.csrfToken)}
<input type="hidden" name="returnTo" value="${returnTo}">
<button type="submit">${t(lang, "welcome.newsletter.subscribe")}</button>
</form>
</section>`;
    return sendHtml(
      reply,
      200,
      page(
        ctx,
        t(lang, "welcome.title"),
        html`<h1>${t(lang, "welcome.title")}</h1>
<p class="lead">${t(lang, "welcome.text")}</p>
${offer}
<p><a class="button secondary" href="${returnTo}">${t(lang, "welcome.continue")}</a></p>`,
      ),
    );
  });

  app.post("/newsletter/subscribe", async (request, reply) => {
    if (!request.user) throw new UserError("not_authenticated");
    await subscribeNewsletter(deps, request.user);
    return reply.redirect(withQuery(`/${lang}/welcome`, { returnTo: returnToOf(request, lang) }), 303);
  });

  // A GET only shows a button: mail scanners that follow links must not unsubscribe anyone.
  app.get("/newsletter/unsubscribe", async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const ctx = pageContext(lang, request, reply);
    let body = html`<h1>${t(lang, "unsubscribe.title")}</h1>`;
    try {
      checkUnsubscribeLink(deps.secret, query.u, query.t);
      body = html`${body}
${
  query.done === "1"
    ? notice(t(lang, "unsubscribe.done"))
    : html`<p>${t(lang, "unsubscribe.text")}</p>
<form method="post" action="${withQuery(`/${lang}/newsletter/unsubscribe`, { u: query.u ?? "", t: query.t ?? "" })}">
<button type="submit">${t(lang, "unsubscribe.submit")}</button>
</form>`
}`;
      return sendHtml(reply, 200, page(ctx, t(lang, "unsubscribe.title"), body));
    } catch (error) {
      const failure = formFailure(lang, error);
      return sendHtml(
        reply,
        failure.status,
        page(ctx, t(lang, "unsubscribe.title"), html`${body}${errorSummary(lang, failure.message, {})}`),
      );
    }
  });

  // RFC 8058 one-click: the mail provider POSTs `List-Unsubscribe=One-Click` to the link,
  // without our CSRF token; the signed link is the authorisation.
  app.post("/newsletter/unsubscribe", { config: { csrf: "signed-link" } }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const userId = checkUnsubscribeLink(deps.secret, query.u, query.t);
    await unsubscribeNewsletter(deps, userId);
    const body = request.body as Record<string, unknown> | undefined;
    if (body?.["List-Unsubscribe"] === "One-Click")
      return reply.type("text/plain").send(t(lang, "unsubscribe.done"));
    return reply.redirect(
      withQuery(`/${lang}/newsletter/unsubscribe`, { u: query.u ?? "", t: query.t ?? "", done: "1" }),
      303,
    );
  });
}
