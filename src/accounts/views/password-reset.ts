import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, field, notice } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { passwordRuleHint } from "./sign-up.ts";

export type Step = "email" | "code" | "password";

export type State = {
  email: string;
  code: string;
  returnTo: string;
  message: string | null;
  errors: FieldProblems;
  info: string | null;
};

export function hidden(s: State, ...names: ("email" | "code" | "returnTo")[]) {
  return names.map((n) => html`<input type="hidden" name="${n}" value="${s[n]}">`);
}

export function passwordResetView(ctx: PageContext, step: Step, s: State) {
  const { lang } = ctx;
  const forms = {
    email: html`<p>${t(lang, "reset.email_intro")}</p>
<form method="post" action="/${lang}/password-reset" novalidate>${csrfInput(ctx.csrfToken)}${hidden(s, "returnTo")}
${field(lang, { name: "email", label: "field.email", type: "email", value: s.email, autocomplete: "email" }, s.errors)}
<button type="submit">${t(lang, "reset.send_code")}</button></form>`,
    code: html`<p>${t(lang, "reset.code_intro", { email: s.email })}</p>
<form method="post" action="/${lang}/password-reset/code" novalidate>${csrfInput(ctx.csrfToken)}${hidden(s, "email", "returnTo")}
${field(lang, { name: "code", label: "field.code", autocomplete: "one-time-code", inputmode: "numeric", hint: t(lang, "verify.code_hint") }, s.errors)}
<button type="submit">${t(lang, "reset.check_code")}</button></form>
<form method="post" action="/${lang}/password-reset" class="secondary">${csrfInput(ctx.csrfToken)}${hidden(s, "email", "returnTo")}
<p>${t(lang, "verify.no_code")} <button type="submit" class="link">${t(lang, "verify.resend")}</button></p></form>`,
    password: html`<form method="post" action="/${lang}/password-reset/new" novalidate>${csrfInput(ctx.csrfToken)}${hidden(s, "email", "code", "returnTo")}
${field(lang, { name: "password", label: "field.new_password", type: "password", autocomplete: "new-password", hint: passwordRuleHint(ctx) }, s.errors)}
<button type="submit">${t(lang, "reset.save")}</button></form>`,
  };
  return page(
    ctx,
    t(lang, "reset.title"),
    html`<h1>${t(lang, "reset.title")}</h1>${s.info ? notice(s.info) : ""}${errorSummary(lang, s.message, s.errors, { labelled: true })}${forms[step]}`,
  );
}
