import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply } from "fastify";
import { findEvent } from "../../catalogue/event-store.ts";
import { findItem, itemVersion } from "../../catalogue/item-store.ts";
import { mediaKinds } from "../../catalogue/types.ts";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { changeRoute } from "../../web/api-schema.ts";
import { versionTag } from "../../web/etag.ts";
import { requireEditor } from "../../web/guards.ts";
import { Id } from "../../web/ids.ts";
import { changeItem, publishItem, removeItem } from "../items.ts";
import { editorTimeZone } from "../zoned-time.ts";
import {
  Bilingual,
  BilingualInput,
  NullableTimestamp,
  Timestamp,
  versionCheck,
  withApiFields,
} from "./api-shared.ts";

const ItemFieldsBody = Type.Object(
  {
    title: Type.Optional(BilingualInput),
    description: Type.Optional(BilingualInput),
    shotList: Type.Optional(BilingualInput),
    usageTerms: Type.Optional(BilingualInput),
    credit: Type.Optional(Type.String()),
    speakers: Type.Optional(Type.Array(Type.String(), { description: '"Name, role", one a speaker' })),
    languages: Type.Optional(
      Type.Array(Type.String(), { description: "Codes of the languages spoken, e.g. en, fr" }),
    ),
    kind: Type.Optional(Type.String({ description: `One of ${mediaKinds.join(", ")}` })),
    event: Type.Optional(
      Type.Union([Type.Null(), Type.String({ maxLength: 200 })], {
        description: "The slug of the item's event; null takes it out of any event",
      }),
    ),
    recordedAt: Type.Optional(NullableTimestamp),
    embargoUntil: Type.Optional(
      Type.Union([Type.Null(), Timestamp], { description: "Null lifts the embargo" }),
    ),
  },
  { additionalProperties: false },
);

const EditorItemJson = Type.Object(
  {
    id: Type.Integer(),
    mediaType: Type.String(),
    status: Type.String(),
    kind: Type.String(),
    event: Type.Union([Type.String(), Type.Null()], { description: "The event's slug" }),
    title: Bilingual,
    description: Bilingual,
    shotList: Bilingual,
    usageTerms: Bilingual,
    credit: Type.String(),
    speakers: Type.Array(Type.String()),
    languages: Type.Array(Type.String()),
    recordedAt: NullableTimestamp,
    embargoUntil: NullableTimestamp,
    publishedAt: Type.Union([Timestamp, Type.Null()], { description: "Null while it is a draft" }),
  },
  { $id: "EditorItem" },
);

const IdParams = Type.Object({ id: Id });

/** The item as its editor sees it, with the ETag a later change sends back in If-Match. */
async function sendItem(deps: Pick<FeatureDeps, "db">, reply: FastifyReply, id: number) {
  const version = await itemVersion(deps.db, id);
  const item = await findItem(deps.db, id);
  if (version === null || !item) throw new UserError("item_not_found");
  const event = item.eventId === null ? null : await findEvent(deps.db, item.eventId);
  reply.header("etag", versionTag("item", id, version));
  return reply.send({
    id: item.id,
    mediaType: item.mediaType,
    status: item.status,
    kind: item.kind,
    event: event?.slug ?? null,
    title: item.title,
    description: item.description,
    shotList: item.shotList,
    usageTerms: item.usageTerms,
    credit: item.credit,
    speakers: item.speakers,
    languages: item.languages,
    recordedAt: item.recordedAt?.toISOString() ?? null,
    embargoUntil: item.embargoUntil?.toISOString() ?? null,
    publishedAt: item.publishedAt?.toISOString() ?? null,
  });
}

/** Items for the organisation's systems: change, delete, publish (POST /api/v1/items is ingest's). */
export function editorItemApi(deps: FeatureDeps) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const services = { db: deps.db, now: deps.now, timeZone: editorTimeZone, storage: deps.storage };

    app.patch(
      "/api/v1/items/:id",
      changeRoute(
        "editor",
        "Change the fields named (texts, rights, speakers, event, dates, embargo); the others stay",
        { params: IdParams, body: ItemFieldsBody, response: { 200: EditorItemJson } },
      ),
      async (request, reply) => {
        requireEditor(request);
        const { id } = request.params;
        const check = versionCheck(request, "item", id);
        await withApiFields(() => changeItem(services, id, request.body, check));
        return sendItem(deps, reply, id);
      },
    );

    app.delete(
      "/api/v1/items/:id",
      changeRoute("editor", "Delete an item with its master, renditions and transcript", {
        params: IdParams,
        response: { 204: Type.Null() },
      }),
      async (request, reply) => {
        requireEditor(request);
        const { id } = request.params;
        await removeItem(services, id, versionCheck(request, "item", id));
        return reply.status(204).send(null);
      },
    );

    for (const [action, publish] of [
      ["publish", true],
      ["unpublish", false],
    ] as const) {
      app.post(
        `/api/v1/items/:id/${action}`,
        changeRoute(
          "editor",
          publish
            ? "Publish the item: media users see it (once any embargo lifts)"
            : "Take the item back: media users no longer see it",
          { params: IdParams, response: { 200: EditorItemJson } },
        ),
        async (request, reply) => {
          requireEditor(request);
          const { id } = request.params;
          await publishItem(services, id, publish, versionCheck(request, "item", id));
          // Saved searches and webhooks hear of what became available (the job finds it itself).
          if (publish) await deps.jobs.enqueue("alerts.announce", "all");
          return sendItem(deps, reply, id);
        },
      );
    }
  };
}
