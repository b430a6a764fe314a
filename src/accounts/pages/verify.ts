import type { FastifyInstance, FastifyRequest } from "fastify";
import { type PageContext, pageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldErrors, field, formValue, notice } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { clearAccountCookie, readAccountCookie, setAccountCookie } from "../cookie.ts";
import { resendVerification, verifyEmail } from "../registration.ts";
import { normaliseEmail } from "../validate.ts";
import {
  formFailure,
  limitedRoute,
  type PageDeps,
  type PagesOptions,
  returnToOf,
  sendHtml,
  withQuery,
} from "./shared.ts";

type State = {
  email: string;
  /** This browser made no sign-up (or another one since): the password chosen proves it is theirs. */
  askPassword: boolean;
  returnTo: string;
  message: string | null;
  errors: FieldErrors;
  info: string | null;
};

function view(ctx: PageContext, s: State) {
  const { lang } = ctx;
  return page(
    ctx,
    t(lang, "verify.title"),
    html`<h1>${t(lang, "verify.title")}</h1>
${s.info ? notice(s.info) : ""}
<p>${t(lang, "verify.intro", { email: s.email })}</p>
${errorSummary(lang, s.message, s.errors)}
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

export function verifyPages(app: FastifyInstance, deps: PageDeps, options: PagesOptions): void {
  const { lang } = options;
  const token = (request: FastifyRequest) => readAccountCookie(request, "signup", options.secureCookies);
  const state = (request: FastifyRequest, email: string, returnTo: string): State => ({
    email,
    askPassword: token(request) === undefined,
    returnTo,
    message: null,
    errors: {},
    info: null,
  });

  app.get("/verify", async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const s = state(request, normaliseEmail(query.email ?? ""), returnToOf(request, lang));
    if (query.sent === "1") s.info = t(lang, "verify.sent_again");
    return sendHtml(reply, 200, view(pageContext(lang, request, reply), s));
  });

  app.post("/verify", limitedRoute(options), async (request, reply) => {
    const email = normaliseEmail(formValue(request.body, "email"));
    const returnTo = returnToOf(request, lang);
    try {
      const { sessionToken } = await verifyEmail(
        deps,
        {
          email,
          code: formValue(request.body, "code"),
          token: token(request),
          password: formValue(request.body, "password"),
        },
        request.ip,
      );
      setAccountCookie(reply, "session", sessionToken, options.secureCookies);
      clearAccountCookie(reply, "signup", options.secureCookies);
      return reply.redirect(withQuery(`/${lang}/welcome`, { returnTo }), 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      const field = Object.keys(failure.errors)[0] ?? "code";
      const s = {
        ...state(request, email, returnTo),
        message: failure.message,
        errors: { [field]: [failure.message] },
      };
      return sendHtml(reply, failure.status, view(pageContext(lang, request, reply), s));
    }
  });

  app.post("/verify/resend", limitedRoute(options), async (request, reply) => {
    const email = normaliseEmail(formValue(request.body, "email"));
    const returnTo = returnToOf(request, lang);
    try {
      await resendVerification(deps, email, token(request), request.ip);
      return reply.redirect(withQuery(`/${lang}/verify`, { email, returnTo, sent: "1" }), 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      const s = { ...state(request, email, returnTo), message: failure.message };
      return sendHtml(reply, failure.status, view(pageContext(lang, request, reply), s));
    }
  });
}
