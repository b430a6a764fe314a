import type { FastifyInstance, FastifyRequest } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure, formValue } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { languages, t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { withQuery } from "../../web/links.ts";
import { sendHtml } from "../../web/reply.ts";
import { clearAccountCookie, readAccountCookie, setAccountCookie } from "../cookie.ts";
import { checkResetCode, confirmPasswordReset, requestPasswordReset } from "../password-reset.ts";
import { passwordResetView, type State } from "../views/password-reset.ts";
import { limitedRoute, pageOptions, returnToOf } from "./shared.ts";

/** Reset password: e-mail → code → new password → "Your password has been updated" → back to the page. */
export function passwordResetRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  for (const lang of languages) {
    const options = pageOptions(deps, lang);
    const post = limitedRoute(options);
    const resetToken = (request: FastifyRequest) =>
      readAccountCookie(request, "reset", options.secureCookies);
    // The address as typed, to show again; the reset puts it in its one form (email-address.ts).
    const stateOf = (body: unknown, returnTo: string): State => ({
      email: formValue(body, "email").trim(),
      code: formValue(body, "code"),
      returnTo,
      message: null,
      errors: {},
      info: null,
    });

    app.get(`/${lang}/password-reset`, async (request, reply) => {
      const email = (request.query as Record<string, string | undefined>).email ?? "";
      const s = { ...stateOf({ email }, returnToOf(request, lang)) };
      return sendHtml(reply, 200, passwordResetView(pageContext(lang, request, reply), "email", s));
    });

    app.post(`/${lang}/password-reset`, post, async (request, reply) => {
      const s = stateOf(request.body, returnToOf(request, lang));
      let token: string;
      try {
        token = await requestPasswordReset(deps, s.email, resetToken(request), request.ip);
      } catch (error) {
        const failure = formFailure(lang, error);
        const problem = { ...s, message: failure.message, errors: failure.errors };
        return sendHtml(
          reply,
          failure.status,
          passwordResetView(pageContext(lang, request, reply), "email", problem),
        );
      }
      setAccountCookie(reply, "reset", token, options.secureCookies);
      return reply.redirect(
        withQuery(`/${lang}/password-reset/code`, { email: s.email, returnTo: s.returnTo }),
        303,
      );
    });

    app.get(`/${lang}/password-reset/code`, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const s = {
        ...stateOf({ email: query.email ?? "" }, returnToOf(request, lang)),
        info: t(lang, "api.reset_sent"),
      };
      return sendHtml(reply, 200, passwordResetView(pageContext(lang, request, reply), "code", s));
    });

    app.post(`/${lang}/password-reset/code`, post, async (request, reply) => {
      const s = stateOf(request.body, returnToOf(request, lang));
      try {
        await checkResetCode(deps, s.email, s.code, resetToken(request), request.ip);
        return sendHtml(reply, 200, passwordResetView(pageContext(lang, request, reply), "password", s));
      } catch (error) {
        const failure = formFailure(lang, error);
        const failed = { ...s, message: failure.message, errors: { code: [failure.message] } };
        return sendHtml(
          reply,
          failure.status,
          passwordResetView(pageContext(lang, request, reply), "code", failed),
        );
      }
    });

    app.post(`/${lang}/password-reset/new`, post, async (request, reply) => {
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
          passwordResetView(pageContext(lang, request, reply), step, {
            ...s,
            message: failure.message,
            errors,
          }),
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
}
