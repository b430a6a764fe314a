import { randomBytes } from "node:crypto";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { enqueueWithin } from "../db/jobs.ts";
import { addProblem, type FieldProblems } from "../web/form.ts";
import { checkWebhookUrl } from "./webhook-address.ts";
import {
  type Delivery,
  deleteWebhook,
  findWebhook,
  insertTestDelivery,
  insertWebhook,
  listWebhooks,
  ownsSavedSearch,
  recentDeliveries,
  type Webhook,
} from "./webhooks-store.ts";

/**
 * Webhooks (issue 13): a media user's (or their system's, with a token) HTTPS address told of
 * each newly available item, for one of their saved searches or for everything. What is sent
 * and how: webhook-delivery.ts; what is queued when an item is announced: webhooks-queue.ts.
 */

/** Deliveries shown per webhook on the account page and in the API. */
export const RECENT_DELIVERIES = 10;
/** Enough for any newsroom; more is a mistake or abuse. */
const MAX_WEBHOOKS_PER_USER = 20;

type Deps = Pick<FeatureDeps, "db" | "now" | "config" | "jobs">;

export type WebhookWithDeliveries = Webhook & { deliveries: Delivery[] };

/**
 * Registers a webhook. The signing secret is returned here only: it is stored for signing, and
 * neither the API nor the page ever shows it again (a lost one means a new webhook).
 */
export async function createWebhook(
  deps: Deps,
  userId: number,
  input: { url: string; savedSearch?: number | null },
): Promise<{ webhook: Webhook; secret: string }> {
  const url = await checkWebhookUrl(deps.config, input.url);
  const savedSearchId = input.savedSearch ?? null;
  const problems: FieldProblems = {};
  if (savedSearchId !== null && !(await ownsSavedSearch(deps.db, userId, savedSearchId))) {
    addProblem(problems, "savedSearch", "webhooks.saved_search.unknown");
  }
  if ((await listWebhooks(deps.db, userId)).length >= MAX_WEBHOOKS_PER_USER) {
    addProblem(problems, "url", "webhooks.url.too_many");
  }
  if (Object.keys(problems).length > 0) throw new UserError("invalid_input", {}, problems);
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  const id = await insertWebhook(deps.db, { userId, url: url.href, savedSearchId, secret }, deps.now());
  const webhook = await findWebhook(deps.db, userId, id);
  return { webhook: webhook!, secret };
}

/** The user's webhooks, each with its most recent deliveries (newest first). */
export async function webhooksOf(deps: Pick<Deps, "db">, userId: number): Promise<WebhookWithDeliveries[]> {
  const hooks = await listWebhooks(deps.db, userId);
  const deliveries = await recentDeliveries(
    deps.db,
    hooks.map((h) => h.id),
    RECENT_DELIVERIES,
  );
  return hooks.map((h) => ({ ...h, deliveries: deliveries.filter((d) => d.webhookId === h.id) }));
}

export async function removeWebhook(deps: Pick<Deps, "db">, userId: number, id: number): Promise<void> {
  if (!(await deleteWebhook(deps.db, userId, id))) throw new UserError("not_found");
}

/** "Send a test": a delivery with a test document, through the same queue, signature and log. */
export async function sendTestDelivery(deps: Deps, userId: number, webhookId: number): Promise<string> {
  const hook = await findWebhook(deps.db, userId, webhookId);
  if (!hook) throw new UserError("not_found");
  const id = await deps.db.transaction(async (tx) => {
    const delivery = await insertTestDelivery(tx, hook.id, deps.now());
    await enqueueWithin(tx, "webhooks.deliver", [delivery], { leaseSeconds: deps.config.jobs.leaseSeconds });
    return delivery;
  });
  // Committed: the user who asked for the test sees it sent at once.
  deps.jobs.wake("webhooks.deliver");
  return id;
}
