import type { PageContext } from "../../web/context.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { formatDateTime, languageName, locales, numberFormat } from "../../web/intl.ts";
import { islandScripts } from "../../web/islands.ts";
import { page } from "../../web/layout.ts";
import { awaitsUpload, canPlay, isEmbargoed } from "../access.ts";
import { statusReasonText } from "../status-reason.ts";
import type { TranscriptSearch } from "../transcript-search.ts";
import { localized } from "../types.ts";
import { eventPath, photoUrl } from "../urls.ts";
import type { ItemDetail, Viewer } from "../view-models.ts";
import { feedLink, inLang, itemMeta, liveBadgeHtml, paragraphs, plain, playsLive } from "./parts.ts";
import { livePlayerHtml, playerHtml } from "./player.ts";
import { transcriptHtml } from "./transcript.ts";
import { matchMarksHtml, transcriptSearchHtml } from "./transcript-search.ts";

/** `?t=12.5` starts the player there; anything else starts at the beginning. */
export function startAt(query: { t?: string }, duration: number | null): number | null {
  const t = Number(query.t);
  if (!query.t || !Number.isFinite(t) || t <= 0) return null;
  return duration ? Math.min(t, duration) : t;
}

export function stateHtml(lang: Lang, item: ItemDetail, viewer: Viewer): Html {
  const notes: Html[] = [];
  if (item.publishedAt === null || item.publishedAt > viewer.now) {
    notes.push(html`<p class="notice">${t(lang, "item.unpublished")}</p>`);
  }
  if (isEmbargoed(item, viewer.now)) {
    const until = item.embargoUntil!;
    notes.push(html`<div class="notice embargo"><p><strong>${t(lang, "item.embargo_title")}</strong>
<time datetime="${until.toISOString()}">${formatDateTime(lang, until)}</time></p>
<p>${t(lang, viewer.editor ? "item.embargo_editor" : "item.embargo_text")}</p></div>`);
  }
  // A live item plays its recording while it is received and made into a video: no "processing".
  if (item.live && item.status !== "ready" && item.status !== "failed") {
    notes.push(liveBadgeHtml(lang, item));
    if (item.live.state === "waiting") {
      // live-wait.ts reloads the page when the stream starts, so the player appears by itself.
      notes.push(
        html`<p class="notice" data-live-wait="/api/v1/items/${item.id}">${t(lang, "live.waiting")}</p>`,
      );
    }
  } else if (awaitsUpload(item, viewer)) {
    notes.push(html`<p class="notice">${t(lang, "item.awaiting_upload")}</p>`);
  } else if (item.status === "uploaded" || item.status === "processing") {
    notes.push(html`<div class="notice processing"><p id="progress-label">${t(lang, "item.processing")}</p>
<progress max="100" value="${item.progress}" aria-labelledby="progress-label">${item.progress}%</progress></div>`);
  }
  if (item.status === "failed") {
    notes.push(html`<div class="notice failed"><p>${t(lang, "item.failed")}</p>
${viewer.editor && item.statusReason ? html`<p>${t(lang, "item.failed_reason", { reason: statusReasonText(lang, item.statusReason) ?? "" })}</p>` : ""}</div>`);
  }
  return html`${notes}`;
}

export function mediaHtml(
  lang: Lang,
  item: ItemDetail,
  viewer: Viewer,
  start: number | null,
  marks: Html | string = "",
): Html {
  if (canPlay(item, viewer) && playsLive(item)) return livePlayerHtml(lang, item);
  if (!canPlay(item, viewer) || item.status !== "ready") return html``;
  if (item.mediaType === "photo") {
    const src = photoUrl(item);
    return src
      ? html`<figure class="photo"><img src="${src}" alt="${plain(item.title, lang)}"></figure>`
      : html``;
  }
  return playerHtml(lang, item, start, marks);
}

