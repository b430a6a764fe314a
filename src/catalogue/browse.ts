import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import { canPlay, isVisible } from "./access.ts";
import { type EventCard, eventBySlug, latestEvents } from "./event-store.ts";
import { eventItems, itemById, latestItems } from "./item-store.ts";
import { programmeOf } from "./programme-store.ts";
import { transcriptOf } from "./transcript-store.ts";
import type { EventDetail, ItemCard, ItemDetail, Viewer } from "./view-models.ts";

/** The catalogue as media users browse it: each view is a handful of queries, whatever its size. */

export async function loadHome(
  db: Database,
  now: Date,
  limit = 12,
): Promise<{ events: EventCard[]; items: ItemCard[] }> {
  // Listings are the public view for everyone: editors find drafts in their workspace.
  const [events, items] = await Promise.all([latestEvents(db, now, { limit }), latestItems(db, now, limit)]);
  return { events, items };
}

export async function loadEvent(db: Database, viewer: Viewer, slug: string): Promise<EventDetail> {
  const event = await eventBySlug(db, viewer, slug);
  if (!event) throw new UserError("event_not_found");
  const [programme, items] = await Promise.all([
    programmeOf(db, viewer, event.id),
    eventItems(db, viewer, event.id),
  ]);
  return { ...event, programme, items };
}

/**
 * An item with its transcript. Unpublished items do not exist for media users; an embargoed
 * one shows its metadata, and its transcript only once it may play.
 */
export async function loadItem(db: Database, viewer: Viewer, id: number): Promise<ItemDetail> {
  const item = await itemById(db, viewer.now, id);
  if (!item || !isVisible(item, viewer)) throw new UserError("item_not_found");
  const transcript = canPlay(item, viewer) ? await transcriptOf(db, id) : [];
  return { ...item, transcript };
}
