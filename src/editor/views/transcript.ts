import type { MediaItem, TranscriptSegment } from "../../catalogue/types.ts";
import { isAnnotation } from "../../media/align/index.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, notice } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t, tCount } from "../../web/i18n.ts";
import { type ItemClock, sentenceCount } from "../transcript-timing.ts";
import { formatZonedDateTime } from "../zoned-time.ts";
import { input, selectControl, textarea } from "./controls.ts";
import { segmentsTable } from "./segments.ts";
import { editorPage, shortDateTime } from "./shared.ts";
import { itemTitle } from "./status.ts";
import { stillTiming, type TimingStatus, timingStatusHtml } from "./timing-status.ts";

export type TranscriptState = {
  item: MediaItem;
  /** Times are shown on the master's clock (its timecode); null before a master is probed. */
  clock: ItemClock | null;
  segments: TranscriptSegment[];
  /** A parsed upload waiting for the editor to confirm it replaces the transcript. */
  preview: { segments: TranscriptSegment[]; text: string; lang: Lang } | null;
  values: Record<string, string>;
  info: string | null;
  message: string | null;
  errors: FieldProblems;
  /** Which form the problems belong to. */
  failed: "upload" | "text" | null;
  /** Automatic timing per language, and the editors' time zone its dates are shown in. */
  timing: TimingStatus;
  /** When the transcript kept for undo was replaced (transcript-undo-store.ts), or null. */
  undoAt: Date | null;
  timeZone: string;
};

function langSelect(lang: Lang, name: string, value: string, errors: FieldProblems): Html {
  return selectControl(
    lang,
    {
      name,
      label: t(lang, "editor.transcript.language"),
      hint: t(lang, "editor.hint.transcript_language"),
      value,
      options: (["en", "fr"] as const).map((l) => ({ value: l, label: t(lang, `editor.lang.${l}`) })),
    },
    errors,
  );
}

/** Timing against the speech is the default for a video or a recording; unticked, the text is stored untimed. */
function alignChoice(lang: Lang, s: TranscriptState): Html {
  const on = (s.values.align ?? "on") === "on";
  return html`<div class="field checkbox"><input type="checkbox" id="align" name="align" value="on"${on ? " checked" : ""} aria-describedby="align-hint">
<label for="align">${t(lang, "editor.transcript.align")}</label>
<div class="hint" id="align-hint">${t(lang, "editor.hint.align")}</div></div>`;
}

function current(ctx: PageContext, s: TranscriptState, base: string): Html {
  const { lang } = ctx;
  if (s.segments.length === 0) return html`<p>${t(lang, "editor.transcript.none")}</p>`;
  // A note to the reader ("(As delivered)") has no time to give.
  const untimed = s.segments.filter((seg) => seg.startSeconds === null && !isAnnotation(seg.text)).length;
  return html`${untimed ? html`<p>${tCount(lang, "editor.transcript.untimed", untimed)}</p>` : ""}
<p><a class="button secondary" href="${base}/timing">${t(lang, "editor.timing.open")}</a></p>
${segmentsTable(lang, s.segments, tCount(lang, "editor.transcript.current_caption", sentenceCount(s.segments.map((seg) => seg.text))), s.clock)}`;
}

function previewSection(ctx: PageContext, s: TranscriptState, base: string): Html {
  const { lang } = ctx;
  const p = s.preview!;
  return html`<section aria-labelledby="preview-heading"><h2 id="preview-heading">${t(lang, "editor.transcript.preview")}</h2>
<p>${tCount(lang, "editor.transcript.preview_intro", sentenceCount(p.segments.map((seg) => seg.text)))}</p>
<form method="post" action="${base}/replace" class="actions">${csrfInput(ctx.csrfToken)}
<textarea name="text" hidden>
${p.text}</textarea><input type="hidden" name="lang" value="${p.lang}">
<button type="submit">${t(lang, "editor.transcript.confirm")}</button>
<a class="button secondary" href="${base}">${t(lang, "editor.cancel")}</a></form>
${segmentsTable(lang, p.segments, t(lang, "editor.transcript.preview_caption"), s.clock)}</section>`;
}

/** "Put back the earlier transcript": not while a text is being timed, whose result would replace it. */
function undoSection(ctx: PageContext, s: TranscriptState, base: string): Html {
  const { lang } = ctx;
  if (s.undoAt === null || stillTiming(s.timing)) return html``;
  const when = shortDateTime(formatZonedDateTime(s.undoAt, s.timeZone), s.timeZone);
  return html`<section aria-labelledby="undo-heading"><h2 id="undo-heading">${t(lang, "editor.transcript.undo_title")}</h2>
<p>${t(lang, "editor.transcript.undo_intro", { when })}</p>
<form method="post" action="${base}/restore">${csrfInput(ctx.csrfToken)}
<button type="submit" class="secondary">${t(lang, "editor.transcript.undo_button")}</button></form></section>`;
}

export function transcriptPage(ctx: PageContext, s: TranscriptState): string {
  const { lang } = ctx;
  const base = `/${lang}/editor/items/${s.item.id}/transcript`;
  const title = t(lang, "editor.transcript.page_title", { title: itemTitle(lang, s.item) });
  const crumbs = [{ href: `/${lang}/editor/items/${s.item.id}`, label: itemTitle(lang, s.item) }];
  const problems = (form: TranscriptState["failed"]) =>
    s.failed === form ? errorSummary(lang, s.message, s.errors) : html``;
  const errorsOf = (form: TranscriptState["failed"]) => (s.failed === form ? s.errors : {});
  return editorPage(
    ctx,
    title,
    html`<h1>${title}</h1>
${s.info ? notice(s.info) : ""}
${timingStatusHtml(lang, s.item.id, s.timing, s.timeZone, base)}
${s.preview ? previewSection(ctx, s, base) : ""}
<section aria-labelledby="upload-heading"><h2 id="upload-heading">${t(lang, "editor.transcript.upload")}</h2>
<p>${t(lang, "editor.transcript.upload_intro")}</p>
${problems("upload")}
<form method="post" action="${base}/upload" enctype="multipart/form-data" novalidate>${csrfInput(ctx.csrfToken)}
${input(lang, { name: "file", label: t(lang, "editor.transcript.file"), type: "file", accept: ".vtt,.srt,.txt,text/vtt,text/plain", value: "" }, errorsOf("upload"))}
${langSelect(lang, "lang", s.values.lang ?? lang, errorsOf("upload"))}
<button type="submit">${t(lang, "editor.transcript.check")}</button></form></section>
<section aria-labelledby="text-heading"><h2 id="text-heading">${t(lang, "editor.transcript.paste")}</h2>
${problems("text")}
<form method="post" action="${base}/text" novalidate>${csrfInput(ctx.csrfToken)}
${textarea(lang, { name: "text", label: t(lang, "editor.transcript.text_field"), hint: t(lang, "editor.hint.plain_text"), value: s.values.text ?? "", rows: 12 }, errorsOf("text"))}
${langSelect(lang, "text_lang", s.values.text_lang ?? lang, errorsOf("text"))}
${s.item.mediaType === "photo" ? "" : alignChoice(lang, s)}
<button type="submit">${t(lang, "editor.transcript.split")}</button></form></section>
<section aria-labelledby="current-heading"><h2 id="current-heading">${t(lang, "editor.transcript.current")}</h2>
${current(ctx, s, base)}</section>
${undoSection(ctx, s, base)}`,
    { crumbs, islands: stillTiming(s.timing) ? ["alignment-watch"] : [] },
  );
}