export function detailsHtml(lang: Lang, item: ItemDetail): Html {
  const description = localized(item.description, lang);
  const shotList = localized(item.shotList, lang);
  const terms = localized(item.usageTerms, lang);
  const foreign = (l: Lang) => (l === lang ? undefined : l);
  const rows: [string, Html | string][] = [];
  // One per line: a speaker is often given with a title ("Anna Berg, President"), so commas between
  // them would read as more people.
  if (item.speakers.length)
    rows.push([
      t(lang, "item.speakers"),
      item.speakers.length === 1
        ? (item.speakers[0] ?? "")
        : html`<ul class="speakers">${item.speakers.map((name) => html`<li>${name}</li>`)}</ul>`,
    ]);
  if (item.languages.length)
    rows.push([t(lang, "item.languages"), item.languages.map((code) => languageName(lang, code)).join(", ")]);
  const rate = item.master?.frameRate;
  if (rate)
    rows.push([
      t(lang, "item.frame_rate"),
      t(lang, "item.frames_per_second", { fps: formatNumber(lang, rate.num / rate.den) }),
    ]);
  if (item.master?.startTimecode) rows.push([t(lang, "item.start_timecode"), item.master.startTimecode]);
  const tracks = item.master?.audioTracks ?? [];
  if (tracks.length) {
    rows.push([
      t(lang, "item.audio_tracks"),
      html`<ol class="tracks">${tracks.map((a) => html`<li>${trackLabel(lang, a)}${a.channels ? ` (${channelsLabel(lang, a.channels)})` : ""}</li>`)}</ol>`,
    ]);
  }
  return html`${description.text ? html`<section aria-labelledby="description-title"><h2 id="description-title">${t(lang, "item.description")}</h2>${paragraphs(description.text, foreign(description.lang))}</section>` : ""}
${shotList.text ? html`<section aria-labelledby="shots-title"><h2 id="shots-title">${t(lang, "item.shot_list")}</h2><div class="shot-list">${paragraphs(shotList.text, foreign(shotList.lang))}</div></section>` : ""}
<section aria-labelledby="terms-title"><h2 id="terms-title">${t(lang, "item.usage_terms")}</h2>
${terms.text ? paragraphs(terms.text, foreign(terms.lang)) : html`<p>${t(lang, "item.default_terms")}</p>`}
${item.credit ? html`<p>${t(lang, "item.credit", { credit: item.credit })}</p>` : ""}</section>
${rows.length ? html`<section aria-labelledby="tech-title"><h2 id="tech-title">${t(lang, "item.details")}</h2><dl class="details">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section>` : ""}`;
}

export function formatNumber(lang: Lang, n: number): string {
  return numberFormat(locales[lang], { maximumFractionDigits: 3 }).format(n);
}

/** The editors' usual labels in words ("Floor sound", as the download panel says); others as typed. */
export function trackLabel(lang: Lang, track: { index: number; label: string }): string {
  if (track.label === "floor" || track.label === "en" || track.label === "fr")
    return t(lang, `downloads.audio.${track.label}`);
  return track.label || t(lang, "item.track_n", { n: track.index + 1 });
}

/** "stereo", not "2 ch". */
export function channelsLabel(lang: Lang, channels: number): string {
  if (channels === 1) return t(lang, "item.channels_1");
  if (channels === 2) return t(lang, "item.channels_2");
  return t(lang, "item.channels_n", { n: channels });
}

/**
 * What another feature shows under the player (downloads' panel). The app passes it in, so the
 * catalogue imports no feature that imports the catalogue.
 */
export type ItemPanel = (ctx: PageContext, item: ItemDetail, query: unknown) => Promise<Html>;

/**
 * The item page: player (or photo, or why not), the download panel below it, details, and
 * beside them the transcript with its search (whose finds are marked under the player too).
 */
export function itemPage(
  ctx: PageContext,
  item: ItemDetail,
  viewer: Viewer,
  start: number | null,
  below: Html | string,
  search: TranscriptSearch = { kind: "none" },
): string {
  const { lang } = ctx;
  const event = item.event && (item.event.published || viewer.editor) ? item.event : null;
  const marks = matchMarksHtml(lang, item.id, item.durationSeconds, search);
  const player = mediaHtml(lang, item, viewer, start, marks);
  const found = new Map(search.kind === "found" ? search.matches.map((m) => [m.position, m.headline]) : []);
  const body = html`<article class="item">
${event ? html`<p class="breadcrumb"><a href="${eventPath(lang, event.slug)}">${inLang(event.title, lang)}</a></p>` : ""}
<h1>${inLang(item.title, lang)}</h1>
${itemMeta(lang, item)}
${stateHtml(lang, item, viewer)}
<div class="item-layout${item.transcript.length ? " with-transcript" : ""}">
<div class="item-main">
${player}
${below}
${detailsHtml(lang, item)}
</div>
${
  item.transcript.length
    ? html`<div class="item-side">
${transcriptSearchHtml(lang, item, search)}
${transcriptHtml(lang, item.id, item.transcript, item.master, found)}
</div>`
    : ""
}
</div>
</article>`;
  const scripts = [
    player.value ? "player" : "",
    item.transcript.length ? "transcript" : "",
    player.value && item.transcript.length ? "transcript-search" : "",
    item.live?.state === "waiting" && item.status !== "ready" ? "live-wait" : "",
  ].filter(Boolean);
  return page(ctx, plain(item.title, lang), body, html`${feedLink(lang)}${islandScripts(...scripts)}`);
}
