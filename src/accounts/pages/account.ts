import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { UserError } from "../../errors.ts";
import { type PageContext, pageContext } from "../../web/context.ts";
import {
  csrfInput,
  errorSummary,
  type FieldErrors,
  field,
  formValue,
  notice,
  select,
} from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { parseId } from "../../web/ids.ts";
import { formatDateTime } from "../../web/intl.ts";
import { page } from "../../web/layout.ts";
import { type ApiToken, createApiToken, listApiTokens, revokeApiToken, tokenScopes } from "../api-tokens.ts";
import { countryOptions } from "../countries.ts";
import { isEditor } from "../guards.ts";
import { changePassword, changeProfile, subscribeNewsletter, unsubscribeNewsletter } from "../profile.ts";
import type { User } from "../store.ts";
import { passwordRuleHint } from "./register.ts";
import {
  formFailure,
  limitedRoute,
  type PageDeps,
  type PagesOptions,
  sendHtml,
  withQuery,
} from "./shared.ts";

type Tokens = { list: ApiToken[]; created: string | null };

type Problems = {
  profile?: { message: string; errors: FieldErrors };
  password?: { message: string; errors: FieldErrors };
};

function tokensSection(ctx: PageContext, tokens: Tokens) {
  const { lang } = ctx;
  return html`<section aria-labelledby="tokens-heading">
<h2 id="tokens-heading">${t(lang, "account.tokens")}</h2>
<p>${t(lang, "account.tokens.intro")}</p>
${tokens.created ? html`<div class="notice" role="status"><p>${t(lang, "account.tokens.created")}</p><p><code class="token">${tokens.created}</code></p></div>` : ""}
${
  tokens.list.length
    ? html`<table class="tokens"><thead><tr><th scope="col">${t(lang, "account.tokens.name")}</th><th scope="col">${t(lang, "account.tokens.scope")}</th><th scope="col">${t(lang, "account.tokens.created_on")}</th><th scope="col">${t(lang, "account.tokens.last_used")}</th><th scope="col"><span class="visually-hidden">${t(lang, "account.tokens.revoke")}</span></th></tr></thead><tbody>${tokens.list.map(
        (
          token,
        ) => html`<tr><td>${token.name}</td><td>${t(lang, `account.tokens.scope.${token.scope}`)}</td><td>${formatDateTime(lang, token.createdAt)}</td><td>${token.lastUsedAt ? formatDateTime(lang, token.lastUsedAt) : t(lang, "account.tokens.never_used")}</td>
<td><form method="post" action="/${lang}/account/tokens/${token.id}/revoke" class="inline">${csrfInput(ctx.csrfToken)}
<button type="submit" class="link">${t(lang, "account.tokens.revoke")} <span class="visually-hidden">${token.name}</span></button></form></td></tr>`,
      )}</tbody></table>`
    : ""
}
<form method="post" action="/${lang}/account/tokens">${csrfInput(ctx.csrfToken)}
${field(lang, { name: "tokenName", label: "account.tokens.name" }, {})}
${select(lang, { name: "scope", label: "account.tokens.scope", value: "read", options: tokenScopes.filter((scope) => scope === "read" || isEditor(ctx.user)).map((scope) => ({ value: scope, label: t(lang, `account.tokens.scope.${scope}`) })) }, {})}
<button type="submit">${t(lang, "account.tokens.create")}</button></form>
</section>`;
}

