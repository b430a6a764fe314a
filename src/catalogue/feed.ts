import { type Lang, t } from "../web/i18n.ts";
import { kindLabel } from "./pages/format.ts";
import { localized } from "./types.ts";
import { absolute, itemPath, photoUrl, posterUrl, previewUrl } from "./urls.ts";
import type { ItemCard } from "./views.ts";

/**
 * RSS 2.0 with Media RSS (https://www.rssboard.org/media-rss): each item links to its page and
 * carries its preview (HLS for video and audio, the picture for a photo) and its poster.
 */

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** XML 1.0 allows neither most control characters nor lone surrogates, which editors can paste. */
function clean(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what XML forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
  );
}

const el = (name: string, text: string) => `<${name}>${xml(clean(text))}</${name}>`;

function mediaXml(publicUrl: string, lang: Lang, item: ItemCard): string {
  const title = localized(item.title, lang).text;
  const description = localized(item.description, lang).text;
  const poster = posterUrl(item);
  const parts: string[] = [];
  if (item.mediaType === "photo") {
    const photo = photoUrl(item);
    if (photo) parts.push(`<media:content url="${xml(absolute(publicUrl, photo))}" medium="image"/>`);
  } else {
    const preview = previewUrl(item);
    const duration = item.durationSeconds ? ` duration="${Math.round(item.durationSeconds)}"` : "";
    if (preview) {
      parts.push(
        `<media:content url="${xml(absolute(publicUrl, preview))}" type="application/vnd.apple.mpegurl" medium="${item.mediaType}"${duration}/>`,
      );
    }
  }
  if (poster) parts.push(`<media:thumbnail url="${xml(absolute(publicUrl, poster))}"/>`);
  parts.push(`<media:title type="plain">${xml(clean(title))}</media:title>`);
  if (description)
    parts.push(`<media:description type="plain">${xml(clean(description))}</media:description>`);
  if (item.credit)
    parts.push(`<media:credit role="copyright holder">${xml(clean(item.credit))}</media:credit>`);
  const terms = localized(item.usageTerms, lang).text;
  if (terms) parts.push(`<media:license type="text/plain">${xml(clean(terms))}</media:license>`);
  return parts.join("\n");
}

export function rssFeed(input: { publicUrl: string; lang: Lang; items: ItemCard[]; now: Date }): string {
  const { publicUrl, lang, items } = input;
  const self = absolute(publicUrl, `/${lang}/feed.xml`);
  const entries = items.map((item) => {
    const link = absolute(publicUrl, itemPath(lang, item.id));
    const available = [item.publishedAt, item.embargoUntil].filter((d): d is Date => d !== null);
    const pubDate = new Date(Math.max(...available.map((d) => d.getTime())));
    const description = localized(item.description, lang).text;
    return `<item>
${el("title", localized(item.title, lang).text)}
${el("link", link)}
<guid isPermaLink="true">${xml(link)}</guid>
${el("pubDate", pubDate.toUTCString())}
${el("category", kindLabel(lang, item.kind))}
${description ? el("description", description) : ""}
${mediaXml(publicUrl, lang, item)}
</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
${el("title", t(lang, "feed.title"))}
${el("link", absolute(publicUrl, `/${lang}`))}
${el("description", t(lang, "feed.description"))}
${el("language", lang === "fr" ? "fr-FR" : "en-GB")}
${el("lastBuildDate", input.now.toUTCString())}
<atom:link href="${xml(self)}" rel="self" type="application/rss+xml"/>
${entries.join("\n")}
</channel>
</rss>
`;
}
