import { loadItem } from "../catalogue/browse.ts";
import { itemNinjs, type NinjsDocument } from "../catalogue/ninjs.ts";
import { itemFacts } from "../catalogue/ninjs-store.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { enqueueWithin, type JobRun } from "../db/jobs.ts";
import { type Lang, t } from "../web/i18n.ts";
import { postSigned } from "./webhook-http.ts";
import { type ClaimedDelivery, claimDelivery, findDelivery, recordTry } from "./webhooks-store.ts";

/**
 * The "webhooks.deliver" job, one per try of one delivery (its id is the delivery's). The row is
 * the truth (webhooks-store.ts): a try claims it, posts, and records the outcome together with
 * the job of the next try, in one transaction, so no delivery is ever left without a job.
 * At-least-once: a worker killed during a try leaves its claim to lapse; the job comes back
 * (its lease, db/job-worker.ts) and sends again, with the same X-Pressroom-Delivery. A 2xx marks
 * it delivered and nothing sends it again.
 */

/** Waits between tries; after a day from the first one, the delivery has failed. */
export const RETRY_DELAYS_SECONDS = [30, 120, 600, 3600, 3 * 3600, 6 * 3600];
export const GIVE_UP_AFTER_MS = 24 * 3600 * 1000;
/** A try's time to connect, send and hear the answer. */
export const TIMEOUT_MS = 10_000;
/** How long a try holds its delivery: longer than the try itself can last. */
const CLAIM_MS = TIMEOUT_MS + 5_000;

type Deps = Pick<FeatureDeps, "db" | "now" | "config" | "log">;

export function deliverWebhookJob(deps: Deps) {
  return (id: string, run: JobRun) => deliverWebhook(deps, id, run.signal);
}

/** When the try after `attempts` tries is due, or null when the day is over. */
export function nextTryAt(attempts: number, firstAttemptAt: Date, now: Date): Date | null {
  const delay = RETRY_DELAYS_SECONDS[Math.min(attempts - 1, RETRY_DELAYS_SECONDS.length - 1)]! * 1000;
  const next = new Date(now.getTime() + delay);
  return next.getTime() - firstAttemptAt.getTime() > GIVE_UP_AFTER_MS ? null : next;
}

export async function deliverWebhook(
  deps: Deps,
  id: string,
  signal?: AbortSignal,
  mayWait = true,
): Promise<void> {
  const now = deps.now();
  const claimed = await claimDelivery(deps.db, id, now, new Date(now.getTime() + CLAIM_MS));
  if (!claimed) {
    if (mayWait && (await claimLapsing(deps, id, signal))) return deliverWebhook(deps, id, signal, false);
    return;
  }
  const payload = await payloadOf(deps, claimed);
  if (payload === null) {
    return finish(deps, claimed, {
      status: "failed",
      code: null,
      error: "item_unavailable",
      next: null,
    });
  }
  const result = await postSigned(new URL(claimed.url), JSON.stringify(payload), {
    secret: claimed.secret,
    deliveryId: claimed.id,
    now,
    timeoutMs: TIMEOUT_MS,
    allowPrivate: deps.config.webhooks.allowPrivate,
    ...(signal ? { signal } : {}),
  });
  const code = "statusCode" in result ? result.statusCode : null;
  // Stopped without an answer (shutdown, lease lost): the claim lapses and the job's next run tries again.
  if (code === null) signal?.throwIfAborted();
  if (code !== null && code >= 200 && code < 300) {
    return finish(deps, claimed, { status: "delivered", code, error: null, next: null });
  }
  const error = "error" in result ? result.error : null;
  const next = nextTryAt(claimed.attempts, claimed.firstAttemptAt, deps.now());
  deps.log.info({ delivery: id, attempts: claimed.attempts, error, next }, "webhook delivery not accepted");
  return finish(deps, claimed, { status: next ? "pending" : "failed", code, error, next });
}

/** Records a try's outcome, and queues the next try in the same transaction. */
async function finish(
  deps: Deps,
  claimed: ClaimedDelivery,
  outcome: {
    status: "pending" | "delivered" | "failed";
    code: number | null;
    error: string | null;
    next: Date | null;
  },
) {
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await recordTry(tx, claimed.id, { ...outcome, now });
    if (outcome.status === "pending" && outcome.next) {
      const delaySeconds = (outcome.next.getTime() - now.getTime()) / 1000;
      await enqueueWithin(tx, "webhooks.deliver", [claimed.id], {
        leaseSeconds: deps.config.jobs.leaseSeconds,
        delaySeconds,
      });
    }
  });
}

/**
 * Nothing to send now. Delivered, failed or gone: done. Not due yet: its own job is queued for
 * then. Held by another try: if that try's process died, its claim lapses within CLAIM_MS; this
 * run waits for that (true) and tries once more, so the delivery does not wait for another job.
 * If the claim is still held then, a live try has it and records what follows.
 */
async function claimLapsing(deps: Deps, id: string, signal?: AbortSignal): Promise<boolean> {
  const row = await findDelivery(deps.db, id);
  if (row?.status !== "pending" || !row.claimedUntil) return false;
  const wait = row.claimedUntil.getTime() - deps.now().getTime();
  if (wait <= 0 || wait > CLAIM_MS) return false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, wait + 100);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
  signal?.throwIfAborted();
  return true;
}

/** The item as ninjs in its owner's language, as an anonymous newsroom sees it; null if no longer available. */
async function payloadOf(deps: Deps, claimed: ClaimedDelivery): Promise<NinjsDocument | null> {
  if (claimed.itemId === null) return testPayload(deps, claimed.id, claimed.language);
  const viewer = { editor: false, now: deps.now() };
  try {
    const item = await loadItem(deps.db, viewer, claimed.itemId);
    const facts = await itemFacts(deps.db, claimed.itemId);
    if (!facts) return null;
    return itemNinjs({ publicUrl: deps.config.publicUrl, lang: claimed.language }, viewer, item, facts);
  } catch (error) {
    if (error instanceof UserError) return null;
    throw error;
  }
}

/** "Send a test": a ninjs document of its own, through the same queue, signature and log. */
function testPayload(deps: Deps, deliveryId: string, lang: Lang): NinjsDocument {
  return {
    uri: `${deps.config.publicUrl}/api/v1/me/webhooks/test/${deliveryId}`,
    representationType: "partial",
    versionCreated: deps.now().toISOString(),
    pubStatus: "withheld",
    language: lang,
    headlines: [{ role: "main", value: t(lang, "webhooks.test.title") }],
    edNote: t(lang, "webhooks.test.note"),
  };
}