function view(ctx: PageContext, user: User, info: string | null, problems: Problems, tokens: Tokens) {
  const { lang } = ctx;
  const profileErrors = problems.profile?.errors ?? {};
  const passwordErrors = problems.password?.errors ?? {};
  return page(
    ctx,
    t(lang, "account.title"),
    html`<h1>${t(lang, "account.title")}</h1>
${info ? notice(info) : ""}
<p>${t(lang, "field.email")}: <strong>${user.email}</strong></p>
<section aria-labelledby="profile-heading">
<h2 id="profile-heading">${t(lang, "account.profile")}</h2>
${errorSummary(lang, problems.profile?.message ?? null, profileErrors)}
<form method="post" action="/${lang}/account" novalidate>${csrfInput(ctx.csrfToken)}
${field(lang, { name: "name", label: "field.name", value: user.name, autocomplete: "name" }, profileErrors)}
${field(lang, { name: "organisation", label: "field.organisation", value: user.organisation, autocomplete: "organization" }, profileErrors)}
${select(lang, { name: "country", label: "field.country", value: user.country, autocomplete: "country", options: countryOptions(lang).map((c) => ({ value: c.code, label: c.name })) }, profileErrors)}
${select(
  lang,
  {
    name: "language",
    label: "field.language",
    value: user.language,
    options: [
      { value: "en", label: "English" },
      { value: "fr", label: "Français" },
    ],
  },
  profileErrors,
)}
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
${errorSummary(lang, problems.password?.message ?? null, passwordErrors)}
<form method="post" action="/${lang}/account/password" novalidate>${csrfInput(ctx.csrfToken)}
${field(lang, { name: "currentPassword", label: "field.current_password", type: "password", autocomplete: "current-password" }, passwordErrors)}
${field(lang, { name: "newPassword", label: "field.new_password", type: "password", autocomplete: "new-password", hint: passwordRuleHint(ctx) }, passwordErrors)}
<div class="field checkbox"><input type="checkbox" id="revokeTokens" name="revokeTokens" value="on" checked>
<label for="revokeTokens">${t(lang, "account.password.revoke_tokens")}</label></div>
<button type="submit">${t(lang, "account.password.submit")}</button></form>
</section>
${tokensSection(ctx, tokens)}`,
  );
}

export function accountPages(app: FastifyInstance, deps: PageDeps, options: PagesOptions): void {
  const { lang } = options;
  const post = limitedRoute(options);

  /** Pages of the account need a log-in; the log-in page brings the user back here. */
  const loggedIn = (request: FastifyRequest, reply: FastifyReply): User | null => {
    if (request.user) return request.user;
    void reply.redirect(withQuery(`/${lang}/login`, { returnTo: `/${lang}/account` }), 303);
    return null;
  };
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    status: number,
    info: string | null,
    problems: Problems,
    created: string | null = null,
  ) => {
    const tokens = { list: await listApiTokens(deps.db, user.id), created };
    return sendHtml(reply, status, view(pageContext(lang, request, reply), user, info, problems, tokens));
  };

  app.get("/account", async (request, reply) => {
    const user = loggedIn(request, reply);
    if (!user) return reply;
    const saved = (request.query as Record<string, string | undefined>).saved;
    const info =
      saved === "profile"
        ? t(lang, "account.saved")
        : saved === "password"
          ? t(lang, "account.password.saved")
          : null;
    return show(request, reply, user, 200, info, {});
  });

  app.post("/account", post, async (request, reply) => {
    const user = loggedIn(request, reply);
    if (!user) return reply;
    try {
      const updated = await changeProfile(deps, user, request.body as Record<string, unknown>);
      // A new language takes effect at once: the page comes back in it.
      return reply.redirect(`/${updated.language}/account?saved=profile`, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, user, failure.status, null, { profile: failure });
    }
  });

  app.post("/account/newsletter", async (request, reply) => {
    const user = loggedIn(request, reply);
    if (!user) return reply;
    if (formValue(request.body, "subscribe") === "1") await subscribeNewsletter(deps, user);
    else await unsubscribeNewsletter(deps, user.id);
    return reply.redirect(`/${lang}/account`, 303);
  });

  app.post("/account/tokens", post, async (request, reply) => {
    const user = loggedIn(request, reply);
    if (!user) return reply;
    try {
      const token = await createApiToken(
        deps,
        user,
        formValue(request.body, "tokenName"),
        formValue(request.body, "scope") || "read",
      );
      // Shown once, in the answer to the POST: it is never stored in clear.
      return show(request, reply, user, 201, null, {}, token);
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, user, failure.status, failure.message, {});
    }
  });

  app.post("/account/tokens/:id/revoke", async (request, reply) => {
    const user = loggedIn(request, reply);
    if (!user) return reply;
    const id = parseId((request.params as { id: string }).id);
    if (id === null) throw new UserError("not_found");
    await revokeApiToken(deps.db, user.id, id);
    return reply.redirect(`/${lang}/account`, 303);
  });

  app.post("/account/password", post, async (request, reply) => {
    const user = loggedIn(request, reply);
    if (!user) return reply;
    try {
      await changePassword(
        deps,
        user,
        formValue(request.body, "currentPassword"),
        formValue(request.body, "newPassword"),
        request.sessionToken,
        { revokeTokens: formValue(request.body, "revokeTokens") === "on" },
      );
      return reply.redirect(`/${lang}/account?saved=password`, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, user, failure.status, null, { password: failure });
    }
  });
}
