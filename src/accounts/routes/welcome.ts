import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure } from "../../web/form.ts";
import { userOrLogIn } from "../../web/guards.ts";
import { languages, t } from "../../web/i18n.ts";
import { withQuery } from "../../web/links.ts";
import { sendHtml } from "../../web/reply.ts";
import { checkUnsubscribeLink, subscribeNewsletter, unsubscribeNewsletter } from "../profile.ts";
import { unsubscribeView, welcomeView } from "../views/welcome.ts";
import { returnToOf } from "./shared.ts";

/** Step 3 of the account flow, the newsletter offer, and the unsubscribe link of every newsletter. */
export function welcomeRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  for (const lang of languages) {
    app.get(`/${lang}/welcome`, async (request, reply) => {
      const user = userOrLogIn(request, reply, lang, request.url);
      if (!user) return reply;
      const ctx = pageContext(lang, request, reply);
      const returnTo = returnToOf(request, lang);
      return sendHtml(reply, 200, welcomeView(ctx, user, returnTo));
    });

    app.post(`/${lang}/newsletter/subscribe`, async (request, reply) => {
      if (!request.user) throw new UserError("not_authenticated");
      await subscribeNewsletter(deps, request.user);
      return reply.redirect(withQuery(`/${lang}/welcome`, { returnTo: returnToOf(request, lang) }), 303);
    });

    // A GET only shows a button: mail scanners that follow links must not unsubscribe anyone.
    app.get(`/${lang}/newsletter/unsubscribe`, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const ctx = pageContext(lang, request, reply);
      try {
        checkUnsubscribeLink(deps.secret, query.u, query.t);
        return sendHtml(reply, 200, unsubscribeView(ctx, query, null));
      } catch (error) {
        const failure = formFailure(lang, error);
        return sendHtml(reply, failure.status, unsubscribeView(ctx, query, failure.message));
      }
    });

    // RFC 8058 one-click: the mail provider POSTs `List-Unsubscribe=One-Click` to the link,
    // without our CSRF token; the signed link is the authorisation.
    app.post(
      `/${lang}/newsletter/unsubscribe`,
      { config: { csrf: "signed-link" } },
      async (request, reply) => {
        const query = request.query as Record<string, string | undefined>;
        const userId = checkUnsubscribeLink(deps.secret, query.u, query.t);
        await unsubscribeNewsletter(deps, userId);
        const body = request.body as Record<string, unknown> | undefined;
        if (body?.["List-Unsubscribe"] === "One-Click")
          return reply.type("text/plain").send(t(lang, "unsubscribe.done"));
        return reply.redirect(
          withQuery(`/${lang}/newsletter/unsubscribe`, { u: query.u ?? "", t: query.t ?? "", done: "1" }),
          303,
        );
      },
    );
  }
}
