import type { FastifyRequest } from "fastify";
import { UserError } from "../core/errors.ts";
import { isEditor } from "../web/guards.ts";
import type { MediaItem } from "./types.ts";
import { isAvailable, shownStatus } from "./types.ts";
import type { ItemDetail, Viewer } from "./view-models.ts";

/**
 * The catalogue's access rules in one place. Media users see published items; an embargoed
 * item shows its metadata and embargo time but neither plays nor shows its transcript before
 * then (an embargoed speech must not leak as text either). Editors see and play everything.
 */
export function viewerOf(request: FastifyRequest, now: () => Date): Viewer {
  return { editor: isEditor(request.user), now: now() };
}

export function isVisible(item: Pick<MediaItem, "publishedAt">, viewer: Viewer): boolean {
  return viewer.editor || (item.publishedAt !== null && item.publishedAt <= viewer.now);
}

export function canPlay(item: Pick<MediaItem, "publishedAt" | "embargoUntil">, viewer: Viewer): boolean {
  return viewer.editor || isAvailable(item, viewer.now);
}

export function isEmbargoed(item: Pick<MediaItem, "embargoUntil">, now: Date): boolean {
  return item.embargoUntil !== null && item.embargoUntil > now;
}

/**
 * An item still without its master file, for an editor previewing it: it says so (the API's
 * `awaiting_upload`, shownStatus), not "being processed", which nothing is. A media user is told
 * as before: they see no drafts, and an item is published only once its master is in.
 */
export function awaitsUpload(item: Pick<ItemDetail, "status" | "live" | "master">, viewer: Viewer): boolean {
  return viewer.editor && shownStatus(item, item.master !== null) === "awaiting_upload";
}

/** Throws the error a media user gets for an item they may not play. */
export function assertPlayable(item: Pick<MediaItem, "publishedAt" | "embargoUntil">, viewer: Viewer): void {
  if (!isVisible(item, viewer)) throw new UserError("item_not_found");
  if (!canPlay(item, viewer)) throw new UserError("embargoed", { until: utcLabel(item.embargoUntil!) });
}

/** "2026-11-23 10:00 UTC": unambiguous for every reader, whatever their time zone. */
export function utcLabel(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
