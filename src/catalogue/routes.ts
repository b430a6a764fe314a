import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../features.ts";
import { homePages } from "./pages/home.ts";

/** Public catalogue: home, events, items, search, feeds, preview media; and its JSON API. */
export function catalogueRoutes(_deps: FeatureDeps) {
  return async (app: FastifyInstance) => {
    await homePages(app);
  };
}
