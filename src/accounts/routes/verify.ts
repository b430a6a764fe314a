import type { FastifyInstance, FastifyRequest } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure, formValue } from "../../web/form.ts";
import { languages, t } from "../../web/i18n.ts";
import { withQuery } from "../../web/links.ts";
import { sendHtml } from "../../web/reply.ts";
import { clearAccountCookie, readAccountCookie, setAccountCookie } from "../cookie.ts";
import { resendVerification, verifyEmail } from "../registration.ts";
import { type State, verifyView } from "../views/verify.ts";
import { limitedRoute, pageOptions, returnToOf } from "./shared.ts";

export function verifyRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  for (const lang of languages) {
    const options = pageOptions(deps, lang);
    const token = (request: FastifyRequest) => readAccountCookie(request, "signup", options.secureCookies);
    const state = (request: FastifyRequest, email: string, returnTo: string): State => ({
      email,
      askPassword: token(request) === undefined,
      returnTo,
      message: null,
      errors: {},
      info: null,
    });

    app.get(`/${lang}/verify`, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      // As given: verifyEmail and resendVerification put it in its one form (email-address.ts).
      const s = state(request, (query.email ?? "").trim(), returnToOf(request, lang));
      if (query.sent === "1") s.info = t(lang, "verify.sent_again");
      return sendHtml(reply, 200, verifyView(pageContext(lang, request, reply), s));
    });

    app.post(`/${lang}/verify`, limitedRoute(options), async (request, reply) => {
      const email = formValue(request.body, "email").trim();
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
        return sendHtml(reply, failure.status, verifyView(pageContext(lang, request, reply), s));
      }
    });

    app.post(`/${lang}/verify/resend`, limitedRoute(options), async (request, reply) => {
      const email = formValue(request.body, "email").trim();
      const returnTo = returnToOf(request, lang);
      try {
        await resendVerification(deps, email, token(request), request.ip);
        return reply.redirect(withQuery(`/${lang}/verify`, { email, returnTo, sent: "1" }), 303);
      } catch (error) {
        const failure = formFailure(lang, error);
        const s = { ...state(request, email, returnTo), message: failure.message };
        return sendHtml(reply, failure.status, verifyView(pageContext(lang, request, reply), s));
      }
    });
  }
}
