import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../features.ts";

/** Editor workspace: events, programme, items, transcripts, embargo, publishing (role editor). */
export function editorRoutes(_deps: FeatureDeps) {
  return async (_app: FastifyInstance) => {};
}
