import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { ErrorBody } from "../../web/api-schema.ts";
import { editorFirst, requireEditor } from "../../web/guards.ts";
import { Id } from "../../web/ids.ts";
import { endLive, liveIngestJson, renewStreamKey } from "../live/streams.ts";
import { LiveIngest } from "../schema.ts";

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Editors end a live, or renew its key (the old one is refused from the encoder's next connection). */
export function liveRoutes(instance: FastifyInstance, deps: FeatureDeps): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    "/api/v1/items/:id/live/end",
    {
      onRequest: editorFirst,
      schema: {
        tags: ["ingest"],
        summary: "End a live: the recording becomes the item's master (at once playable and clippable)",
        description:
          "409 `live_not_started` while nothing has been received: delete the item instead if the live will not take place.",
        params: Type.Object({ id: Id }),
        response: { 200: LiveIngest, ...errors },
      },
    },
    async (request) => {
      requireEditor(request);
      return liveIngestJson(deps.config, await endLive(deps, request.params.id));
    },
  );
  app.post(
    "/api/v1/items/:id/live/key",
    {
      onRequest: editorFirst,
      schema: {
        tags: ["ingest"],
        summary: "Give a live item a new stream key",
        params: Type.Object({ id: Id }),
        response: { 200: LiveIngest, ...errors },
      },
    },
    async (request) => {
      requireEditor(request);
      return liveIngestJson(deps.config, await renewStreamKey(deps, request.params.id));
    },
  );
}
