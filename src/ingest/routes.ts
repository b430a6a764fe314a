import type { IncomingMessage } from "node:http";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { shownStatus } from "../catalogue/types.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { ErrorBody } from "../web/api-schema.ts";
import { editorFirst, requireEditor } from "../web/guards.ts";
import { createItemFromFields } from "./items.ts";
import { createLiveItem, liveIngestJson } from "./live/streams.ts";
import { liveRoutes } from "./routes/live.ts";
import { CreateItemBody, ItemCreated } from "./schema.ts";
import { CALLER_HEADER, createTusServer, UPLOADS_PATH } from "./tus.ts";

/**
 * Tells the tus hooks who the checked editor is, in a header of the request tus reads (through
 * its raw header list), replacing any such header the client sent.
 */
function setCaller(raw: IncomingMessage, value: string | null): void {
  const kept: string[] = [];
  for (let i = 0; i < raw.rawHeaders.length; i += 2) {
    if (raw.rawHeaders[i]?.toLowerCase() !== CALLER_HEADER)
      kept.push(raw.rawHeaders[i]!, raw.rawHeaders[i + 1]!);
  }
  if (value !== null) kept.push(CALLER_HEADER, value);
  raw.rawHeaders.splice(0, raw.rawHeaders.length, ...kept);
  if (value === null) delete raw.headers[CALLER_HEADER];
  else raw.headers[CALLER_HEADER] = value;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const CLEAN_UP_EVERY_MS = 60 * 60 * 1000;

/** Item creation and resumable uploads (tus) for editors; processing is the "media.process" job. */
export function ingestRoutes(deps: FeatureDeps) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      "/api/v1/items",
      {
        onRequest: editorFirst,
        schema: {
          tags: ["ingest"],
          summary: "Create an item (then upload its file with tus), or a live item with its ingest addresses",
          body: CreateItemBody,
          response: { 201: ItemCreated, ...errors },
        },
      },
      async (request, reply) => {
        requireEditor(request);
        const { body } = request;
        const fields = {
          event: body.event,
          ...(body.kind ? { kind: body.kind } : {}),
          ...(body.title ? { title: body.title } : {}),
          ...(body.description ? { description: body.description } : {}),
          ...(body.credit !== undefined ? { credit: body.credit } : {}),
          recordedAt: body.recordedAt ? new Date(body.recordedAt) : null,
        };
        if (body.live) {
          if (body.type !== "video")
            throw new UserError("invalid_input", {}, { type: ["ingest.error.live_video"] });
          const scheduledAt = body.scheduledAt ? new Date(body.scheduledAt) : null;
          // A live is most often a press conference: the workspace's form starts there too.
          const item = await createLiveItem(deps, { kind: "press-conference", ...fields }, scheduledAt);
          return reply.status(201).send({
            id: item.id,
            status: item.status,
            type: item.mediaType,
            live: liveIngestJson(deps.config, item.stream),
          });
        }
        const item = await createItemFromFields(deps, fields, body.type, "uploaded");
        return reply.status(201).send({
          id: item.id,
          // Nothing sent yet: not "uploaded" (found by hand).
          status: shownStatus({ status: item.status }, false),
          type: item.mediaType,
          upload: { url: UPLOADS_PATH, metadata: { itemId: String(item.id) } },
        });
      },
    );

    liveRoutes(app, deps);

    const tus = createTusServer(deps);
    // tus streams the body itself: Fastify must leave it unread.
    app.addContentTypeParser("application/offset+octet-stream", (_request, _payload, done) => done(null));
    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      // OPTIONS only advertises the protocol's capabilities; everything else is for editors.
      const editor = request.method === "OPTIONS" ? null : requireEditor(request);
      setCaller(request.raw, editor ? `${editor.id}:${editor.role}` : null);
      reply.hijack();
      await tus.handle(request.raw, reply.raw);
    };
    const methods = ["POST", "HEAD", "PATCH", "DELETE", "OPTIONS"] as const;
    app.route({ method: [...methods], url: UPLOADS_PATH, handler: handle });
    app.route({ method: [...methods], url: `${UPLOADS_PATH}/:id`, handler: handle });

    const cleanUp = setInterval(
      () => void tus.cleanUpExpiredUploads().catch(() => undefined),
      CLEAN_UP_EVERY_MS,
    );
    cleanUp.unref();
    app.addHook("onClose", async () => clearInterval(cleanUp));
  };
}
