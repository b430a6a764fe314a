import { type Static, Type } from "@sinclair/typebox";
import { mediaKinds, mediaTypes } from "../catalogue/types.ts";

/** JSON shapes of the ingest API (validated by Fastify, described in the OpenAPI document). */

const Bilingual = Type.Object(
  {
    en: Type.Optional(Type.String({ maxLength: 2000 })),
    fr: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const CreateItemBody = Type.Object(
  {
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
    live: Type.Optional(
      Type.Boolean({
        description:
          "true: a live item (type video). The answer gives the addresses the venue's encoder sends to; when the live ends the recording becomes the master",
      }),
    ),
    scheduledAt: Type.Optional(
      Type.String({ format: "date-time", description: "A live item's scheduled start" }),
    ),
  },
  { additionalProperties: false },
);
export type CreateItemBodyJson = Static<typeof CreateItemBody>;

/** Where a live item's encoder sends its stream, and how the live is going. */
export const LiveIngest = Type.Object(
  {
    state: Type.Union([Type.Literal("waiting"), Type.Literal("live"), Type.Literal("ended")]),
    srt: Type.Union([Type.String(), Type.Null()], {
      description:
        "srt:// address with the key as passphrase (caller mode): `ffmpeg … -f mpegts URL`; null when SRT is off",
    }),
    rtmp: Type.Union([Type.String(), Type.Null()], {
      description:
        "rtmp://…/live/KEY: `ffmpeg … -f flv URL`, or OBS's server and stream key; null when RTMP is off",
    }),
    key: Type.String({ description: "The stream key (POST /api/v1/items/{id}/live/key renews it)" }),
  },
  { $id: "LiveIngest" },
);

export const ItemCreated = Type.Object(
  {
    id: Type.Integer(),
    status: Type.String({
      description:
        "awaiting_upload: no file sent yet (send it to /api/v1/uploads); a live item: uploaded, until its recording is processed",
    }),
    type: Type.String(),
    live: Type.Optional(LiveIngest),
    upload: Type.Optional(
      Type.Object({
        url: Type.String({ description: "tus endpoint" }),
        metadata: Type.Record(Type.String(), Type.String(), {
          description: "Upload-Metadata to send with the tus upload (plus filename)",
        }),
      }),
    ),
  },
  { $id: "ItemCreated" },
);
