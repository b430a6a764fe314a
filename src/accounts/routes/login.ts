import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure, formValue } from "../../web/form.ts";
import { languages, t } from "../../web/i18n.ts";
import { withQuery } from "../../web/links.ts";
import { sendHtml } from "../../web/reply.ts";
import { clearAccountCookie, setAccountCookie } from "../cookie.ts";
import { logIn } from "../login.ts";
import { endSession } from "../sessions.ts";
import { logInView } from "../views/login.ts";
import { limitedRoute, pageOptions, returnToOf } from "./shared.ts";

export function logInRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  for (const lang of languages) {
    const options = pageOptions(deps, lang);

    app.get(`/${lang}/login`, async (request, reply) => {
      const returnTo = returnToOf(request, lang);
      const query = request.query as Record<string, string | undefined>;
      // `ended`: a form was sent after the session ended (editor/guard.ts), so it was not saved.
      const info =
        query.loggedOut === "1"
          ? t(lang, "login.logged_out")
          : query.ended === "1"
            ? t(lang, "login.session_ended")
            : null;
      return sendHtml(reply, 200, logInView(pageContext(lang, request, reply), "", returnTo, null, info));
    });

    app.post(`/${lang}/login`, limitedRoute(options), async (request, reply) => {
      // Shown again as typed; logIn puts it in its one form (accounts/email-address.ts).
      const email = formValue(request.body, "email").trim();
      const returnTo = returnToOf(request, lang);
      try {
        const result = await logIn(deps, email, formValue(request.body, "password"), request.ip);
        if (result.kind === "unverified") {
          setAccountCookie(reply, "signup", result.signupToken, options.secureCookies);
          const verify = { email: result.email, returnTo, sent: "1" };
          return reply.redirect(withQuery(`/${lang}/verify`, verify), 303);
        }
        setAccountCookie(reply, "session", result.sessionToken, options.secureCookies);
        return reply.redirect(returnTo, 303);
      } catch (error) {
        const failure = formFailure(lang, error);
        return sendHtml(
          reply,
          failure.status,
          logInView(
            pageContext(lang, request, reply),
            email,
            returnTo,
            failure.message,
            null,
            failure.errors,
          ),
        );
      }
    });

    app.post(`/${lang}/logout`, async (request, reply) => {
      await endSession(deps, request.sessionToken);
      clearAccountCookie(reply, "session", options.secureCookies);
      return reply.redirect(`/${lang}`, 303);
    });
  }
}
