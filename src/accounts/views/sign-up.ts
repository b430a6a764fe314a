import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, field, select } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { countryOptions } from "../countries.ts";
import { passwordRules } from "../password-policy.ts";

export type Values = Record<"email" | "name" | "organisation" | "country" | "language", string> & {
  acceptTerms: boolean;
};

/** The password rule, shown before the user types (DESIGN.md: the organisation's wording). */
export function passwordRuleHint(ctx: PageContext) {
  return html`${t(ctx.lang, "password.rule.intro")}<ul>${passwordRules.map((r) => html`<li>${t(ctx.lang, `password.rule.${r}`)}</li>`)}</ul>`;
}

/** Name, organisation, country and language: asked at sign-up, changed on the account page. */
export function profileFields(
  lang: Lang,
  values: Record<"name" | "organisation" | "country" | "language", string>,
  errors: FieldProblems,
) {
  const countries = countryOptions(lang).map((c) => ({ value: c.code, label: c.name }));
  const languages = [
    { value: "en", label: "English" },
    { value: "fr", label: "Français" },
  ];
  return html`${field(lang, { name: "name", label: "field.name", value: values.name, autocomplete: "name" }, errors)}
${field(lang, { name: "organisation", label: "field.organisation", value: values.organisation, autocomplete: "organization" }, errors)}
${select(lang, { name: "country", label: "field.country", value: values.country, autocomplete: "country", options: countries }, errors)}
${select(lang, { name: "language", label: "field.language", value: values.language, options: languages }, errors)}`;
}

export function signUpView(
  ctx: PageContext,
  values: Values,
  returnTo: string,
  message: string | null,
  errors: FieldProblems,
) {
  const { lang } = ctx;
  return page(
    ctx,
    t(lang, "register.title"),
    html`<h1>${t(lang, "register.title")}</h1>
<p>${t(lang, "register.intro")}</p>
${errorSummary(lang, message, errors, { labelled: true })}
<form method="post" action="/${lang}/register" novalidate>
${csrfInput(ctx.csrfToken)}
<input type="hidden" name="returnTo" value="${returnTo}">
${field(lang, { name: "email", label: "field.email", type: "email", value: values.email, autocomplete: "email" }, errors)}
${field(lang, { name: "password", label: "field.password", type: "password", autocomplete: "new-password", hint: passwordRuleHint(ctx) }, errors)}
${profileFields(lang, values, errors)}
<div class="field checkbox${errors.acceptTerms ? " invalid" : ""}">
${errors.acceptTerms ? html`<p class="error" id="acceptTerms-error">${t(lang, "field.terms_required")}</p>` : ""}
<input type="checkbox" id="acceptTerms" name="acceptTerms" value="on"${values.acceptTerms ? " checked" : ""}${errors.acceptTerms ? html` aria-invalid="true" aria-describedby="acceptTerms-error"` : ""}>
<label for="acceptTerms">${t(lang, "field.accept_terms")} (<a href="/${lang}/terms">${t(lang, "terms.link")}</a>)</label>
</div>
<button type="submit">${t(lang, "register.submit")}</button>
</form>
<p>${t(lang, "register.have_account")} <a href="/${lang}/login">${t(lang, "nav.login")}</a></p>`,
  );
}
