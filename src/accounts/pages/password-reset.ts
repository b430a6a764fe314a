import type { FastifyInstance, FastifyRequest } from "fastify";
import { type PageContext, pageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldErrors, field, formValue, notice } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { clearAccountCookie, readAccountCookie, setAccountCookie } from "../cookie.ts";
import { checkResetCode, confirmPasswordReset, requestPasswordReset } from "../password-reset.ts";
import { normaliseEmail } from "../validate.ts";
import { passwordRuleHint } from "./register.ts";
import {
  formFailure,
  limitedRoute,
  type PageDeps,
  type PagesOptions,
  returnToOf,
  sendHtml,
  withQuery,
} from "./shared.ts";

type Step = "email" | "code" | "password";
type State = {
  email: string;
  code: string;
  returnTo: string;
  message: string | null;
  errors: FieldErrors;
  info: string | null;
};

function hidden(s: State, ...names: ("email" | "code" | "returnTo")[]) {
  return names.map((n) => html`<input type="hidden" name="${n}" value="${s[n]}">`);
}

function view(ctx: PageContext, step: Step, s: State) {
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
    html`<h1>${t(lang, "reset.title")}</h1>${s.info ? notice(s.info) : ""}${errorSummary(lang, s.message, s.errors)}${forms[step]}`,
  );
}

/** Reset password: e-mail → code → new password → "Your password has been updated" → back to the page. */
export function passwordResetPages(app: FastifyInstance, deps: PageDeps, options: PagesOptions): void {
  const { lang } = options;
  const post = limitedRoute(options);
  const resetToken = (request: FastifyRequest) => readAccountCookie(request, "reset", options.secureCookies);
  const stateOf = (body: unknown, returnTo: string): State => ({
    email: normaliseEmail(formValue(body, "email")),
    code: formValue(body, "code"),
    returnTo,
    message: null,
    errors: {},
    info: null,
  });

  app.get("/password-reset", async (request, reply) => {
    const email = normaliseEmail((request.query as Record<string, string | undefined>).email ?? "");
    const s = { ...stateOf({ email }, returnToOf(request, lang)) };
    return sendHtml(reply, 200, view(pageContext(lang, request, reply), "email", s));
  });

  app.post("/password-reset", post, async (request, reply) => {
    const s = stateOf(request.body, returnToOf(request, lang));
    if (!s.email) {
      s.errors = { email: ["field.required"] };
      return sendHtml(reply, 400, view(pageContext(lang, request, reply), "email", s));
    }
    const token = await requestPasswordReset(deps, s.email, resetToken(request), request.ip);
    setAccountCookie(reply, "reset", token, options.secureCookies);
    return reply.redirect(
      withQuery(`/${lang}/password-reset/code`, { email: s.email, returnTo: s.returnTo }),
      303,
    );
  });

  app.get("/password-reset/code", async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const s = {
      ...stateOf({ email: query.email ?? "" }, returnToOf(request, lang)),
      info: t(lang, "api.reset_sent"),
    };
    return sendHtml(reply, 200, view(pageContext(lang, request, reply), "code", s));
  });

  app.post("/password-reset/code", post, async (request, reply) => {
    const s = stateOf(request.body, returnToOf(request, lang));
    try {
      await checkResetCode(deps, s.email, s.code, resetToken(request), request.ip);
      return sendHtml(reply, 200, view(pageContext(lang, request, reply), "password", s));
    } catch (error) {
      const failure = formFailure(lang, error);
      const failed = { ...s, message: failure.message, errors: { code: [failure.message] } };
      return sendHtml(reply, failure.status, view(pageContext(lang, request, reply), "code", failed));
    }
  });

  app.post("/password-reset/new", post, async (request, reply) => {
    const s = stateOf(request.body, returnToOf(request, lang));
    try {
      const password = formValue(request.body, "password");
      await confirmPasswordReset(
        deps,
        { email: s.email, code: s.code, password, token: resetToken(request) },
        request.ip,
      );
      clearAccountCookie(reply, "reset", options.secureCookies);
    } catch (error) {
      const failure = formFailure(lang, error);
      // A weak password keeps the user on the password step; a code problem sends them back to the code.
      const step = Object.keys(failure.errors).includes("password") ? "password" : "code";
      const errors = step === "password" ? failure.errors : { code: [failure.message] };
      return sendHtml(
        reply,
        failure.status,
        view(pageContext(lang, request, reply), step, { ...s, message: failure.message, errors }),
      );
    }
    const ctx = pageContext(lang, request, reply);
    return sendHtml(
      reply,
      200,
      page(
        ctx,
        t(lang, "reset.done.title"),
        html`<h1>${t(lang, "reset.done.title")}</h1>
<p>${t(lang, "reset.done.text")}</p>
<p><a class="button" href="${s.returnTo}">${t(lang, "reset.done.back")}</a></p>`,
      ),
    );
  });
}
