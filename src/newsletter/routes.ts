import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../features.ts";

/** Newsletter composition, preview, test and sending (editors). */
export function newsletterRoutes(_deps: FeatureDeps) {
  return async (_app: FastifyInstance) => {};
}
