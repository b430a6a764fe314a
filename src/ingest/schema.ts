import { type Static, Type } from "@sinclair/typebox";
import { mediaKinds, mediaTypes } from "../catalogue/types.ts";

/** JSON shapes of the ingest API (validated by Fastify, described in the OpenAPI document). */

const Bilingual = Type.Object({
  en: Type.Optional(Type.String({ maxLength: 2000 })),
  fr: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const CreateItemBody = Type.Object({
  event: Type.String({ description: "Slug of the event the item belongs to", maxLength: 200 }),
  type: Type.Union(
    mediaTypes.map((t) => Type.Literal(t)),
    { description: "What the master will be" },
  ),
  kind: Type.Optional(Type.Union(mediaKinds.map((k) => Type.Literal(k)))),
  title: Type.Optional(Bilingual),
  description: Type.Optional(Bilingual),
  credit: Type.Optional(Type.String({ maxLength: 500 })),
  recordedAt: Type.Optional(Type.String({ format: "date-time" })),
});
export type CreateItemBodyJson = Static<typeof CreateItemBody>;

export const ItemCreated = Type.Object(
  {
    id: Type.Integer(),
    status: Type.String({ description: "uploaded: waiting for its master (send it to /api/v1/uploads)" }),
    type: Type.String(),
    upload: Type.Object({
      url: Type.String({ description: "tus endpoint" }),
      metadata: Type.Record(Type.String(), Type.String(), {
        description: "Upload-Metadata to send with the tus upload (plus filename)",
      }),
    }),
  },
  { $id: "ItemCreated" },
);
