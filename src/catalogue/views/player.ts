import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { livePlaylistPath } from "../live.ts";
import { captionsUrl, mp4PreviewUrl, posterUrl, previewUrl } from "../urls.ts";
import type { ItemDetail } from "../view-models.ts";
import { timecodeLabel } from "./format.ts";

/**
 * The preview player: a <video> with the HLS preview (and a single MP4 for browsers without
 * JavaScript), the transcript as captions, one track per language, and the frame-stepping controls and
 * timecode, which stay hidden until the player island (client/player.ts) brings them to life.
 * The island reads everything from data-* attributes: the CSP allows no inline script.
 */
export function playerHtml(
  lang: Lang,
  item: ItemDetail,
  startAt: number | null,
  /** Drawn under the picture: where a transcript search found its sentences. */
  marks: Html | string = "",
): Html {
  const src = previewUrl(item);
  if (!src) return html``;
  const rate = item.master?.frameRate ?? null;
  const start = startAt ?? 0;
  const poster = posterUrl(item);
  const mp4 = mp4PreviewUrl(item);
  // Each rendition's pictures start where its encoder put them (ingest measures it): a media
  // fragment, like the island, lands on the master's moment, not a frame or two before it.
  const at = (kind: "hls" | "mp4") => start + (item.previewTiming[kind] ?? 0);
  const fragment = (url: string, kind: "hls" | "mp4") => (startAt ? `${url}#t=${at(kind)}` : url);
  const fps = rate ? rate.num / rate.den : null;
  // Without JavaScript the MP4 comes first: every browser plays it (Firefox has no HLS), from
  // the same frames; the island replaces both sources with the HLS ladder.
  return html`<div class="player" id="player" data-player data-src="${src}" data-start-at="${startAt ?? ""}"
 data-rate-num="${rate?.num ?? ""}" data-rate-den="${rate?.den ?? ""}" data-start-timecode="${item.master?.startTimecode ?? ""}"
 data-duration="${item.durationSeconds ?? ""}" data-first-frame="${item.previewTiming.hls ?? 0}" data-mp4-first-frame="${item.previewTiming.mp4 ?? 0}">
<video controls preload="metadata" playsinline aria-label="${t(lang, "player.label")}"${poster ? html` poster="${poster}"` : ""}>
${mp4 ? html`<source src="${fragment(mp4, "mp4")}" type="video/mp4" data-mp4>` : ""}
<source src="${fragment(src, "hls")}" type="application/vnd.apple.mpegurl">
${captionLanguages(item).map((l) => html`<track kind="captions" srclang="${l}" label="${t(lang, l === "fr" ? "player.track.fr" : "player.track.en")}" src="${captionsUrl(item.id, l)}">`)}
<p>${t(lang, "player.unsupported")}</p>
</video>
${marks}
<div class="player-controls" data-player-controls hidden>
<button type="button" class="secondary" data-frame-step="-1" aria-keyshortcuts=",">${t(lang, "player.previous_frame")}</button>
<p class="timecode"><span class="visually-hidden">${t(lang, "player.timecode")} </span><output data-timecode>${timecodeLabel(start, item.master)}</output></p>
<button type="button" class="secondary" data-frame-step="1" aria-keyshortcuts=".">${t(lang, "player.next_frame")}</button>
</div>
<p class="hint" data-player-help hidden>${t(lang, "player.keys")}${fps ? html` ${t(lang, "player.rate", { fps: Number(fps.toFixed(3)) })}` : ""}</p>
<noscript><p class="hint">${t(lang, mp4 ? "player.noscript_mp4" : "player.noscript")}</p></noscript>
</div>`;
}

/**
 * A live item's player (issue 12): its recording as it arrives (an HLS EVENT playlist), opened at
 * the live edge; "From the start" and "Back to live" move along what has been received, and the
 * timecode is the recording's. The same island as the ready item's, told by `data-live`.
 */
export function livePlayerHtml(lang: Lang, item: ItemDetail): Html {
  const clock = { frameRate: item.live?.frameRate ?? null, startTimecode: item.live?.startTimecode ?? null };
  const rate = clock.frameRate;
  return html`<div class="player live" id="player" data-player data-live data-src="${livePlaylistPath(item.id)}"
 data-rate-num="${rate?.num ?? ""}" data-rate-den="${rate?.den ?? ""}" data-start-timecode="${clock.startTimecode ?? ""}">
<video controls preload="none" playsinline aria-label="${t(lang, "player.label")}">
<source src="${livePlaylistPath(item.id)}" type="application/vnd.apple.mpegurl">
<p>${t(lang, "player.unsupported")}</p>
</video>
<div class="player-controls" data-player-controls hidden>
<button type="button" class="secondary" data-live-start>${t(lang, "player.from_start")}</button>
<p class="timecode"><span class="visually-hidden">${t(lang, "player.timecode")} </span><output data-timecode>${timecodeLabel(0, clock)}</output></p>
<button type="button" data-live-edge>${t(lang, "player.live_edge")}</button>
</div>
<noscript><p class="hint">${t(lang, "player.noscript")}</p></noscript>
</div>`;
}

/** The languages the timed transcript is spoken in, each a captions track (in the page's order). */
function captionLanguages(item: ItemDetail): Lang[] {
  const spoken = new Set(item.transcript.filter((s) => s.startSeconds !== null).map((s) => s.lang));
  return (["en", "fr"] as const).filter((l) => spoken.has(l));
}
