import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { posterUrl, previewUrl } from "../urls.ts";
import type { ItemDetail } from "../views.ts";
import { timecodeLabel } from "./format.ts";

/**
 * The preview player: a <video> with the HLS preview, and the frame-stepping controls and
 * timecode, which stay hidden until the player island (client/player.ts) brings them to life.
 * The island reads everything from data-* attributes: the CSP allows no inline script.
 */
export function playerHtml(lang: Lang, item: ItemDetail, startAt: number | null): Html {
  const src = previewUrl(item);
  if (!src) return html``;
  const rate = item.master?.frameRate ?? null;
  const start = startAt ?? 0;
  const poster = posterUrl(item);
  // A media fragment starts native HLS players at ?t= even without the island.
  const source = startAt ? `${src}#t=${startAt}` : src;
  const fps = rate ? rate.num / rate.den : null;
  return html`<div class="player" id="player" data-player data-src="${src}" data-start-at="${startAt ?? ""}"
 data-rate-num="${rate?.num ?? ""}" data-rate-den="${rate?.den ?? ""}" data-start-timecode="${item.master?.startTimecode ?? ""}"
 data-duration="${item.durationSeconds ?? ""}">
<video controls preload="metadata" playsinline aria-label="${t(lang, "player.label")}"${poster ? html` poster="${poster}"` : ""}>
<source src="${source}" type="application/vnd.apple.mpegurl">
<p>${t(lang, "player.unsupported")}</p>
</video>
<div class="player-controls" data-player-controls hidden>
<button type="button" class="secondary" data-frame-step="-1" aria-keyshortcuts=",">${t(lang, "player.previous_frame")}</button>
<p class="timecode"><span class="visually-hidden">${t(lang, "player.timecode")} </span><output data-timecode>${timecodeLabel(start, item.master)}</output></p>
<button type="button" class="secondary" data-frame-step="1" aria-keyshortcuts=".">${t(lang, "player.next_frame")}</button>
</div>
<p class="hint" data-player-help hidden>${t(lang, "player.keys")}${fps ? html` ${t(lang, "player.rate", { fps: Number(fps.toFixed(3)) })}` : ""}</p>
<noscript><p class="hint">${t(lang, "player.noscript")}</p></noscript>
</div>`;
}
