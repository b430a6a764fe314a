import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { formatDate, formatDateTime } from "../../web/intl.ts";
import type { EventCard } from "../event-store.ts";
import { type Localized, localized } from "../types.ts";
import { eventPath, itemPath, mediaUrl, posterUrl } from "../urls.ts";
import type { ItemCard } from "../view-models.ts";
import { formatDuration, isoDuration, kindLabel } from "./format.ts";

/** Pieces several catalogue pages share: cards, localized text, the feed link, island scripts. */

/** Text in the page's language, or in the other one marked with its `lang` for screen readers. */
export function inLang(value: Localized, lang: Lang): Html {
  const chosen = localized(value, lang);
  return chosen.lang === lang
    ? html`${chosen.text}`
    : html`<span lang="${chosen.lang}">${chosen.text}</span>`;
}

export function plain(value: Localized, lang: Lang): string {
  return localized(value, lang).text;
}

/** Multi-paragraph text (summaries, bodies, shot lists): blank lines separate paragraphs. */
export function paragraphs(text: string, lang?: Lang): Html {
  const attr = lang ? html` lang="${lang}"` : "";
  return html`${text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map(
      (p) =>
        html`<p${attr}>${p.split("\n").map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>`,
    )}`;
}

export function feedLink(lang: Lang): Html {
  return html`<link rel="alternate" type="application/rss+xml" href="/${lang}/feed.xml" title="${t(lang, "feed.title")}">`;
}

export function itemMeta(lang: Lang, item: ItemCard): Html {
  const date = item.recordedAt ?? item.event?.startsAt ?? null;
  const place = item.event ? plain(item.event.place, lang) : "";
  const parts = [
    html`<span class="kind">${kindLabel(lang, item.kind)}</span>`,
    date ? html`<time datetime="${date.toISOString()}">${formatDate(lang, date)}</time>` : "",
    place ? html`<span>${place}</span>` : "",
    item.durationSeconds
      ? html`<time datetime="${isoDuration(item.durationSeconds)}"><span class="visually-hidden">${t(lang, "item.duration")} </span>${formatDuration(item.durationSeconds)}</time>`
      : "",
  ].filter((p) => p !== "");
  return html`<p class="meta">${parts.map((p, i) => (i === 0 ? p : html` · ${p}`))}</p>`;
}

function thumbnail(src: string | null): Html {
  return src
    ? html`<img class="thumb" src="${src}" alt="" loading="lazy" width="320" height="180">`
    : html`<div class="thumb placeholder" aria-hidden="true"></div>`;
}

export function itemCardHtml(lang: Lang, item: ItemCard, headingLevel: 2 | 3 = 3, now?: Date): Html {
  const heading = html`<a href="${itemPath(lang, item.id)}">${inLang(item.title, lang)}</a>`;
  const embargoed = now !== undefined && item.embargoUntil !== null && item.embargoUntil > now;
  return html`<li class="card">
${thumbnail(embargoed ? null : posterUrl(item))}
${headingLevel === 2 ? html`<h2>${heading}</h2>` : html`<h3>${heading}</h3>`}
${itemMeta(lang, item)}
${embargoed ? html`<p class="badge">${t(lang, "item.embargoed_badge")}</p>` : ""}
${liveBadgeHtml(lang, item)}
</li>`;
}

/**
 * A live item (issue 12) until its recording is an ordinary item: it plays its live playlist,
 * not the ready item's preview.
 */
export function playsLive(item: Pick<ItemCard, "live" | "status">): boolean {
  return item.live !== null && item.live.state !== "waiting" && item.status !== "ready";
}

/** "Live" while it is; "Starts …" before; nothing once it has ended (it is then a recording). */
export function liveBadgeHtml(lang: Lang, item: Pick<ItemCard, "live" | "status">): Html {
  const live = item.live;
  if (!live || item.status === "ready") return html``;
  if (live.state === "live") return html`<p class="badge live">${t(lang, "live.badge")}</p>`;
  if (live.state === "ended") return html``;
  return live.scheduledAt
    ? html`<p class="badge upcoming"><time datetime="${live.scheduledAt.toISOString()}">${t(lang, "live.starts_at", { when: formatDateTime(lang, live.scheduledAt) })}</time></p>`
    : html`<p class="badge upcoming">${t(lang, "live.soon")}</p>`;
}

export function eventCardHtml(lang: Lang, event: EventCard): Html {
  const place = plain(event.place, lang);
  const poster = event.poster ? mediaUrl(event.poster.itemId, event.poster.key) : null;
  return html`<li class="card">
${thumbnail(poster)}
<h3><a href="${eventPath(lang, event.slug)}">${inLang(event.title, lang)}</a></h3>
<p class="meta"><time datetime="${event.startsAt.toISOString()}">${formatDate(lang, event.startsAt)}</time>${place ? html` · ${place}` : ""}</p>
${event.summary.en || event.summary.fr ? html`<p>${inLang(event.summary, lang)}</p>` : ""}
</li>`;
}
