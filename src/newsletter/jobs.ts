import { randomUUID } from "node:crypto";
import { unsubscribeUrl } from "../accounts/profile.ts";
import { findSubscriber } from "../accounts/store.ts";
import type { FeatureDeps } from "../core/deps.ts";
import {
  claimBatch,
  claimsHeldUntil,
  finishIfDone,
  markRefused,
  markSent,
  noteUnknown,
  releaseClaims,
  releaseDelivery,
  skipDelivery,
  startDelivery,
} from "./deliveries-store.ts";
import { newsletterMail } from "./message.ts";
import { findIssue } from "./store.ts";
import type { Issue } from "./types.ts";

export type SendOptions = {
  /** Rows one worker takes at a time. */
  batchSize: number;
  /** How long a claim keeps other workers away; a worker that died lets go after this. */
  claimMs: number;
  /** Sends the SMTP server refused before the row counts as failed. */
  maxAttempts: number;
  /** Messages of a batch handed to SMTP at once (each SMTP connection spends most of its time waiting). */
  concurrency: number;
};

export const defaultSendOptions: SendOptions = {
  batchSize: 50,
  claimMs: 10 * 60_000,
  maxAttempts: 3,
  concurrency: 8,
};

type Deps = Pick<FeatureDeps, "db" | "mailer" | "now" | "config" | "log" | "secret">;

/**
 * The "newsletter.send" job: sends batch after batch until nobody waits. Each message is
 * marked 'sending' before SMTP and 'sent' after, so a run that dies leaves in doubt only the
 * few messages it was handing over; those are never resent without the editor.
 * Any number of runs may work on one issue at once: rows are claimed, not shared.
 */
export async function sendIssue(
  deps: Deps,
  issueId: number,
  options: SendOptions = defaultSendOptions,
  signal?: AbortSignal,
) {
  const issue = await findIssue(deps.db, issueId);
  if (issue?.status !== "sending") return;
  for (;;) {
    signal?.throwIfAborted();
    const token = randomUUID();
    const now = deps.now();
    const until = new Date(now.getTime() + options.claimMs);
    const batch = await claimBatch(deps.db, issueId, token, options.batchSize, now, until);
    if (batch.length === 0) break;
    try {
      await inLanes(batch, options.concurrency, (userId) => {
        // Stopping (lease lost, shutdown): what has not started goes back with the claims below.
        signal?.throwIfAborted();
        return deliver(deps, issue, userId, token, options);
      });
    } catch (error) {
      await releaseClaims(deps.db, issueId, token, deps.now());
      deps.log.warn({ err: error, issueId }, "Newsletter sending stopped; the job will try again");
      throw error;
    }
  }
  if (await finishIfDone(deps.db, issueId, deps.now())) deps.log.info({ issueId }, "Newsletter sent");
}

/**
 * The job (db/jobs.ts "newsletter.send"). Its claims last one job lease: when this job is taken
 * up again after its process died, that run's claims have lapsed or soon will, and are waited
 * for here, so no recipient is left behind a claim nobody holds.
 */
export async function sendIssueJob(deps: Deps, issueId: number, signal: AbortSignal): Promise<void> {
  const options = { ...defaultSendOptions, claimMs: deps.config.jobs.leaseSeconds * 1000 };
  for (;;) {
    await sendIssue(deps, issueId, options, signal);
    const heldUntil = await claimsHeldUntil(deps.db, issueId);
    if (heldUntil === null) return;
    const wait = Math.min(options.claimMs, Math.max(0, heldUntil.getTime() - deps.now().getTime()) + 100);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      const stop = () => {
        clearTimeout(timer);
        resolve();
      };
      signal.addEventListener("abort", stop, { once: true });
    });
    signal.throwIfAborted();
  }
}

/** One message; throws when sending should stop (the transport is in trouble). */
async function deliver(deps: Deps, issue: Issue, userId: number, token: string, options: SendOptions) {
  // The account as it is now (address, language); one that left the list or lost its claim is skipped.
  // Reading it apart from the claim changes nothing under concurrency: an update never locked the
  // account row either, and a leaver's click can always land between this check and SMTP.
  const user = await findSubscriber(deps.db, userId);
  if (!user || !(await startDelivery(deps.db, issue.id, userId, token, deps.now())))
    return skipDelivery(deps.db, issue.id, userId, token, deps.now());
  const links = { publicUrl: deps.config.publicUrl, unsubscribeUrl: unsubscribeUrl(deps, user) };
  try {
    await deps.mailer.send(user.email, newsletterMail(issue, user.language, links));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const outcome = sendFailure(error);
    if (outcome === "refused")
      return markRefused(deps.db, issue.id, userId, reason, options.maxAttempts, deps.now());
    if (outcome === "not-sent") await releaseDelivery(deps.db, issue.id, userId, reason, deps.now());
    else await noteUnknown(deps.db, issue.id, userId, reason, deps.now());
    throw error;
  }
  await markSent(deps.db, issue.id, userId, deps.now());
}

/** Runs `work` on every item, `lanes` at a time; after a failure no new item starts, and it is rethrown. */
async function inLanes<T>(items: T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}

/**
 * What a failed send means for the recipient. An SMTP answer refusing the message means it
 * did not go ("refused"); no connection at all, neither, and the next ones would not go
 * either ("not-sent"). Anything else (a connection lost during DATA, a time-out) might
 * have delivered it: we cannot tell ("unknown").
 */
function sendFailure(error: unknown): "refused" | "not-sent" | "unknown" {
  const e = (error ?? {}) as { responseCode?: unknown; code?: unknown; command?: unknown };
  // nodemailer names the step that failed; "CONN" is before the server saw any message.
  if (e.command === "CONN" || e.code === "EDNS" || e.code === "ECONNECTION" || e.code === "EAUTH")
    return "not-sent";
  // 421: the server is closing the connection; it took nothing, but the next ones would fail too.
  if (e.responseCode === 421) return "not-sent";
  if (typeof e.responseCode === "number" && e.responseCode >= 400) return "refused";
  return "unknown";
}
