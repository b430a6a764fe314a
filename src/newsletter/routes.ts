import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { requireEditor } from "../web/guards.ts";
import { type Lang, languages } from "../web/i18n.ts";
import { composePages } from "./pages/compose.ts";
import { issuePages } from "./pages/issue.ts";
import { listPages } from "./pages/list.ts";
import { previewPages } from "./pages/preview.ts";
import { sendPages } from "./pages/send.ts";
import { newsletterPath } from "./pages/shared.ts";
import { newsletterCss } from "./pages/style.ts";

/** Newsletter composition, preview, test and sending, under /{lang}/editor/newsletter (editors only). */
export function newsletterRoutes(deps: FeatureDeps) {
  return async (app: FastifyInstance) => {
    for (const lang of languages) {
      await app.register(newsletterPages(deps, lang), { prefix: newsletterPath(lang) });
    }
  };
}

function newsletterPages(deps: FeatureDeps, lang: Lang) {
  return async (app: FastifyInstance) => {
    // Before the body is read: nobody but an editor gets anything here, not even a form error.
    app.addHook("onRequest", async (request, reply) => {
      if (!request.user && request.method === "GET") {
        return reply.redirect(`/${lang}/login?${new URLSearchParams({ returnTo: request.url })}`, 303);
      }
      requireEditor(request);
    });
    app.get("/newsletter.css", async (_request, reply) =>
      reply
        .type("text/css; charset=utf-8")
        .header("cache-control", "private, max-age=3600")
        .send(newsletterCss),
    );
    listPages(app, deps, lang);
    issuePages(app, deps, lang);
    composePages(app, deps, lang);
    previewPages(app, deps, lang);
    sendPages(app, deps, lang);
  };
}
