import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply } from "fastify";
import { eventVersion, findEvent } from "../../catalogue/event-store.ts";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { apiRoute } from "../../web/api-schema.ts";
import { versionTag } from "../../web/etag.ts";
import { requireEditor } from "../../web/guards.ts";
import { changeEvent, createEventFromJson, publishEvent, removeEvent } from "../events.ts";
import { editorTimeZone } from "../zoned-time.ts";
import { versionedResourceRoutes } from "./api-resource.ts";
import {
  Bilingual,
  BilingualInput,
  eventIdOf,
  NullableTimestamp,
  SlugParams,
  Timestamp,
  withApiFields,
} from "./api-shared.ts";

const EventFieldsBody = Type.Object(
  {
    slug: Type.Optional(
      Type.String({
        maxLength: 200,
        description: "The event's address; left out (or empty), it is made from the date and the title",
      }),
    ),
    title: Type.Optional(BilingualInput),
    summary: Type.Optional(BilingualInput),
    body: Type.Optional(BilingualInput),
    place: Type.Optional(BilingualInput),
    startsAt: Type.Optional(Timestamp),
    endsAt: Type.Optional(NullableTimestamp),
  },
  { additionalProperties: false },
);

export const EditorEventJson = Type.Object(
  {
    id: Type.Integer(),
    slug: Type.String(),
    title: Bilingual,
    summary: Bilingual,
    body: Bilingual,
    place: Bilingual,
    startsAt: Timestamp,
    endsAt: NullableTimestamp,
    publishedAt: Type.Union([Timestamp, Type.Null()], { description: "Null while it is a draft" }),
  },
  { $id: "EditorEvent" },
);

/** The event as its editor sees it, with the ETag a later change sends back in If-Match. */
export async function sendEvent(
  deps: Pick<FeatureDeps, "db">,
  reply: FastifyReply,
  id: number,
  status = 200,
) {
  const version = await eventVersion(deps.db, id);
  const event = await findEvent(deps.db, id);
  if (version === null || !event) throw new UserError("event_not_found");
  reply.header("etag", versionTag("event", id, version));
  return reply.status(status).send({
    id: event.id,
    slug: event.slug,
    title: event.title,
    summary: event.summary,
    body: event.body,
    place: event.place,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt?.toISOString() ?? null,
    publishedAt: event.publishedAt?.toISOString() ?? null,
  });
}

/** Events for the organisation's systems: create, change, delete, publish (issue 13). */
export function editorEventApi(deps: FeatureDeps) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const services = { db: deps.db, now: deps.now, timeZone: editorTimeZone };

    app.post(
      "/api/v1/events",
      apiRoute("editor", "Create an event (a draft until published)", {
        body: EventFieldsBody,
        response: { 201: EditorEventJson },
      }),
      async (request, reply) => {
        requireEditor(request);
        const id = await withApiFields(() => createEventFromJson(services, request.body));
        return sendEvent(deps, reply, id, 201);
      },
    );

    versionedResourceRoutes(instance, deps.jobs, {
      kind: "event",
      path: "/api/v1/events/:slug",
      params: SlugParams,
      body: EventFieldsBody,
      json: EditorEventJson,
      summaries: {
        change: "Change the fields named; the others stay as they are",
        remove: "Delete an event and its programme; refused (409) while it has media items",
        publish: "Publish the event (its published items show on its page)",
        unpublish: "Take the event back to draft",
      },
      idOf: ({ slug }) => eventIdOf(deps.db, slug),
      change: (id, fields, check) => changeEvent(services, id, fields, check),
      remove: (id, check) => removeEvent(services, id, check),
      publish: (id, publish, check) => publishEvent(services, id, publish, check),
      send: (reply, id) => sendEvent(deps, reply, id),
    });
  };
}
