import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { requestLanguage } from "../web/error-handler.ts";
import { requireEditor } from "../web/guards.ts";
import { withQuery } from "../web/links.ts";
import { composeRoutes } from "./routes/compose.ts";
import { issueRoutes } from "./routes/issue.ts";
import { listRoutes } from "./routes/list.ts";
import { previewRoutes } from "./routes/preview.ts";
import { sendRoutes } from "./routes/send.ts";

/** Newsletter composition, preview, test and sending, under /{lang}/editor/newsletter (editors only). */
export function newsletterRoutes(deps: FeatureDeps) {
  return async (app: FastifyInstance) => {
    // Before the body is read: nobody but an editor gets anything here, not even a form error.
    // The hook covers this plugin's routes only (Fastify's encapsulation).
    app.addHook("onRequest", async (request, reply) => {
      if (!request.user && request.method === "GET") {
        const lang = requestLanguage(request);
        return reply.redirect(withQuery(`/${lang}/login`, { returnTo: request.url }), 303);
      }
      requireEditor(request);
    });
    listRoutes(app, deps);
    issueRoutes(app, deps);
    composeRoutes(app, deps);
    previewRoutes(app, deps);
    sendRoutes(app, deps);
  };
}
