import { randomBytes } from "node:crypto";
import { findItem } from "../../catalogue/item-store.ts";
import { liveAddresses } from "../../catalogue/live.ts";
import {
  findLiveStream,
  insertLiveStream,
  type LiveStream,
  markEnded,
  setLiveKey,
  usedSrtPorts,
} from "../../catalogue/live-store.ts";
import type { Config } from "../../core/config.ts";
import { UserError } from "../../core/errors.ts";
import { createItemFromFields, type IngestDeps, type ItemFields, type ItemSummary } from "../items.ts";

/**
 * Live items (issue 12): made by an editor with a key of their own, ended by the editor (or by
 * the sender staying away), after which the recording becomes the item's master ("live.finish").
 */

/** 32 URL-safe characters: an SRT passphrase (10-79 characters) and an RTMP stream name alike. */
export function newStreamKey(): string {
  return randomBytes(24).toString("base64url");
}

/** What an editor (and the API) is shown of a live's ingest: state, addresses and key. */
export function liveIngestJson(config: Config, stream: LiveStream) {
  return { state: stream.state, ...liveAddresses(config, stream), key: stream.key };
}

export async function createLiveItem(
  deps: Pick<IngestDeps, "db" | "now" | "config">,
  fields: ItemFields,
  scheduledAt: Date | null,
): Promise<ItemSummary & { stream: LiveStream }> {
  return deps.db.transaction(async (tx) => {
    const item = await createItemFromFields({ db: tx, now: deps.now }, fields, "video", "uploaded");
    const srtPort = await freeSrtPort(tx, deps.config);
    await insertLiveStream(tx, {
      itemId: item.id,
      key: newStreamKey(),
      srtPort,
      scheduledAt,
      now: deps.now(),
    });
    const stream = await findLiveStream(tx, item.id);
    return { ...item, stream: stream! };
  });
}

/** The first port of the range no open live uses; all in use is the operator's limit, said plainly. */
async function freeSrtPort(db: Parameters<typeof usedSrtPorts>[0], config: Config): Promise<number | null> {
  const first = config.live.srtPort;
  if (first === null) return null;
  const used = await usedSrtPorts(db);
  for (let port = first; port < first + config.live.srtPorts; port++) if (!used.has(port)) return port;
  throw new UserError("live_ports_full", { count: config.live.srtPorts });
}

/** A new key: encoders with the old one are refused from their next connection. */
export async function renewStreamKey(deps: Pick<IngestDeps, "db">, itemId: number): Promise<LiveStream> {
  const stream = await findLiveStream(deps.db, itemId);
  if (!stream) throw await notALive(deps, itemId);
  if (stream.state === "ended") throw new UserError("live_ended");
  await setLiveKey(deps.db, itemId, newStreamKey());
  return (await findLiveStream(deps.db, itemId))!;
}

/**
 * Ends the live: no more connections are taken, the receiving process stores its last piece,
 * and "live.finish" makes the recording the item's master. Ending twice changes nothing.
 */
export async function endLive(
  deps: Pick<IngestDeps, "db" | "now" | "jobs">,
  itemId: number,
): Promise<LiveStream> {
  const stream = await findLiveStream(deps.db, itemId);
  if (!stream) throw await notALive(deps, itemId);
  // Ended before its encoder ever sent, it would fail for good ("no video received"): a live that
  // will not take place is deleted instead, and one late to start keeps waiting.
  if (stream.state === "waiting") throw new UserError("live_not_started");
  if (await markEnded(deps.db, itemId, deps.now())) await deps.jobs.enqueue("live.finish", itemId);
  return (await findLiveStream(deps.db, itemId))!;
}

/** Why an item has no live to end or key to renew: it is not there, or it is not a live. */
async function notALive(deps: Pick<IngestDeps, "db">, itemId: number): Promise<UserError> {
  return new UserError((await findItem(deps.db, itemId)) ? "not_a_live" : "item_not_found");
}
