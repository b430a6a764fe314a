import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { catalogueApi } from "./api.ts";
import { mediaRoutes } from "./media-routes.ts";
import { eventPages } from "./pages/event.ts";
import { feedPages } from "./pages/feed.ts";
import { homePages } from "./pages/home.ts";
import { type ItemPanel, itemPages } from "./pages/item.ts";
import { searchPages } from "./pages/search.ts";

/**
 * Public catalogue: home, events, items, search, feeds, preview media; and its JSON API.
 * `itemPanel` is drawn on the item page under the player (the app gives downloads' panel).
 */
export function catalogueRoutes(deps: FeatureDeps, options: { itemPanel?: ItemPanel } = {}) {
  return async (app: FastifyInstance) => {
    await homePages(app, deps);
    await eventPages(app, deps);
    await itemPages(app, deps, options.itemPanel ?? null);
    await searchPages(app, deps);
    await feedPages(app, deps);
    await app.register(mediaRoutes(deps));
    await app.register(catalogueApi(deps));
  };
}
