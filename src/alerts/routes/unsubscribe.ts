import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure } from "../../web/form.ts";
import { languages, t } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { checkAlertUnsubscribe, unsubscribeAlert } from "../saved-searches.ts";
import { findSavedSearch } from "../store.ts";
import { unsubscribePage } from "../views/saved-searches.ts";

/**
 * /{lang}/alerts/unsubscribe?s=ID&t=SIG (one search's e-mails) or ?u=ID&t=SIG (a digest: all the
 * user's daily e-mails), the address of every alert's List-Unsubscribe header.
 */
export function unsubscribeRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  for (const lang of languages) {
    const path = `/${lang}/alerts/unsubscribe`;

    // A GET only shows a button: mail scanners that follow links must not unsubscribe anyone.
    app.get(path, async (request, reply) => {
      const ctx = pageContext(lang, request, reply);
      const query = request.query as Record<string, string | undefined>;
      const action = request.url;
      try {
        const target = checkAlertUnsubscribe(deps.secret, query);
        let question = t(lang, "alerts.unsubscribe.daily");
        if ("search" in target) {
          const search = await findSavedSearch(deps.db, target.search);
          question = search
            ? t(lang, "alerts.unsubscribe.search", { name: search.name })
            : t(lang, "alerts.unsubscribe.gone");
          if (!search)
            return sendHtml(
              reply,
              200,
              unsubscribePage(ctx, { question: null, done: true, problem: null, action }),
            );
        }
        const done = query.done === "1";
        return sendHtml(reply, 200, unsubscribePage(ctx, { question, done, problem: null, action }));
      } catch (error) {
        const failure = formFailure(lang, error);
        return sendHtml(
          reply,
          failure.status,
          unsubscribePage(ctx, { question: null, done: false, problem: failure.message, action }),
        );
      }
    });

    // RFC 8058 one-click: the mail provider POSTs `List-Unsubscribe=One-Click` to the link,
    // without our CSRF token; the signed link is the authorisation.
    app.post(path, { config: { csrf: "signed-link" } }, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      await unsubscribeAlert(deps, checkAlertUnsubscribe(deps.secret, query));
      const body = request.body as Record<string, unknown> | undefined;
      if (body?.["List-Unsubscribe"] === "One-Click")
        return reply.type("text/plain").send(t(lang, "alerts.unsubscribe.done"));
      const params = new URLSearchParams(query as Record<string, string>);
      params.set("done", "1");
      return reply.redirect(`${path}?${params}`, 303);
    });
  }
}
