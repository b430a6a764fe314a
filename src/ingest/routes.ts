import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../features.ts";

/** Uploads (tus) and item creation for editors; processing is in jobs.ts. */
export function ingestRoutes(_deps: FeatureDeps) {
  return async (_app: FastifyInstance) => {};
}
