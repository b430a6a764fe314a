import type { LiveView } from "../../catalogue/live.ts";
import { type EventRecord, mediaKinds } from "../../catalogue/types.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { locales, numberFormat } from "../../web/intl.ts";
import { formatZonedDateTime } from "../zoned-time.ts";
import { bilingualControl, input, selectControl } from "./controls.ts";
import { editorPage, shortDateTime } from "./shared.ts";
import { eventTitle, kindLabel } from "./status.ts";

/** The workspace's side of a live item (issue 12): making one, and following it on its page. */

export type LiveNewState = {
  event: Pick<EventRecord, "id" | "title">;
  values: Record<string, string>;
  message: string | null;
  errors: FieldProblems;
  timeZone: string;
};

/** "Add a live item" on an event: title, kind, scheduled start; the key and addresses come after. */
export function liveNewPage(ctx: PageContext, s: LiveNewState): string {
  const { lang } = ctx;
  const title = t(lang, "editor.live.new");
  const v = s.values;
  return editorPage(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t(lang, "editor.live.new_intro")}</p>
${errorSummary(lang, s.message, s.errors)}
<form method="post" action="/${lang}/editor/events/${s.event.id}/live" novalidate>${csrfInput(ctx.csrfToken)}
${bilingualControl(lang, { name: "title", label: "editor.field.title", values: v, hint: t(lang, "editor.hint.one_language") }, s.errors)}
<div class="pair">
${selectControl(lang, { name: "kind", label: t(lang, "editor.field.kind"), value: v.kind || "press-conference", options: mediaKinds.map((k) => ({ value: k, label: kindLabel(lang, k) })) }, s.errors)}
${input(lang, { name: "scheduled_at", label: t(lang, "editor.live.scheduled_at"), type: "datetime-local", value: v.scheduled_at ?? "", hint: t(lang, "editor.hint.time_zone", { zone: s.timeZone }) }, s.errors)}
</div>
<button type="submit">${t(lang, "editor.live.create")}</button>
</form>`,
    { crumbs: [{ href: `/${lang}/editor/events/${s.event.id}`, label: eventTitle(lang, s.event) }] },
  );
}

/** Why the stream cannot be recorded, in words that say what to change at the venue. */
export function liveProblemText(lang: Lang, problem: string): string {
  if (problem === "no_video") return t(lang, "editor.live.problem.no_video");
  if (problem === "unreadable") return t(lang, "editor.live.problem.unreadable");
  const codec = /^(video|audio)_codec:(.+)$/.exec(problem);
  if (codec?.[1] === "video")
    return t(lang, "editor.live.problem.video_codec", { codec: codecName(codec[2]!) });
  if (codec?.[1] === "audio")
    return t(lang, "editor.live.problem.audio_codec", { codec: codecName(codec[2]!) });
  return t(lang, "editor.live.problem.other", { problem });
}

/** ffprobe's codec names as encoders' menus show them. */
function codecName(codec: string): string {
  const names: Record<string, string> = {
    hevc: "HEVC (H.265)",
    h264: "H.264",
    av1: "AV1",
    vp9: "VP9",
    mpeg2video: "MPEG-2",
  };
  return names[codec] ?? codec.toUpperCase();
}

/** One health figure: the island rewrites the number in place (`data-live-health`). */
function figure(lang: Lang, name: string, value: number | undefined, unit: string): Html {
  const shown =
    value === undefined ? "—" : numberFormat(locales[lang], { maximumFractionDigits: 2 }).format(value);
  return html`<span data-live-health="${name}">${shown}</span>${unit ? html` ${unit}` : ""}`;
}

/**
 * The live section of the item's page: state, where the encoder sends (SRT, RTMP: server and
 * key as OBS asks for them), the stream's health, and the buttons. `live-watch` keeps the
 * figures current, and reloads the page when the state or the problem changes.
 */
export function liveSection(ctx: PageContext, itemId: number, live: LiveView, zone: string): Html {
  const { lang } = ctx;
  const { ingest } = live;
  const health = ingest.health;
  const rtmpServer = ingest.rtmp ? ingest.rtmp.slice(0, ingest.rtmp.lastIndexOf("/")) : null;
  const lastFrame = health.lastFrameAt ? new Date(health.lastFrameAt) : null;
  const base = `/${lang}/editor/items/${itemId}/live`;
  const open = live.state !== "ended";
  // Live, but the encoder went away: said at once, not only by a last frame's time growing old.
  const silent = live.state === "live" && !live.receiving;
  return html`<section aria-labelledby="live-heading" class="live-panel" data-live-watch="/api/v1/items/${itemId}"
 data-live-state="${live.state}" data-live-problem="${ingest.problem ?? ""}" data-live-receiving="${silent ? "no" : "yes"}">
<h2 id="live-heading">${t(lang, "editor.live.title")}</h2>
<p><strong class="status live-${live.state}">${t(lang, silent ? "editor.live.state.silent" : `editor.live.state.${live.state}`)}</strong>${
    live.scheduledAt && live.state === "waiting"
      ? html` — ${t(lang, "editor.live.scheduled_for", { when: shortDateTime(formatZonedDateTime(live.scheduledAt, zone), zone) })}`
      : ""
  }</p>
${silent ? html`<p class="notice">${t(lang, "editor.live.silent_hint")}</p>` : ""}
${ingest.problem ? html`<p class="error" role="alert">${liveProblemText(lang, ingest.problem)}</p>` : ""}
${
  open
    ? html`<h3>${t(lang, "editor.live.send_to")}</h3>
<dl class="live-addresses">
${ingest.srt ? html`<dt>SRT</dt><dd><code>${ingest.srt}</code></dd>` : ""}
${rtmpServer ? html`<dt>${t(lang, "editor.live.rtmp_server")}</dt><dd><code>${rtmpServer}</code></dd>` : ""}
<dt>${t(lang, "editor.live.key")}</dt><dd><code>${ingest.key}</code></dd>
</dl>
<p class="hint">${t(lang, "editor.live.send_hint")}</p>`
    : ""
}
<h3>${t(lang, "editor.live.health")}</h3>
<dl class="live-health">
<dt>${t(lang, "editor.live.received")}</dt><dd>${figure(lang, "receivedSeconds", live.receivedSeconds, "s")}</dd>
<dt>${t(lang, "editor.live.bitrate")}</dt><dd>${figure(lang, "bitrateKbps", health.bitrateKbps, "kbit/s")}</dd>
<dt>${t(lang, "editor.live.frame_rate")}</dt><dd>${figure(lang, "frameRate", health.frameRate, t(lang, "editor.live.fps"))}</dd>
<dt>${t(lang, "editor.live.dropped")}</dt><dd>${figure(lang, "droppedFrames", health.droppedFrames, "")}</dd>
<dt>${t(lang, "editor.live.last_frame")}</dt><dd><span data-live-health="lastFrameAt">${lastFrame ? lastFrame.toISOString().slice(11, 19) : "—"}</span> UTC</dd>
</dl>
${
  open
    ? html`<div class="actions">
<form method="post" action="${base}/key">${csrfInput(ctx.csrfToken)}<button type="submit" class="secondary">${t(lang, "editor.live.renew")}</button></form>
<a class="button" href="${base}/end">${t(lang, "editor.live.end")}</a>
</div>
<p class="hint">${t(lang, "editor.live.renew_hint")}</p>`
    : ""
}
</section>`;
}

/**
 * "End the live now?": it cannot be undone (no encoder can send to it again and its recording
 * becomes the item's video), so the item page's button leads here, as sending a newsletter does.
 */
export function liveEndPage(ctx: PageContext, item: { id: number; title: string }): string {
  const { lang } = ctx;
  const title = t(lang, "editor.live.end_title");
  const itemPage = `/${lang}/editor/items/${item.id}`;
  return editorPage(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t(lang, "editor.live.end_question", { title: item.title })}</p>
<p>${t(lang, "editor.live.end_once")}</p>
<form method="post" action="${itemPage}/live/end">${csrfInput(ctx.csrfToken)}
<div class="actions"><button type="submit">${t(lang, "editor.live.end")}</button>
<a href="${itemPage}">${t(lang, "editor.live.end_cancel")}</a></div>
</form>`,
    { crumbs: [{ href: itemPage, label: item.title }] },
  );
}
