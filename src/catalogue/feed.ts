import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces.js";
import { type Lang, t } from "../web/i18n.ts";
import { localized } from "./types.ts";
import { absolute, itemPath, photoUrl, posterUrl, previewUrl } from "./urls.ts";
import type { ItemCard } from "./view-models.ts";
import { kindLabel } from "./views/format.ts";

/**
 * RSS 2.0 with Media RSS (https://www.rssboard.org/media-rss): each item links to its page and
 * carries its preview (HLS for video and audio, the picture for a photo) and its poster. The XML
 * is written by xmlbuilder2, which escapes every value and replaces the characters XML 1.0 cannot
 * carry (control characters, lone surrogates) that editors sometimes paste.
 */
const MEDIA = "http://search.yahoo.com/mrss/";

function mediaElements(entry: XMLBuilder, publicUrl: string, lang: Lang, item: ItemCard): void {
  if (item.mediaType === "photo") {
    const photo = photoUrl(item);
    if (photo) entry.ele("media:content", { url: absolute(publicUrl, photo), medium: "image" });
  } else {
    const preview = previewUrl(item);
    if (preview) {
      entry.ele("media:content", {
        url: absolute(publicUrl, preview),
        type: "application/vnd.apple.mpegurl",
        medium: item.mediaType,
        ...(item.durationSeconds ? { duration: String(Math.round(item.durationSeconds)) } : {}),
      });
    }
  }
  const poster = posterUrl(item);
  if (poster) entry.ele("media:thumbnail", { url: absolute(publicUrl, poster) });
  entry.ele("media:title", { type: "plain" }).txt(localized(item.title, lang).text);
  const description = localized(item.description, lang).text;
  if (description) entry.ele("media:description", { type: "plain" }).txt(description);
  if (item.credit) entry.ele("media:credit", { role: "copyright holder" }).txt(item.credit);
  const terms = localized(item.usageTerms, lang).text;
  if (terms) entry.ele("media:license", { type: "text/plain" }).txt(terms);
}

/** `title` and `self` (the feed's own address) for a feed other than the catalogue's (a saved search's). */
export function rssFeed(input: {
  publicUrl: string;
  lang: Lang;
  items: ItemCard[];
  now: Date;
  title?: string;
  self?: string;
}): string {
  const { publicUrl, lang, items } = input;
  const rss = create({ version: "1.0", encoding: "UTF-8", invalidCharReplacement: "" }).ele("rss", {
    version: "2.0",
    "xmlns:media": MEDIA,
    "xmlns:atom": "http://www.w3.org/2005/Atom",
  });
  const channel = rss.ele("channel");
  channel.ele("title").txt(input.title ?? t(lang, "feed.title"));
  channel.ele("link").txt(absolute(publicUrl, `/${lang}`));
  channel.ele("description").txt(t(lang, "feed.description"));
  channel.ele("language").txt(lang === "fr" ? "fr-FR" : "en-GB");
  channel.ele("lastBuildDate").txt(input.now.toUTCString());
  channel.ele("atom:link", {
    href: input.self ?? absolute(publicUrl, `/${lang}/feed.xml`),
    rel: "self",
    type: "application/rss+xml",
  });
  for (const item of items) {
    const link = absolute(publicUrl, itemPath(lang, item.id));
    // When it became available: published, or its embargo lifted, whichever came last.
    const available = [item.publishedAt, item.embargoUntil].filter((d): d is Date => d !== null);
    const entry = channel.ele("item");
    entry.ele("title").txt(localized(item.title, lang).text);
    entry.ele("link").txt(link);
    entry.ele("guid", { isPermaLink: "true" }).txt(link);
    entry.ele("pubDate").txt(new Date(Math.max(...available.map((d) => d.getTime()))).toUTCString());
    entry.ele("category").txt(kindLabel(lang, item.kind));
    const description = localized(item.description, lang).text;
    if (description) entry.ele("description").txt(description);
    mediaElements(entry, publicUrl, lang, item);
  }
  return `${rss.end({ prettyPrint: true, headless: false })}\n`;
}
