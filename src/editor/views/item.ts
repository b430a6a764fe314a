import type { LiveView } from "../../catalogue/live.ts";
import type { EventRecord } from "../../catalogue/types.ts";
import { type Master, type MediaItem, mediaKinds, mediaTypes } from "../../catalogue/types.ts";
import { formatBytes } from "../../downloads/estimate.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, notice } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { t, tCount } from "../../web/i18n.ts";
import { baseInput, baseOf } from "../edit-base.ts";
import { formTokenInput } from "../form-token.ts";
import { formatZonedDateTime } from "../zoned-time.ts";
import { audioSection } from "./audio.ts";
import { bilingualControl, input, selectControl, textarea } from "./controls.ts";
import { liveSection } from "./live.ts";
import { editorPage } from "./shared.ts";
import { eventTitle, itemTitle, kindLabel, processingState, publicationState } from "./status.ts";
import { stillTiming, type TimingStatus, timingStatusHtml } from "./timing-status.ts";
import { itemUploadForm } from "./upload.ts";

export type ItemPageState = {
  item: MediaItem | null;
  master: Master | null;
  /** The transcript's sentences, notes to the reader left out (editor/transcript-timing.ts). */
  segmentCount: number;
  events: Pick<EventRecord, "id" | "startsAt" | "title">[];
  values: Record<string, string>;
  /** What to say at the top: a save can have more than one thing to point out. */
  info: string | readonly string[] | null;
  message: string | null;
  errors: FieldProblems;
  /** Problems of the audio-track form, shown beside it. */
  audioErrors: FieldProblems;
  timeZone: string;
  now: Date;
  /** Its processing job is being tried again (db/jobs.ts jobIsRetrying). */
  retrying?: boolean;
  /** How the automatic timing of its transcript went, per language. */
  timing?: TimingStatus;
  /** A live item's addresses, state and stream health (issue 12). */
  live?: LiveView | null;
  /** The fingerprint the form is sent back with (edit-base.ts); by default the stored item's. */
  base?: string;
  /** "Publish" was pressed while its master was processed: it is published once that completes. */
  publishWhenReady?: boolean;
  /** Why "Publish" was refused (editor/publish.ts). */
  publishMessage?: string | null;
  /** Its event is a draft: journalists see the item, but not the event's page. */
  eventDraft?: boolean;
  /** A new item's form: its one-time token, so that sending it twice makes one item (form-token.ts). */
  formToken?: string;
};

export function itemValues(item: MediaItem, zone: string): Record<string, string> {
  const when = (d: Date | null) => (d ? formatZonedDateTime(d, zone) : "");
  const pairs = {
    title: item.title,
    description: item.description,
    shot_list: item.shotList,
    usage_terms: item.usageTerms,
  };
  return {
    event_id: item.eventId === null ? "" : String(item.eventId),
    media_type: item.mediaType,
    kind: item.kind,
    credit: item.credit,
    speakers: item.speakers.join("\n"),
    languages: item.languages.join(", "),
    recorded_at: when(item.recordedAt),
    embargo_until: when(item.embargoUntil),
    ...Object.fromEntries(
      Object.entries(pairs).flatMap(([n, v]) => [
        [`${n}_en`, v.en],
        [`${n}_fr`, v.fr],
      ]),
    ),
  };
}

