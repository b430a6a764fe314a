import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { photoUrl, posterUrl } from "../urls.ts";
import type { ItemCard } from "../view-models.ts";
import { inLang, plain } from "./parts.ts";

/** "© Agency / Photographer": the sign added unless the editor's credit has it already. */
export function creditLine(credit: string): string {
  return /^\s*(©|\(c\)|copyright\b)/i.test(credit) ? credit.trim() : `© ${credit.trim()}`;
}

/**
 * The event's photos, one at a time with "n / N". Without JavaScript every control is a link
 * (?photo=n); the gallery island (client/gallery.ts) swaps pictures in place and adds arrow
 * keys and swipes. Every photo's URLs are in data-* attributes for it.
 */
export function galleryHtml(lang: Lang, basePath: string, photos: ItemCard[], requested: number): Html {
  if (photos.length === 0) return html``;
  const total = photos.length;
  const index = Math.min(Math.max(1, requested), total);
  const current = photos[index - 1]!;
  const link = (n: number) => `${basePath}?photo=${n}#gallery`;
  const counter = t(lang, "gallery.counter", { n: index, total });
  const nav = (n: number, key: "gallery.previous" | "gallery.next", rel: string) =>
    n >= 1 && n <= total
      ? html`<a class="button secondary" href="${link(n)}" rel="${rel}" data-gallery-step="${rel === "prev" ? -1 : 1}">${t(lang, key)}</a>`
      : html`<span class="button secondary disabled" aria-disabled="true" data-gallery-step="${rel === "prev" ? -1 : 1}">${t(lang, key)}</span>`;
  return html`<section id="gallery" class="gallery" aria-labelledby="gallery-title" data-gallery data-index="${index}"
 data-counter-template="${t(lang, "gallery.counter")}">
<h2 id="gallery-title">${t(lang, "gallery.title")}</h2>
<figure>
<img data-gallery-image src="${photoUrl(current) ?? ""}" alt="${plain(current.title, lang)}">
<figcaption><span data-gallery-caption>${inLang(current.title, lang)}</span>${current.credit ? html` <span class="credit" data-gallery-credit>${creditLine(current.credit)}</span>` : html`<span class="credit" data-gallery-credit></span>`}</figcaption>
</figure>
<div class="gallery-nav">
${nav(index - 1, "gallery.previous", "prev")}
<p class="counter" data-gallery-counter aria-live="polite">${counter}</p>
${nav(index + 1, "gallery.next", "next")}
</div>
<ol class="gallery-thumbs" aria-label="${t(lang, "gallery.all")}">
${photos.map(
  (p, i) => html`<li><a href="${link(i + 1)}"${i + 1 === index ? html` aria-current="true"` : ""}
 data-gallery-photo="${photoUrl(p) ?? ""}" data-gallery-title="${plain(p.title, lang)}" data-gallery-credit="${p.credit ? creditLine(p.credit) : ""}">
<img src="${posterUrl(p) ?? photoUrl(p) ?? ""}" alt="${t(lang, "gallery.photo_n", { n: i + 1, title: plain(p.title, lang) })}" loading="lazy" width="96" height="64"></a></li>`,
)}
</ol>
</section>`;
}
