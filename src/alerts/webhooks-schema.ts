import { type Static, Type } from "@sinclair/typebox";
import { Id } from "../web/ids.ts";
import type { WebhookWithDeliveries } from "./webhooks.ts";
import type { Delivery } from "./webhooks-store.ts";

/** The JSON of `/api/v1/me/webhooks` (request validation and the OpenAPI description). */

export const WebhookBody = Type.Object(
  {
    url: Type.String({
      maxLength: 2000,
      description:
        "Where each newly available item is POSTed as IPTC ninjs: https, on the public internet, not this portal, without credentials",
    }),
    savedSearch: Type.Optional(
      Type.Union([Id, Type.Null()], {
        description: "One of your saved searches (its id); left out or null: every newly available item",
      }),
    ),
  },
  { additionalProperties: false },
);

const DeliveryJson = Type.Object({
  id: Type.String({ format: "uuid", description: "Sent as X-Pressroom-Delivery, the same on every try" }),
  itemId: Type.Union([Type.Integer(), Type.Null()], { description: "Null for a test" }),
  status: Type.Union([Type.Literal("pending"), Type.Literal("delivered"), Type.Literal("failed")]),
  attempts: Type.Integer(),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  nextAttemptAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  deliveredAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});

export const WebhookJson = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  savedSearch: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  deliveries: Type.Array(DeliveryJson, { description: "The most recent, newest first" }),
});

export const WebhookCreated = Type.Composite([
  WebhookJson,
  Type.Object({
    secret: Type.String({
      description:
        "The signing secret, shown this once: X-Pressroom-Signature is t=UNIX_SECONDS,v1=HEX, HEX = HMAC-SHA256(secret, t + '.' + body)",
    }),
  }),
]);

export const WebhookList = Type.Object({ webhooks: Type.Array(WebhookJson) });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function deliveryJson(d: Delivery): Static<typeof DeliveryJson> {
  return {
    id: d.id,
    itemId: d.itemId,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: iso(d.nextAttemptAt),
    createdAt: d.createdAt.toISOString(),
    deliveredAt: iso(d.deliveredAt),
  };
}

export function webhookJson(hook: WebhookWithDeliveries): Static<typeof WebhookJson> {
  return {
    id: hook.id,
    url: hook.url,
    savedSearch: hook.savedSearch,
    createdAt: hook.createdAt.toISOString(),
    deliveries: hook.deliveries.map(deliveryJson),
  };
}
