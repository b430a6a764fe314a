import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { createClipMaker } from "./clips.ts";
import { downloadsApi } from "./routes/api.ts";
import { downloadPages } from "./routes/pages.ts";

/** Full and partial downloads of media items: the API, and the pages that use it. */
export function downloadRoutes(deps: FeatureDeps) {
  const clips = createClipMaker(deps, {
    concurrency: deps.config.downloads.clipConcurrency,
    cacheBytes: deps.config.downloads.clipCacheBytes,
  });
  return async (app: FastifyInstance) => {
    await app.register(downloadsApi(deps, clips));
    await downloadPages(app, deps);
  };
}
