import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure, formValue } from "../../web/form.ts";
import { languages } from "../../web/i18n.ts";
import { withQuery } from "../../web/links.ts";
import { sendHtml } from "../../web/reply.ts";
import { setAccountCookie } from "../cookie.ts";
import { register } from "../registration.ts";
import { signUpView, type Values } from "../views/sign-up.ts";
import { limitedRoute, pageOptions, returnToOf } from "./shared.ts";

export function signUpRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  for (const lang of languages) {
    const options = pageOptions(deps, lang);
    app.get(`/${lang}/register`, async (request, reply) => {
      const empty: Values = {
        email: "",
        name: "",
        organisation: "",
        country: "",
        language: lang,
        acceptTerms: false,
      };
      return sendHtml(
        reply,
        200,
        signUpView(pageContext(lang, request, reply), empty, returnToOf(request, lang), null, {}),
      );
    });

    app.post(`/${lang}/register`, limitedRoute(options), async (request, reply) => {
      const body = request.body;
      const values: Values = {
        email: formValue(body, "email"),
        name: formValue(body, "name"),
        organisation: formValue(body, "organisation"),
        country: formValue(body, "country"),
        language: formValue(body, "language"),
        acceptTerms: formValue(body, "acceptTerms") === "on",
      };
      const returnTo = returnToOf(request, lang);
      try {
        const { email, token } = await register(
          deps,
          { ...values, password: formValue(body, "password") },
          request.ip,
        );
        setAccountCookie(reply, "signup", token, options.secureCookies);
        return reply.redirect(withQuery(`/${lang}/verify`, { email, returnTo }), 303);
      } catch (error) {
        const failure = formFailure(lang, error);
        return sendHtml(
          reply,
          failure.status,
          signUpView(pageContext(lang, request, reply), values, returnTo, failure.message, failure.errors),
        );
      }
    });
  }
}
