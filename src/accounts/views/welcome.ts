import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, notice } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { withQuery } from "../../web/links.ts";
import type { User } from "../../web/user.ts";

/** Step 3 of the account flow: "Your account was created", the newsletter offer, and back. */
export function welcomeView(ctx: PageContext, user: User, returnTo: string): string {
  const { lang } = ctx;
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
  return page(
    ctx,
    t(lang, "welcome.title"),
    html`<h1>${t(lang, "welcome.title")}</h1>
<p class="lead">${t(lang, "welcome.text")}</p>
${offer}
<p><a class="button secondary" href="${returnTo}">${t(lang, "welcome.continue")}</a></p>`,
  );
}

/**
 * The newsletter's unsubscribe link: a button (mail scanners that follow links must not
 * unsubscribe anyone), "done" after it, or why the link does not work.
 */
export function unsubscribeView(
  ctx: PageContext,
  query: { u?: string | undefined; t?: string | undefined; done?: string | undefined },
  problem: string | null,
): string {
  const { lang } = ctx;
  const heading = html`<h1>${t(lang, "unsubscribe.title")}</h1>`;
  if (problem)
    return page(ctx, t(lang, "unsubscribe.title"), html`${heading}${errorSummary(lang, problem, {})}`);
  const body =
    query.done === "1"
      ? notice(t(lang, "unsubscribe.done"))
      : html`<p>${t(lang, "unsubscribe.text")}</p>
<form method="post" action="${withQuery(`/${lang}/newsletter/unsubscribe`, { u: query.u ?? "", t: query.t ?? "" })}">
<button type="submit">${t(lang, "unsubscribe.submit")}</button>
</form>`;
  return page(
    ctx,
    t(lang, "unsubscribe.title"),
    html`${heading}
${body}`,
  );
}