function form(ctx: PageContext, s: ItemPageState): Html {
  const { lang } = ctx;
  const v = s.values;
  const e = s.errors;
  const zoneHint = t(lang, "editor.hint.time_zone", { zone: s.timeZone });
  const action = s.item ? `/${lang}/editor/items/${s.item.id}` : `/${lang}/editor/items`;
  const eventOptions = s.events.map((ev) => ({
    value: String(ev.id),
    label: `${formatZonedDateTime(ev.startsAt, s.timeZone).slice(0, 10)} — ${eventTitle(lang, ev)}`,
  }));
  const base = s.item
    ? baseInput(s.base ?? baseOf(itemValues(s.item, s.timeZone)))
    : s.formToken
      ? formTokenInput(s.formToken)
      : "";
  return html`<form method="post" action="${action}" novalidate>${csrfInput(ctx.csrfToken)}${base}
<fieldset><legend>${t(lang, "editor.item.what")}</legend>
<div class="pair">
${selectControl(lang, { name: "event_id", label: t(lang, "editor.field.event"), value: v.event_id ?? "", empty: t(lang, "editor.item.no_event"), options: eventOptions }, e)}
${
  s.item
    ? html`<p><strong>${t(lang, "editor.field.media_type")}</strong><br>${t(lang, `editor.media_type.${s.item.mediaType}`)}</p>`
    : selectControl(
        lang,
        {
          name: "media_type",
          label: t(lang, "editor.field.media_type"),
          value: v.media_type ?? "video",
          options: mediaTypes.map((m) => ({ value: m, label: t(lang, `editor.media_type.${m}`) })),
        },
        e,
      )
}
${selectControl(lang, { name: "kind", label: t(lang, "editor.field.kind"), value: v.kind ?? "", empty: t(lang, "form.choose"), options: mediaKinds.map((k) => ({ value: k, label: kindLabel(lang, k) })) }, e)}
${input(lang, { name: "recorded_at", label: t(lang, "editor.field.recorded_at"), type: "datetime-local", value: v.recorded_at ?? "", hint: zoneHint }, e)}
</div></fieldset>
<fieldset><legend>${t(lang, "editor.event.texts")}</legend>
${bilingualControl(lang, { name: "title", label: "editor.field.title", values: v, hint: t(lang, "editor.hint.one_language") }, e)}
${bilingualControl(lang, { name: "description", label: "editor.field.description", values: v, multiline: 4 }, e)}
${bilingualControl(lang, { name: "shot_list", label: "editor.field.shot_list", values: v, multiline: 8, hint: t(lang, "editor.hint.shot_list") }, e)}
</fieldset>
<fieldset><legend>${t(lang, "editor.item.rights")}</legend>
${bilingualControl(lang, { name: "usage_terms", label: "editor.field.usage_terms", values: v, multiline: 3 }, e)}
<div class="pair">
${input(lang, { name: "credit", label: t(lang, "editor.field.credit"), value: v.credit ?? "" }, e)}
${input(lang, { name: "embargo_until", label: t(lang, "editor.field.embargo_until"), type: "datetime-local", value: v.embargo_until ?? "", hint: t(lang, "editor.hint.embargo", { zone: s.timeZone }) }, e)}
</div></fieldset>
<fieldset><legend>${t(lang, "editor.item.people")}</legend>
<div class="pair">
${textarea(lang, { name: "speakers", label: t(lang, "editor.field.speakers"), value: v.speakers ?? "", hint: t(lang, "editor.hint.speakers"), rows: 4 }, e)}
${input(lang, { name: "languages", label: t(lang, "editor.field.languages"), value: v.languages ?? "", hint: t(lang, "editor.hint.languages") }, e)}
</div></fieldset>
<button type="submit">${t(lang, "editor.save")}</button>
</form>`;
}

