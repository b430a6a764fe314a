import type { EventOverview } from "../../catalogue/event-store.ts";
import { mediaKinds } from "../../catalogue/types.ts";
import type { PageContext } from "../../web/context.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, type MessageKey, t } from "../../web/i18n.ts";
import { formatZonedDateTime } from "../zoned-time.ts";
import { bilingualControl, input, selectControl } from "./controls.ts";
import { editorPage } from "./shared.ts";
import { eventTitle, kindLabel } from "./status.ts";

export type UploadPageState = {
  events: EventOverview[];
  /** The event chosen beforehand (?event=id), by slug: the API names events by slug. */
  eventSlug: string;
  timeZone: string;
};

export const CLI_COMMAND = "npm run cli -- ingest FILE --event SLUG";
const VIDEO_FILES = "video/*,.mxf,.mov,.mp4,.mts,.m2ts,.ts,.mkv,.avi";

// Everything the island says, in the page's language: the island itself holds no text.
const islandMessages = [
  "creating",
  "started",
  "resuming",
  "progress",
  "paused",
  "retrying",
  "offline",
  "checking",
  "done",
  "failed",
  "unreachable",
  "pause",
  "resume",
  "unfinished",
  "need_file",
  "need_event",
  "failed_item",
] as const;

function messagesJson(lang: Lang): string {
  return JSON.stringify(
    Object.fromEntries(
      islandMessages.map((name) => [name, t(lang, `editor.upload.msg.${name}` as MessageKey)]),
    ),
  );
}

/** What the page says when the island did not run: uploading gigabytes needs it, the CLI does not. */
function withoutScript(lang: Lang): Html {
  return html`<section aria-labelledby="cli-heading">
<h2 id="cli-heading">${t(lang, "editor.upload.cli_title")}</h2>
<p data-needs-script>${t(lang, "editor.upload.needs_js")}</p>
<p>${t(lang, "editor.upload.cli_intro")}</p>
<pre><code>${CLI_COMMAND}</code></pre>
<p>${t(lang, "editor.upload.cli_hint")}</p>
</section>`;
}

function uploadForm(ctx: PageContext, s: UploadPageState): Html {
  const { lang } = ctx;
  const eventOptions = s.events.map((ev) => ({
    value: ev.slug,
    label: `${formatZonedDateTime(ev.startsAt, s.timeZone).slice(0, 10)} — ${eventTitle(lang, ev)} (${ev.slug})`,
  }));
  // Hidden until the island runs: without it this form could not send anything.
  return html`<form data-master-upload hidden novalidate
 data-items="/api/v1/items" data-endpoint="/api/v1/uploads" data-lang="${lang}"
 data-item-page="/${lang}/editor/items/{id}" data-messages="${messagesJson(lang)}">
<div class="error-summary" role="alert" tabindex="-1" data-upload-errors hidden>
<h2>${t(lang, "form.problem")}</h2><ul></ul></div>
<fieldset data-upload-fields><legend>${t(lang, "editor.upload.item")}</legend>
<div class="pair">
${selectControl(lang, { name: "event", label: t(lang, "editor.field.event"), value: s.eventSlug, empty: t(lang, "form.choose"), options: eventOptions, required: true }, {})}
${selectControl(lang, { name: "kind", label: t(lang, "editor.field.kind"), value: "", empty: t(lang, "form.choose"), hint: t(lang, "editor.upload.kind_hint"), options: mediaKinds.filter((k) => k !== "photo-opportunity").map((k) => ({ value: k, label: kindLabel(lang, k) })) }, {})}
</div>
${bilingualControl(lang, { name: "title", label: "editor.field.title", values: {}, hint: t(lang, "editor.hint.one_language") }, {})}
${input(lang, { name: "file", label: t(lang, "editor.upload.file"), type: "file", accept: VIDEO_FILES, value: "", hint: t(lang, "editor.upload.file_hint"), required: true }, {})}
</fieldset>
${uploadProgress(lang, "editor.upload.start", html`<p><a href="/${lang}/editor/upload">${t(lang, "editor.upload.another")}</a></p>`)}
</form>`;
}

/** The island's moving parts after the fields: the button, progress, what it says, and the end. */
function uploadProgress(lang: Lang, start: MessageKey, after: Html | string): Html {
  return html`<p data-upload-unfinished hidden></p>
<p data-upload-submit><button type="submit">${t(lang, start)}</button></p>
<div data-upload-progress hidden>
<label for="upload-progress">${t(lang, "editor.upload.progress_label")}</label>
<progress id="upload-progress" max="100" value="0"></progress>
<p data-upload-bytes></p>
<p class="actions"><button type="button" class="secondary" data-upload-pause>${t(lang, "editor.upload.msg.pause")}</button></p>
</div>
<div role="status" aria-live="polite" data-upload-status></div>
<div class="notice" tabindex="-1" data-upload-done hidden><p data-upload-done-text></p>
<p><a data-upload-item href="/${lang}/editor">${t(lang, "editor.upload.open_item")}</a></p>${after}</div>`;
}

/**
 * The master of an item that has none yet, or whose master failed (refused, or not processed):
 * sent with tus like a new item's, to this item. Hidden until the island runs; without it the
 * page says that it needs JavaScript.
 */
export function itemUploadForm(ctx: PageContext, item: { id: number; mediaType: string }): Html {
  const { lang } = ctx;
  const accept =
    item.mediaType === "photo" ? "image/jpeg,image/tiff,image/png,.jpg,.jpeg,.tif,.tiff,.png" : VIDEO_FILES;
  return html`<form data-master-upload data-item-id="${item.id}" hidden novalidate
 data-endpoint="/api/v1/uploads" data-lang="${lang}"
 data-item-page="/${lang}/editor/items/{id}" data-messages="${messagesJson(lang)}">
<div class="error-summary" role="alert" tabindex="-1" data-upload-errors hidden>
<h2>${t(lang, "form.problem")}</h2><ul></ul></div>
<fieldset data-upload-fields><legend>${t(lang, "editor.upload.for_item")}</legend>
${input(lang, { name: "file", label: t(lang, "editor.upload.file"), type: "file", accept, value: "", hint: t(lang, "editor.upload.file_hint"), required: true }, {})}
</fieldset>
${uploadProgress(lang, "editor.upload.start_item", "")}
</form>
<p data-needs-script>${t(lang, "editor.upload.needs_js")}</p>`;
}

export function uploadPage(ctx: PageContext, s: UploadPageState): string {
  const { lang } = ctx;
  const title = t(lang, "editor.upload.title");
  const body = s.events.length
    ? html`${uploadForm(ctx, s)}`
    : html`<p>${t(lang, "editor.upload.no_events")} <a href="/${lang}/editor/events/new">${t(lang, "editor.event.new")}</a></p>`;
  return editorPage(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t(lang, "editor.upload.intro")}</p>
${body}
${withoutScript(lang)}`,
    { islands: ["master-upload"] },
  );
}
