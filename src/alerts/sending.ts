import { itemCards } from "../catalogue/item-store.ts";
import { isAvailable } from "../catalogue/types.ts";
import type { ItemCard } from "../catalogue/view-models.ts";
import type { FeatureDeps } from "../core/deps.ts";
import {
  digestsToSend,
  markDelivered,
  markDigestSent,
  pendingImmediate,
  prepareDigests,
} from "./deliveries-store.ts";
import { alertMail, type DigestGroup, digestMail } from "./message.ts";
import { alertUnsubscribeUrl } from "./saved-searches.ts";

/**
 * Sending the alert e-mails, at least once: a row is marked sent once SMTP took its message, so
 * a run killed midway sends again only what it was handing over (with the same Message-ID).
 * A message the SMTP server refuses is left for the job's next try; the others go on.
 */

type Deps = Pick<FeatureDeps, "db" | "now" | "mailer" | "config" | "secret" | "log">;

const BATCH = 50;
/** Messages handed to SMTP at once (the transport keeps 8 connections). */
const LANES = 8;

/** When the day's digest goes: 07:00 UTC, before most newsrooms' morning meeting in Europe. */
export const DIGEST_HOUR_UTC = 7;

/** The "alerts.send" job: every immediate alert not yet sent. */
export async function sendImmediateAlerts(deps: Deps, signal?: AbortSignal): Promise<{ sent: number }> {
  let sent = 0;
  let failed = 0;
  let after = 0;
  const marks = sentMarks(deps);
  for (;;) {
    signal?.throwIfAborted();
    const batch = await pendingImmediate(deps.db, after, BATCH);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.deliveryId;
    const now = deps.now();
    const itemIds = batch.map((a) => a.itemId);
    const cards = new Map((await itemCards(deps.db, now, itemIds)).map((c) => [c.id, c]));
    // The alert was turned off, or the item withdrawn, since it was announced: nothing to say.
    const skipped = batch.filter((a) => a.alert !== "immediate" || !availableCard(cards.get(a.itemId), now));
    const skippedIds = skipped.map((a) => a.deliveryId);
    await markDelivered(deps.db, skippedIds, now);
    const due = batch.filter((a) => !skipped.includes(a));
    await inLanes(due, async (a) => {
      const links = {
        publicUrl: deps.config.publicUrl,
        unsubscribeUrl: alertUnsubscribeUrl(deps, a.language, { search: a.searchId }),
      };
      const message = alertMail(
        a.language,
        { name: a.name, searchName: a.searchName, item: cards.get(a.itemId)!, deliveryId: a.deliveryId },
        links,
      );
      try {
        await deps.mailer.send(a.email, message);
      } catch (error) {
        failed += 1;
        deps.log.warn({ err: error, delivery: a.deliveryId }, "alert e-mail not sent; tried again later");
        return;
      }
      sent += 1;
      await marks.add(a.deliveryId);
    });
    await marks.flush();
  }
  if (failed > 0) throw new Error(`${failed} alert e-mails were refused; they are tried again`);
  return { sent };
}

/** The day (YYYY-MM-DD) whose digest is due at `now`, and its hour: the last 07:00 UTC passed. */
export function digestDue(now: Date): { day: string; cutoff: Date } {
  const today = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), DIGEST_HOUR_UTC),
  );
  const cutoff = now >= today ? today : new Date(today.getTime() - 86_400_000);
  return { day: cutoff.toISOString().slice(0, 10), cutoff };
}

/**
 * The "alerts.digest" job for `day`: one e-mail per user with the items announced for their
 * daily searches before that day's 07:00 UTC and not in an earlier digest. Run again, it sends
 * what is left of that day's digests, never a second one to anybody.
 */
export async function sendDigests(deps: Deps, day: string, signal?: AbortSignal): Promise<{ sent: number }> {
  const cutoff = new Date(`${day}T${String(DIGEST_HOUR_UTC).padStart(2, "0")}:00:00Z`);
  if (Number.isNaN(cutoff.getTime()) || deps.now() < cutoff) return { sent: 0 };
  await prepareDigests(deps.db, day, cutoff, deps.now());
  let sent = 0;
  let failed = 0;
  let after = 0;
  for (;;) {
    signal?.throwIfAborted();
    const digests = await digestsToSend(deps.db, day, after, BATCH);
    if (digests.length === 0) break;
    after = digests[digests.length - 1]!.digestId;
    const now = deps.now();
    const ids = [...new Set(digests.flatMap((d) => d.entries.map((e) => e.itemId)))];
    const cards = new Map((await itemCards(deps.db, now, ids)).map((c) => [c.id, c]));
    await inLanes(digests, async (d) => {
      const groups = new Map<number, DigestGroup>();
      for (const e of d.entries) {
        const card = cards.get(e.itemId);
        if (e.alert !== "daily" || !availableCard(card, now)) continue;
        const group = groups.get(e.searchId) ?? {
          searchName: e.searchName,
          items: [],
          unsubscribeUrl: alertUnsubscribeUrl(deps, d.language, { search: e.searchId }),
        };
        group.items.push(card);
        groups.set(e.searchId, group);
      }
      if (groups.size > 0) {
        const links = {
          publicUrl: deps.config.publicUrl,
          unsubscribeUrl: alertUnsubscribeUrl(deps, d.language, { dailyOf: d.userId }),
        };
        const message = digestMail(
          d.language,
          { name: d.name, groups: [...groups.values()], digestId: d.digestId },
          links,
        );
        try {
          await deps.mailer.send(d.email, message);
        } catch (error) {
          failed += 1;
          deps.log.warn({ err: error, digest: d.digestId }, "digest e-mail not sent; tried again later");
          return;
        }
        sent += 1;
      }
      await markDigestSent(deps.db, d.digestId, deps.now());
    });
  }
  if (failed > 0) throw new Error(`${failed} digest e-mails were refused; they are tried again`);
  return { sent };
}

/**
 * Rows are marked sent a few at a time (one UPDATE for as many as there are lanes), one after the
 * other: a message is in doubt from SMTP's answer until its group is written, at most LANES of them.
 */
function sentMarks(deps: Pick<Deps, "db" | "now">) {
  let ids: number[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    const group = ids;
    ids = [];
    writing = writing.then(() => markDelivered(deps.db, group, deps.now()));
    return writing;
  };
  return {
    async add(id: number) {
      ids.push(id);
      if (ids.length >= LANES) await flush();
    },
    flush,
  };
}

function availableCard(card: ItemCard | undefined, now: Date): card is ItemCard {
  return card !== undefined && isAvailable(card, now);
}

async function inLanes<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(LANES, items.length) }, lane));
}
