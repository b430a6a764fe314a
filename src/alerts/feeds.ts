import { loadItem } from "../catalogue/browse.ts";
import { rssFeed } from "../catalogue/feed.ts";
import { itemCards } from "../catalogue/item-store.ts";
import { itemNinjs, type NinjsDocument } from "../catalogue/ninjs.ts";
import { itemFacts } from "../catalogue/ninjs-store.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { type Lang, t } from "../web/i18n.ts";
import { type SavedSearch, savedSearchItemIds } from "./store.ts";

/**
 * A saved search's own feeds, for a newsroom system that polls with the search's token: its
 * available items (never an embargoed one), most recently available first, as the catalogue's
 * RSS (Media RSS) or as a JSON list of IPTC ninjs documents.
 */

export const SAVED_FEED_SIZE = 50;

type Deps = Pick<FeatureDeps, "db" | "now" | "config">;

export async function savedSearchRss(
  deps: Deps,
  search: SavedSearch,
  lang: Lang,
  self: string,
): Promise<string> {
  const now = deps.now();
  const ids = await savedSearchItemIds(deps.db, search.id, now, SAVED_FEED_SIZE);
  const cards = new Map((await itemCards(deps.db, now, ids)).map((c) => [c.id, c]));
  const items = ids.flatMap((id) => cards.get(id) ?? []);
  const title = `${t(lang, "site.name")} — ${search.name}`;
  return rssFeed({ publicUrl: deps.config.publicUrl, lang, items, now, title, self });
}

export async function savedSearchNinjs(
  deps: Deps,
  search: SavedSearch,
  lang: Lang,
): Promise<NinjsDocument[]> {
  const now = deps.now();
  // What a media user may see: the same documents as GET /api/v1/items/{id} in ninjs.
  const viewer = { editor: false, now };
  const links = { publicUrl: deps.config.publicUrl, lang };
  const ids = await savedSearchItemIds(deps.db, search.id, now, SAVED_FEED_SIZE);
  const documents: NinjsDocument[] = [];
  for (const id of ids) {
    const [item, facts] = await Promise.all([loadItem(deps.db, viewer, id), itemFacts(deps.db, id)]);
    if (facts) documents.push(itemNinjs(links, viewer, item, facts));
  }
  return documents;
}
