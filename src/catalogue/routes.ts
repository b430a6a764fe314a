import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { catalogueApi } from "./routes/api.ts";
import { eventRoutes } from "./routes/event.ts";
import { feedRoutes } from "./routes/feed.ts";
import { homeRoutes } from "./routes/home.ts";
import { itemRoutes } from "./routes/item.ts";
import { mediaRoutes } from "./routes/media.ts";
import { searchRoutes } from "./routes/search.ts";
import type { ItemPanel } from "./views/item.ts";

/**
 * Public catalogue: home, events, items, search, feeds, preview media; and its JSON API.
 * `itemPanel` is drawn on the item page under the player (the app gives downloads' panel).
 */
export function catalogueRoutes(deps: FeatureDeps, options: { itemPanel?: ItemPanel } = {}) {
  return async (app: FastifyInstance) => {
    await homeRoutes(app, deps);
    await eventRoutes(app, deps);
    await itemRoutes(app, deps, options.itemPanel ?? null);
    await searchRoutes(app, deps);
    await feedRoutes(app, deps);
    await app.register(mediaRoutes(deps));
    await app.register(catalogueApi(deps));
  };
}
