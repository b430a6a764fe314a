import type { FastifyInstance } from "fastify";
import { type PageContext, pageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, field, formValue, notice } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { clearAccountCookie, setAccountCookie } from "../cookie.ts";
import { logIn } from "../login.ts";
import { endSession } from "../sessions.ts";
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

function view(
  ctx: PageContext,
  email: string,
  returnTo: string,
  message: string | null,
  info: string | null,
) {
  const { lang } = ctx;
  // "Forgot your password?" comes back here afterwards, and from here to where the user was.
  const loginHere = withQuery(`/${lang}/login`, { returnTo });
  return page(
    ctx,
    t(lang, "login.title"),
    html`<h1>${t(lang, "login.title")}</h1>
${info ? notice(info) : ""}
${errorSummary(lang, message, {})}
<form method="post" action="/${lang}/login" novalidate>
${csrfInput(ctx.csrfToken)}
<input type="hidden" name="returnTo" value="${returnTo}">
${field(lang, { name: "email", label: "field.email", type: "email", value: email, autocomplete: "username" }, {})}
${field(lang, { name: "password", label: "field.password", type: "password", autocomplete: "current-password" }, {})}
<button type="submit">${t(lang, "login.submit")}</button>
</form>
<p><a href="${withQuery(`/${lang}/password-reset`, { returnTo: loginHere })}">${t(lang, "login.forgot")}</a></p>
<p>${t(lang, "login.no_account")} <a href="${withQuery(`/${lang}/register`, { returnTo })}">${t(lang, "nav.register")}</a></p>`,
  );
}

export function loginPages(app: FastifyInstance, deps: PageDeps, options: PagesOptions): void {
  const { lang } = options;

  app.get("/login", async (request, reply) => {
    const returnTo = returnToOf(request, lang);
    const info =
      (request.query as Record<string, string | undefined>).loggedOut === "1"
        ? t(lang, "login.logged_out")
        : null;
    return sendHtml(reply, 200, view(pageContext(lang, request, reply), "", returnTo, null, info));
  });

  app.post("/login", limitedRoute(options), async (request, reply) => {
    const email = normaliseEmail(formValue(request.body, "email"));
    const returnTo = returnToOf(request, lang);
    try {
      const result = await logIn(deps, email, formValue(request.body, "password"), request.ip);
      if (result.kind === "unverified") {
        setAccountCookie(reply, "signup", result.signupToken, options.secureCookies);
        return reply.redirect(withQuery(`/${lang}/verify`, { email, returnTo, sent: "1" }), 303);
      }
      setAccountCookie(reply, "session", result.sessionToken, options.secureCookies);
      return reply.redirect(returnTo, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      return sendHtml(
        reply,
        failure.status,
        view(pageContext(lang, request, reply), email, returnTo, failure.message, null),
      );
    }
  });

  app.post("/logout", async (request, reply) => {
    await endSession(deps, request.sessionToken);
    clearAccountCookie(reply, "session", options.secureCookies);
    return reply.redirect(`/${lang}`, 303);
  });
}
