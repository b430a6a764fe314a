import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../features.ts";

/** Full and partial downloads of media items. */
export function downloadRoutes(_deps: FeatureDeps) {
  return async (_app: FastifyInstance) => {};
}
