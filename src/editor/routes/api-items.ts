import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply } from "fastify";
import { itemTextsJson } from "../../catalogue/api-json.ts";
import { findEvent } from "../../catalogue/event-store.ts";
import { findItem, itemVersion } from "../../catalogue/item-store.ts";
import { findLiveStream } from "../../catalogue/live-store.ts";
import { findMaster } from "../../catalogue/media-store.ts";
import { publishWhenReadyAsked } from "../../catalogue/publish-when-ready-store.ts";
import { itemTextsProperties } from "../../catalogue/schema.ts";
import { mediaKinds, shownStatus } from "../../catalogue/types.ts";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { versionTag } from "../../web/etag.ts";
import { Id } from "../../web/ids.ts";
import { changeItem, removeItem } from "../items.ts";
import { publishItem } from "../publish.ts";
import { editorTimeZone } from "../zoned-time.ts";
import { versionedResourceRoutes } from "./api-resource.ts";
import { Bilingual, BilingualInput, NullableTimestamp, Timestamp } from "./api-shared.ts";

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
    status: Type.String({
      description: "awaiting_upload (no file sent yet), uploaded, processing, ready or failed",
    }),
    kind: Type.String(),
    event: Type.Union([Type.String(), Type.Null()], { description: "The event's slug" }),
    title: Bilingual,
    ...itemTextsProperties,
    recordedAt: NullableTimestamp,
    embargoUntil: NullableTimestamp,
    publishedAt: Type.Union([Timestamp, Type.Null()], { description: "Null while it is a draft" }),
    publishWhenReady: Type.Boolean({
      description: "Published as soon as its master is processed (asked while it was being processed)",
    }),
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
  // Only a stored "uploaded" depends on them (shownStatus): the other statuses are said as stored.
  const uploaded = item.status === "uploaded";
  const live = uploaded ? await findLiveStream(deps.db, id) : null;
  const hasMaster = uploaded && (await findMaster(deps.db, id)) !== null;
  reply.header("etag", versionTag("item", id, version));
  return reply.send({
    id: item.id,
    mediaType: item.mediaType,
    status: shownStatus({ status: item.status, live }, hasMaster),
    kind: item.kind,
    event: event?.slug ?? null,
    title: item.title,
    ...itemTextsJson(item),
    recordedAt: item.recordedAt?.toISOString() ?? null,
    embargoUntil: item.embargoUntil?.toISOString() ?? null,
    publishedAt: item.publishedAt?.toISOString() ?? null,
    publishWhenReady: await publishWhenReadyAsked(deps.db, id),
  });
}

/** Items for the organisation's systems: change, delete, publish (POST /api/v1/items is ingest's). */
export function editorItemApi(deps: FeatureDeps) {
  return async (instance: FastifyInstance) => {
    const _app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const services = { db: deps.db, now: deps.now, timeZone: editorTimeZone, storage: deps.storage };

    versionedResourceRoutes(instance, deps.jobs, {
      kind: "item",
      path: "/api/v1/items/:id",
      params: IdParams,
      body: ItemFieldsBody,
      json: EditorItemJson,
      summaries: {
        change: "Change the fields named (texts, rights, speakers, event, dates, embargo); the others stay",
        remove: "Delete an item with its master, renditions and transcript",
        publish:
          "Publish the item: media users see it (once any embargo lifts). While its master is being processed: 202, published as soon as that completes (publishWhenReady); without a master, or with one that failed: 409",
        unpublish: "Take the item back: media users no longer see it",
      },
      idOf: async ({ id }) => id,
      change: (id, fields, check) => changeItem(services, id, fields, check),
      remove: (id, check) => removeItem(services, id, check),
      publish: (id, publish, check) => publishItem(services, id, publish, check),
      send: (reply, id) => sendItem(deps, reply, id),
    });
  };
}
