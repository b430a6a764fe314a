import type { FastifyInstance } from "fastify";
import { type PageContext, pageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldErrors, field, formValue, notice } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { setSessionCookie } from "../cookie.ts";
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
  const state = (email: string, returnTo: string): State => ({
    email,
    returnTo,
    message: null,
    errors: {},
    info: null,
  });

  app.get("/verify", async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const s = state(normaliseEmail(query.email ?? ""), returnToOf(request, lang));
    if (query.sent === "1") s.info = t(lang, "verify.sent_again");
    return sendHtml(reply, 200, view(pageContext(lang, request, reply), s));
  });

  app.post(
    "/verify",
    { ...limitedRoute(options), preHandler: app.csrfProtection },
    async (request, reply) => {
      const email = normaliseEmail(formValue(request.body, "email"));
      const returnTo = returnToOf(request, lang);
      try {
        const { sessionToken } = await verifyEmail(deps, email, formValue(request.body, "code"));
        setSessionCookie(reply, sessionToken, options.secureCookies);
        return reply.redirect(withQuery(`/${lang}/welcome`, { returnTo }), 303);
      } catch (error) {
        const failure = formFailure(lang, error);
        const s = {
          ...state(email, returnTo),
          message: failure.message,
          errors: { code: [failure.message] },
        };
        return sendHtml(reply, failure.status, view(pageContext(lang, request, reply), s));
      }
    },
  );

  app.post(
    "/verify/resend",
    { ...limitedRoute(options), preHandler: app.csrfProtection },
    async (request, reply) => {
      const email = normaliseEmail(formValue(request.body, "email"));
      const returnTo = returnToOf(request, lang);
      try {
        await resendVerification(deps, email);
        return reply.redirect(withQuery(`/${lang}/verify`, { email, returnTo, sent: "1" }), 303);
      } catch (error) {
        const failure = formFailure(lang, error);
        const s = { ...state(email, returnTo), message: failure.message };
        return sendHtml(reply, failure.status, view(pageContext(lang, request, reply), s));
      }
    },
  );
}
