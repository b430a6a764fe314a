import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { eventVersion } from "../../catalogue/event-store.ts";
import { listProgramme, programmeVersions } from "../../catalogue/programme-store.ts";
import type { ProgrammeItem } from "../../catalogue/types.ts";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { apiRoute, changeRoute } from "../../web/api-schema.ts";
import { versionTag } from "../../web/etag.ts";
import { requireEditor } from "../../web/guards.ts";
import { Id } from "../../web/ids.ts";
import { addEntryFromJson, changeEntry, deleteEntry, orderProgramme } from "../programme.ts";
import { editorTimeZone } from "../zoned-time.ts";
import {
  Bilingual,
  BilingualInput,
  eventIdOf,
  NullableTimestamp,
  SlugParams,
  versionCheck,
  withApiFields,
} from "./api-shared.ts";

const EntryFieldsBody = Type.Object(
  {
    startsAt: Type.Optional(NullableTimestamp),
    title: Type.Optional(BilingualInput),
    itemId: Type.Optional(
      Type.Union([Type.Null(), Id], { description: "The media item (of this event) that recorded it" }),
    ),
  },
  { additionalProperties: false },
);

const OrderBody = Type.Object(
  { ids: Type.Array(Id, { description: "Every entry's id, each once, in the new order" }) },
  { additionalProperties: false },
);

const EntryJson = Type.Object({
  id: Type.Integer(),
  position: Type.Integer(),
  startsAt: NullableTimestamp,
  title: Bilingual,
  itemId: Type.Union([Type.Integer(), Type.Null()]),
  etag: Type.String({ description: "The entry's ETag, for If-Match on its PATCH and DELETE" }),
});
const ProgrammeJson = Type.Object({ entries: Type.Array(EntryJson) }, { $id: "EditorProgramme" });

const EntryParams = Type.Object({ ...SlugParams.properties, entryId: Id });

const entryJson = (entry: ProgrammeItem, version: number) => ({
  id: entry.id,
  position: entry.position,
  startsAt: entry.startsAt?.toISOString() ?? null,
  title: entry.title,
  itemId: entry.mediaItemId,
  etag: versionTag("entry", entry.id, version),
});

/** An event's programme for the organisation's systems: add, change, order, remove (issue 13). */
export function editorProgrammeApi(deps: FeatureDeps) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const services = { db: deps.db, timeZone: editorTimeZone };

    /** The whole programme; its ETag is the event's, which every change of the programme moves on. */
    const sendProgramme = async (reply: FastifyReply, eventId: number) => {
      const version = await eventVersion(deps.db, eventId);
      if (version === null) throw new UserError("event_not_found");
      const versions = await programmeVersions(deps.db, eventId);
      const entries = await listProgramme(deps.db, eventId);
      reply.header("etag", versionTag("event", eventId, version));
      return reply.send({ entries: entries.map((e) => entryJson(e, versions.get(e.id) ?? 1)) });
    };
    const sendEntry = async (reply: FastifyReply, eventId: number, id: number, status = 200) => {
      const version = (await programmeVersions(deps.db, eventId)).get(id);
      const entry = (await listProgramme(deps.db, eventId)).find((e) => e.id === id);
      if (version === undefined || !entry) throw new UserError("not_found");
      reply.header("etag", versionTag("entry", id, version));
      return reply.status(status).send(entryJson(entry, version));
    };

    /** The event of the route, for an editor, with the If-Match check of a change to its programme. */
    const eventToChange = async (request: FastifyRequest & { params: { slug: string } }) => {
      requireEditor(request);
      const eventId = await eventIdOf(deps.db, request.params.slug);
      return { eventId, check: versionCheck(request, "event", eventId) };
    };
    /** The entry of the route, for an editor, with the If-Match check of a change to it. */
    const entryToChange = async (request: FastifyRequest & { params: { slug: string; entryId: number } }) => {
      const { eventId } = await eventToChange(request);
      const { entryId } = request.params;
      return { eventId, entryId, check: versionCheck(request, "entry", entryId) };
    };

    app.get(
      "/api/v1/events/:slug/programme",
      apiRoute("editor", "The event's programme in order, drafts' included", {
        params: SlugParams,
        response: { 200: ProgrammeJson },
      }),
      async (request, reply) => {
        requireEditor(request);
        return sendProgramme(reply, await eventIdOf(deps.db, request.params.slug));
      },
    );

    app.post(
      "/api/v1/events/:slug/programme",
      changeRoute("editor", "Add an entry at the end of the programme", {
        params: SlugParams,
        body: EntryFieldsBody,
        response: { 201: EntryJson },
      }),
      async (request, reply) => {
        const { eventId, check } = await eventToChange(request);
        const id = await withApiFields(() => addEntryFromJson(services, eventId, request.body, check));
        return sendEntry(reply, eventId, id, 201);
      },
    );

    app.put(
      "/api/v1/events/:slug/programme/order",
      changeRoute("editor", "Put the programme in a new order; it must name every entry once", {
        params: SlugParams,
        body: OrderBody,
        response: { 200: ProgrammeJson },
      }),
      async (request, reply) => {
        const { eventId, check } = await eventToChange(request);
        await withApiFields(() => orderProgramme(services, eventId, request.body.ids, check));
        return sendProgramme(reply, eventId);
      },
    );

    app.patch(
      "/api/v1/events/:slug/programme/:entryId",
      changeRoute("editor", "Change the fields named of an entry; the others stay", {
        params: EntryParams,
        body: EntryFieldsBody,
        response: { 200: EntryJson },
      }),
      async (request, reply) => {
        const { eventId, entryId, check } = await entryToChange(request);
        await withApiFields(() => changeEntry(services, eventId, entryId, request.body, check));
        return sendEntry(reply, eventId, entryId);
      },
    );

    app.delete(
      "/api/v1/events/:slug/programme/:entryId",
      changeRoute("editor", "Remove an entry; the others close up", {
        params: EntryParams,
        response: { 204: Type.Null() },
      }),
      async (request, reply) => {
        const { eventId, entryId, check } = await entryToChange(request);
        await deleteEntry(services, eventId, entryId, check);
        return reply.status(204).send(null);
      },
    );
  };
}