function sidePanels(ctx: PageContext, s: ItemPageState, item: MediaItem): Html {
  const { lang } = ctx;
  const waiting = !item.publishedAt && s.publishWhenReady === true;
  const action = item.publishedAt || waiting ? "unpublish" : "publish";
  const embargo = item.embargoUntil
    ? html`<p>${t(lang, "editor.item.embargo_until", { when: `${formatZonedDateTime(item.embargoUntil, s.timeZone).replace("T", " ")} ${s.timeZone}` })}</p>`
    : "";
  const master = s.master
    ? html`<p>${t(lang, "editor.item.master", { name: s.master.originalName, size: formatBytes(s.master.bytes, lang) })}</p>`
    : html`<p>${t(lang, "editor.item.no_master")}</p>`;
  const transcript =
    item.mediaType === "photo"
      ? ""
      : html`<section aria-labelledby="transcript-heading"><h2 id="transcript-heading">${t(lang, "editor.transcript.title")}</h2>
<p>${tCount(lang, "editor.transcript.count", s.segmentCount)}
<a href="/${lang}/editor/items/${item.id}/transcript">${t(lang, "editor.transcript.edit")}</a></p>
${s.timing ? timingStatusHtml(lang, item.id, s.timing, s.timeZone, `/${lang}/editor/items/${item.id}`) : ""}</section>`;
  return html`${s.live ? liveSection(ctx, item.id, s.live, s.timeZone) : ""}
<section aria-labelledby="processing-heading"><h2 id="processing-heading">${t(lang, "editor.item.processing")}</h2>
${
  // A live item has no upload: its video is made from the recording when the live ends.
  s.live && item.status === "uploaded"
    ? html`<p>${t(lang, "editor.live.video_after")}</p>`
    : // Nothing uploaded yet: not "waiting for processing" beside "no master file".
      !s.master && item.status === "uploaded"
      ? master
      : html`<p${watchesProcessing(s, item) ? html` data-processing-watch="/api/v1/items/${item.id}" data-status="${item.status}"` : ""}>${processingState(lang, { ...item, hasMaster: s.master !== null }, s.retrying)}</p>${master}`
}${takesMaster(s, item) ? itemUploadForm(ctx, item) : ""}</section>
<section aria-labelledby="publishing"><h2 id="publishing">${t(lang, "editor.publishing")}</h2>
<p>${waiting ? html`<span class="state when-ready">${t(lang, "editor.state.when_ready")}</span>` : publicationState(lang, item, s.now)}</p>${embargo}
${s.eventDraft ? html`<p>${t(lang, "editor.item.event_draft")}</p>` : ""}
${s.publishMessage ? html`<p class="error" role="alert">${s.publishMessage}</p>` : ""}
<form method="post" action="/${lang}/editor/items/${item.id}/${action}">${csrfInput(ctx.csrfToken)}
<button type="submit"${action === "unpublish" ? ' class="secondary"' : ""}>${t(lang, waiting ? "editor.publish_cancel" : `editor.${action}`)}</button></form></section>
${transcript}
${s.master ? audioSection(ctx, item, s.master, s.audioErrors) : ""}`;
}

/** A master being processed (or queued for it): the page follows it (processing-watch island). */
function watchesProcessing(s: ItemPageState, item: MediaItem): boolean {
  return !s.live && s.master !== null && (item.status === "processing" || item.status === "uploaded");
}

/** An item without a master, or whose master failed, takes one from this page (not a live: its video is its recording). */
function takesMaster(s: ItemPageState, item: MediaItem): boolean {
  return !s.live && (item.status === "failed" || (!s.master && item.status === "uploaded"));
}

export function itemPage(ctx: PageContext, s: ItemPageState): string {
  const { lang } = ctx;
  const title = s.item
    ? t(lang, "editor.item.edit_title", { title: itemTitle(lang, s.item) })
    : t(lang, "editor.item.new");
  const event = s.item?.eventId ? s.events.find((ev) => ev.id === s.item?.eventId) : undefined;
  const crumbs = event
    ? [{ href: `/${lang}/editor/events/${event.id}`, label: eventTitle(lang, event) }]
    : [];
  return editorPage(
    ctx,
    title,
    html`<h1>${title}</h1>
${s.info ? notice(s.info) : ""}
${s.item ? sidePanels(ctx, s, s.item) : ""}
<section aria-labelledby="details-heading"><h2 id="details-heading">${t(lang, "editor.item.details")}</h2>
${errorSummary(lang, s.message, s.errors)}
${form(ctx, s)}</section>`,
    {
      crumbs,
      islands: [
        ...(s.item && takesMaster(s, s.item) ? ["master-upload"] : []),
        ...(s.item && watchesProcessing(s, s.item) ? ["processing-watch"] : []),
        ...(s.timing && stillTiming(s.timing) ? ["alignment-watch"] : []),
        ...(s.live && s.live.state !== "ended" ? ["live-watch"] : []),
      ],
    },
  );
}
