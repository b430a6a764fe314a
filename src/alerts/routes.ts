import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { savedSearchesApi } from "./routes/api.ts";
import { feedRoutes } from "./routes/feeds.ts";
import { savedSearchPages } from "./routes/pages.ts";
import { unsubscribeRoutes } from "./routes/unsubscribe.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

/** Saved searches (account pages and API), their feeds and their e-mails' unsubscribe links. */
export function alertsRoutes(deps: FeatureDeps) {
  return async (app: FastifyInstance) => {
    savedSearchPages(app, deps);
    unsubscribeRoutes(app, deps);
    feedRoutes(app, deps);
    webhookRoutes(app, deps);
    await app.register(savedSearchesApi(deps), { prefix: "/api/v1" });
  };
}
