import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, field, notice, select } from "../../web/form.ts";
import { isEditor } from "../../web/guards.ts";
import { html } from "../../web/html.ts";
import { colon, t } from "../../web/i18n.ts";
import { formatDateTime } from "../../web/intl.ts";
import { page } from "../../web/layout.ts";
import { tokenScopes } from "../api-tokens.ts";
import type { User } from "../store.ts";
import type { ApiToken } from "../token-store.ts";
import { passwordRuleHint, profileFields } from "./sign-up.ts";

export type Tokens = {
  list: ApiToken[];
  created: string | null;
  /** Why a token could not be made, with the name as typed. */
  problem?: { message: string; errors: FieldProblems; name: string };
};

export type Problems = {
  profile?: { message: string; errors: FieldProblems };
  password?: { message: string; errors: FieldProblems };
};

export function tokensSection(ctx: PageContext, tokens: Tokens) {
  const { lang } = ctx;
  return html`<section aria-labelledby="tokens-heading">
<h2 id="tokens-heading">${t(lang, "account.tokens")}</h2>
<p>${t(lang, "account.tokens.intro")}</p>
${tokens.created ? html`<div class="notice" role="status"><p>${t(lang, "account.tokens.created")}</p><p><code class="token">${tokens.created}</code></p></div>` : ""}
${
  tokens.list.length
    ? html`<div class="table-scroll"><table class="tokens"><thead><tr><th scope="col">${t(lang, "account.tokens.name")}</th><th scope="col">${t(lang, "account.tokens.scope")}</th><th scope="col">${t(lang, "account.tokens.created_on")}</th><th scope="col">${t(lang, "account.tokens.last_used")}</th><th scope="col"><span class="visually-hidden">${t(lang, "account.tokens.revoke")}</span></th></tr></thead><tbody>${tokens.list.map(
        (
          token,
        ) => html`<tr><td>${token.name}</td><td>${t(lang, `account.tokens.scope.${token.scope}`)}</td><td>${formatDateTime(lang, token.createdAt)}</td><td>${token.lastUsedAt ? formatDateTime(lang, token.lastUsedAt) : t(lang, "account.tokens.never_used")}</td>
<td><form method="post" action="/${lang}/account/tokens/${token.id}/revoke" class="inline">${csrfInput(ctx.csrfToken)}
<button type="submit" class="link">${t(lang, "account.tokens.revoke")} <span class="visually-hidden">${token.name}</span></button></form></td></tr>`,
      )}</tbody></table></div>`
    : ""
}
${tokens.problem ? errorSummary(lang, tokens.problem.message, tokens.problem.errors) : ""}
<form method="post" action="/${lang}/account/tokens">${csrfInput(ctx.csrfToken)}
${field(lang, { name: "tokenName", label: "account.tokens.name", value: tokens.problem?.name ?? "" }, tokens.problem?.errors ?? {})}
${select(lang, { name: "scope", label: "account.tokens.scope", value: "read", options: tokenScopes.filter((scope) => scope === "read" || isEditor(ctx.user)).map((scope) => ({ value: scope, label: t(lang, `account.tokens.scope.${scope}`) })) }, {})}
<button type="submit">${t(lang, "account.tokens.create")}</button></form>
</section>`;
}

export function accountView(
  ctx: PageContext,
  user: User,
  info: string | null,
  problems: Problems,
  tokens: Tokens,
) {
  const { lang } = ctx;
  const profileErrors = problems.profile?.errors ?? {};
  const passwordErrors = problems.password?.errors ?? {};
  return page(
    ctx,
    t(lang, "account.title"),
    html`<h1>${t(lang, "account.title")}</h1>
${info ? notice(info) : ""}
<p>${t(lang, "field.email")}${colon(lang)} <strong>${user.email}</strong></p>
<p><a href="/${lang}/account/saved-searches">${t(lang, "alerts.account_link")}</a></p>
<section aria-labelledby="profile-heading">
<h2 id="profile-heading">${t(lang, "account.profile")}</h2>
${errorSummary(lang, problems.profile?.message ?? null, profileErrors, { labelled: true })}
<form method="post" action="/${lang}/account" novalidate>${csrfInput(ctx.csrfToken)}
${profileFields(lang, user, profileErrors)}
<button type="submit">${t(lang, "account.save")}</button></form>
</section>
<section aria-labelledby="newsletter-heading">
<h2 id="newsletter-heading">${t(lang, "account.newsletter")}</h2>
<p>${user.newsletter ? t(lang, "account.newsletter.on") : t(lang, "account.newsletter.off")}</p>
<form method="post" action="/${lang}/account/newsletter">${csrfInput(ctx.csrfToken)}
<input type="hidden" name="subscribe" value="${user.newsletter ? "0" : "1"}">
<button type="submit">${user.newsletter ? t(lang, "account.newsletter.unsubscribe") : t(lang, "welcome.newsletter.subscribe")}</button></form>
</section>
<section aria-labelledby="password-heading">
<h2 id="password-heading">${t(lang, "account.password")}</h2>
${errorSummary(lang, problems.password?.message ?? null, passwordErrors, { labelled: true })}
<form method="post" action="/${lang}/account/password" novalidate>${csrfInput(ctx.csrfToken)}
${field(lang, { name: "currentPassword", label: "field.current_password", type: "password", autocomplete: "current-password" }, passwordErrors)}
${field(lang, { name: "newPassword", label: "field.new_password", type: "password", autocomplete: "new-password", hint: passwordRuleHint(ctx) }, passwordErrors)}
<div class="field checkbox"><input type="checkbox" id="revokeTokens" name="revokeTokens" value="on" checked>
<label for="revokeTokens">${t(lang, "account.password.revoke_tokens")}</label></div>
<button type="submit">${t(lang, "account.password.submit")}</button></form>
</section>
${tokensSection(ctx, tokens)}
<section aria-labelledby="webhooks-heading">
<h2 id="webhooks-heading">${t(lang, "account.webhooks")}</h2>
<p>${t(lang, "account.webhooks.intro")} <a href="/${lang}/account/webhooks">${t(lang, "account.webhooks.link")}</a></p>
</section>`,
  );
}
