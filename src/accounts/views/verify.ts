import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, field, notice } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";

export type State = {
  email: string;
  /** This browser made no sign-up (or another one since): the password chosen proves it is theirs. */
  askPassword: boolean;
  returnTo: string;
  message: string | null;
  errors: FieldProblems;
  info: string | null;
};

export function verifyView(ctx: PageContext, s: State) {
  const { lang } = ctx;
  return page(
    ctx,
    t(lang, "verify.title"),
    html`<h1>${t(lang, "verify.title")}</h1>
${s.info ? notice(s.info) : ""}
<p>${t(lang, "verify.intro", { email: s.email })}</p>
${errorSummary(lang, s.message, s.errors, { labelled: true })}
<form method="post" action="/${lang}/verify" novalidate>
${csrfInput(ctx.csrfToken)}
<input type="hidden" name="email" value="${s.email}">
<input type="hidden" name="returnTo" value="${s.returnTo}">
${field(lang, { name: "code", label: "field.code", autocomplete: "one-time-code", inputmode: "numeric", hint: t(lang, "verify.code_hint") }, s.errors)}
${s.askPassword ? field(lang, { name: "password", label: "field.signup_password", type: "password", autocomplete: "current-password", hint: t(lang, "verify.password_hint") }, s.errors) : ""}
<button type="submit">${t(lang, "verify.submit")}</button>
</form>
<form method="post" action="/${lang}/verify/resend" class="secondary">
${csrfInput(ctx.csrfToken)}
<input type="hidden" name="email" value="${s.email}">
<input type="hidden" name="returnTo" value="${s.returnTo}">
<p>${t(lang, "verify.no_code")} <button type="submit" class="link">${t(lang, "verify.resend")}</button></p>
</form>`,
  );
}
