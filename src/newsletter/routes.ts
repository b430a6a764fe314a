import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { requestLanguage } from "../web/error-handler.ts";
import { requireEditor } from "../web/guards.ts";
import { withQuery } from "../web/links.ts";
import { newsletterApiRoutes } from "./routes/api.ts";
import { composeRoutes } from "./routes/compose.ts";
import { issueRoutes } from "./routes/issue.ts";
import { listRoutes } from "./routes/list.ts";
import { previewRoutes } from "./routes/preview.ts";
import { sendRoutes } from "./routes/send.ts";

/**
 * Newsletter composition, preview, test and sending, under /{lang}/editor/newsletter (editors only),
 * and the same for the organisation's systems under /api/v1/newsletter/issues.
 */
export function newsletterRoutes(deps: FeatureDeps) {
  return async (app: FastifyInstance) => {
    // The API answers a missing session with 401 in JSON, not with the log-in page: its own scope.
    await app.register(newsletterApiRoutes(deps));
    await app.register(async (pages) => {
      // Before the body is read: nobody but an editor gets anything here, not even a form error.
      // The hook covers the pages' scope only (Fastify's encapsulation).
      pages.addHook("onRequest", async (request, reply) => {
        if (!request.user && request.method === "GET") {
          const lang = requestLanguage(request);
          return reply.redirect(withQuery(`/${lang}/login`, { returnTo: request.url }), 303);
        }
        requireEditor(request);
      });
      listRoutes(pages, deps);
      issueRoutes(pages, deps);
      composeRoutes(pages, deps);
      previewRoutes(pages, deps);
      sendRoutes(pages, deps);
    });
  };
}
