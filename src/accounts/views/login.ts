import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, field, notice } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { withQuery } from "../../web/links.ts";

export function logInView(
  ctx: PageContext,
  email: string,
  returnTo: string,
  message: string | null,
  info: string | null,
  errors: FieldProblems = {},
) {
  const { lang } = ctx;
  // "Forgot your password?" comes back here afterwards, and from here to where the user was.
  const loginHere = withQuery(`/${lang}/login`, { returnTo });
  return page(
    ctx,
    t(lang, "login.title"),
    html`<h1>${t(lang, "login.title")}</h1>
${info ? notice(info) : ""}
${errorSummary(lang, message, errors, { labelled: true })}
<form method="post" action="/${lang}/login" novalidate>
${csrfInput(ctx.csrfToken)}
<input type="hidden" name="returnTo" value="${returnTo}">
${field(lang, { name: "email", label: "field.email", type: "email", value: email, autocomplete: "username" }, errors)}
${field(lang, { name: "password", label: "field.password", type: "password", autocomplete: "current-password" }, {})}
<button type="submit">${t(lang, "login.submit")}</button>
</form>
<p><a href="${withQuery(`/${lang}/password-reset`, { returnTo: loginHere })}">${t(lang, "login.forgot")}</a></p>
<p>${t(lang, "login.no_account")} <a href="${withQuery(`/${lang}/register`, { returnTo })}">${t(lang, "nav.register")}</a></p>`,
  );
}
