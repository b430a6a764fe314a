import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { languages } from "../web/i18n.ts";
import { catalogueApi } from "./routes/api.ts";
import { eventRoutes } from "./routes/event.ts";
import { feedRoutes } from "./routes/feed.ts";
import { homeRoutes } from "./routes/home.ts";
import { itemRoutes } from "./routes/item.ts";
import { mediaRoutes } from "./routes/media.ts";
import { searchRoutes } from "./routes/search.ts";
import { transcriptSearchApi } from "./routes/transcript-search-api.ts";
import type { ItemPanel } from "./views/item.ts";

/**
 * What every visitor without a session or token sees alike (no form, no cookie, no name): a
 * shared cache in front may keep it (web/http-cache.ts). Search and item pages change with the
 * query, which is part of what a cache keys on. Preview media set their own policy.
 */
const SHARED = new Set([
  ...languages.flatMap((lang) => [
    `/${lang}`,
    `/${lang}/events/:slug`,
    `/${lang}/items/:id`,
    `/${lang}/search`,
  ]),
  "/api/v1/events",
  "/api/v1/events/:slug",
  "/api/v1/items/:id",
  "/api/v1/items/:id/transcript/search",
  "/api/v1/search",
  // Asked at every keystroke by the search box; the same for every visitor.
  "/api/v1/suggest",
]);

/**
 * Public catalogue: home, events, items, search, feeds, preview media; and its JSON API.
 * `itemPanel` is drawn on the item page under the player (the app gives downloads' panel).
 */
export function catalogueRoutes(deps: FeatureDeps, options: { itemPanel?: ItemPanel } = {}) {
  return async (app: FastifyInstance) => {
    app.addHook("onRoute", (route) => {
      if (SHARED.has(route.url)) route.config = { ...route.config, sharedCache: true };
    });
    await homeRoutes(app, deps);
    await eventRoutes(app, deps);
    await itemRoutes(app, deps, options.itemPanel ?? null);
    await searchRoutes(app, deps);
    await feedRoutes(app, deps);
    await app.register(mediaRoutes(deps));
    await app.register(catalogueApi(deps));
    await app.register(transcriptSearchApi(deps));
  };
}
