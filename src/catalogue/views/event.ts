import type { PageContext } from "../../web/context.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { formatDateTime, formatTime } from "../../web/intl.ts";
import { islandScripts } from "../../web/islands.ts";
import { page } from "../../web/layout.ts";
import { canPlay } from "../access.ts";
import { localized } from "../types.ts";
import { eventPath, itemPath } from "../urls.ts";
import type { EventDetail, Viewer } from "../view-models.ts";
import { formatDuration, kindLabel } from "./format.ts";
import { galleryHtml } from "./gallery.ts";
import { feedLink, inLang, itemCardHtml, paragraphs, plain } from "./parts.ts";

export function programmeHtml(lang: Lang, event: EventDetail): Html {
  if (event.programme.length === 0) return html``;
  return html`<section aria-labelledby="programme-title"><h2 id="programme-title">${t(lang, "event.programme")}</h2>
<ol class="programme">${event.programme.map((entry) => {
    const title = entry.title.en || entry.title.fr ? entry.title : (entry.item?.title ?? entry.title);
    const time = entry.startsAt
      ? html`<time datetime="${entry.startsAt.toISOString()}">${formatTime(lang, entry.startsAt)}</time> `
      : "";
    const item = entry.item
      ? html` — <a href="${itemPath(lang, entry.item.id)}">${kindLabel(lang, entry.item.kind)}${entry.item.durationSeconds ? html` (${formatDuration(entry.item.durationSeconds)})` : ""}</a>`
      : "";
    return html`<li>${time}<span class="programme-title">${inLang(title, lang)}</span>${item}</li>`;
  })}</ol></section>`;
}

/** The event's text in the page's language; the other language is offered when the editors wrote it. */
export function textHtml(lang: Lang, event: EventDetail): Html {
  const other: Lang = lang === "en" ? "fr" : "en";
  const summary = localized(event.summary, lang);
  const body = localized(event.body, lang);
  const hasOwn = Boolean(event.title[lang] || event.summary[lang] || event.body[lang]);
  const hasOther = Boolean(event.summary[other] || event.body[other]);
  const offer = hasOther
    ? html`<p class="other-language"><a href="${eventPath(other, event.slug)}" hreflang="${other}" lang="${other}">${t(other, "event.read_in_language")}</a></p>`
    : "";
  const only = hasOwn ? "" : html`<p class="notice">${t(lang, "event.only_other_language")}</p>`;
  return html`${only}${summary.text ? html`<div class="summary lead">${paragraphs(summary.text, summary.lang === lang ? undefined : summary.lang)}</div>` : ""}
${body.text ? html`<div class="body">${paragraphs(body.text, body.lang === lang ? undefined : body.lang)}</div>` : ""}
${offer}`;
}

/** The event page: what, when and where, its text, programme, media and photo gallery. */
export function eventPage(ctx: PageContext, event: EventDetail, viewer: Viewer, photo: number): string {
  const { lang } = ctx;
  const photos = event.items.filter((i) => i.mediaType === "photo" && canPlay(i, viewer));
  const media = event.items.filter((i) => i.mediaType !== "photo");
  const place = plain(event.place, lang);
  const body = html`<article class="event">
<h1>${inLang(event.title, lang)}</h1>
<p class="meta"><time datetime="${event.startsAt.toISOString()}">${formatDateTime(lang, event.startsAt)}</time>${place ? html` · ${place}` : ""}</p>
${event.publishedAt === null || event.publishedAt > viewer.now ? html`<p class="notice">${t(lang, "event.unpublished")}</p>` : ""}
${textHtml(lang, event)}
${programmeHtml(lang, event)}
${media.length ? html`<section aria-labelledby="media-title"><h2 id="media-title">${t(lang, "event.media")}</h2><ul class="cards">${media.map((i) => itemCardHtml(lang, i, 3, viewer.now))}</ul></section>` : ""}
${galleryHtml(lang, eventPath(lang, event.slug), photos, photo)}
</article>`;
  const head = html`${feedLink(lang)}${photos.length ? islandScripts("gallery") : ""}`;
  return page(ctx, plain(event.title, lang), body, head);
}
