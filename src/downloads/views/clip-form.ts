import { timecodeAtFrame } from "../../media/timecode.ts";
import type { PageContext } from "../../web/context.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { islandScripts } from "../../web/islands.ts";
import {
  checkDownloadForm,
  type DownloadForm,
  type FieldProblems,
  readDownloadForm,
} from "../download-form.ts";
import {
  clipDuration,
  type EstimateSource,
  estimateBytes,
  estimateSourceOf,
  formatBytes,
} from "../estimate.ts";
import type { DownloadSource } from "../item-source.ts";
import { audioChoices, audioLabel, formatLabel, formatsFor } from "../labels.ts";

/**
 * The download form of a video or sound item. A plain GET form: without JavaScript the user
 * types IN/OUT and submits; the clip-selector island (client/clip-selector.ts) fills the same
 * fields from the player, the keyboard and the transcript, and keeps the size estimate live.
 */
export function clipFormHtml(
  ctx: PageContext,
  source: DownloadSource,
  query: unknown,
  options: { now: Date; editor: boolean; timedSentences: boolean },
): Html {
  const { lang } = ctx;
  const estimate = estimateSourceOf(source);
  if (!estimate) return html`<p>${t(lang, "downloads.processing")}</p>`;
  const rate = estimate.rate;
  const startTimecode = source.master?.probe?.startTimecode ?? null;
  const tc = (frame: number) => timecodeAtFrame(startTimecode, frame, rate);
  const first = tc(0);
  const end = tc(estimate.frameCount);
  const submitted = readDownloadForm(query);
  const form: DownloadForm = submitted ?? {
    range: "full",
    in: first,
    out: end,
    format: "original",
    audio: "all",
  };
  const check = submitted ? checkDownloadForm(lang, source, submitted, options) : null;
  const problems: FieldProblems = check && !check.ok ? check.fields : {};
  const audioChoicesList = audioChoices(source);
  const tracksByLabel = Object.fromEntries(
    audioChoicesList.map((label) => [
      label,
      (source.master?.audioLabels ?? []).filter((l) => l.label === label).map((l) => l.index),
    ]),
  );
  const whole = source.mediaType === "audio" ? "downloads.range.full_audio" : "downloads.range.full";
  const id = source.itemId;
  return html`<form method="get" action="/${lang}/items/${id}/download" class="download-form" novalidate
 data-clip-selector data-rate-num="${rate.num}" data-rate-den="${rate.den}" data-start-timecode="${startTimecode ?? ""}"
 data-frame-count="${estimate.frameCount}" data-estimate="${JSON.stringify(estimate)}"
 data-audio-tracks="${JSON.stringify(tracksByLabel)}" data-messages="${JSON.stringify(messages(lang))}">
${check && !check.ok ? summaryHtml(lang, check.message, problems) : ""}
<fieldset class="download-range">
<legend>${t(lang, "downloads.range.legend")}</legend>
${radio("range-full", "full", form.range === "full", t(lang, whole, { duration: durationLabel(lang, estimate.frameCount, rate) }))}
${radio("range-partial", "partial", form.range === "partial", t(lang, "downloads.range.partial"))}
</fieldset>
<fieldset class="clip" data-clip>
<legend>${t(lang, "downloads.clip.legend")}</legend>
<p class="hint" id="clip-hint">${t(lang, "downloads.clip.hint", { first, end })}</p>
${pointField(lang, "in", form.in, problems.in ?? [])}
${pointField(lang, "out", form.out, problems.out ?? [])}
<div class="clip-tools" data-js-only hidden>
<div class="clip-timeline" data-timeline aria-hidden="true"><div class="clip-timeline-range" data-timeline-range></div><div class="clip-timeline-head" data-timeline-head></div></div>
<p class="clip-summary" data-clip-summary></p>
<p class="hint">${t(lang, "downloads.keys")}</p>
${
  options.timedSentences
    ? html`<p><button type="button" class="secondary" data-pick-sentences aria-pressed="false">${t(lang, "downloads.sentences.toggle")}</button></p>
<p class="hint" data-pick-help hidden>${t(lang, "downloads.sentences.help")}</p>`
    : ""
}
</div>
<p class="visually-hidden" role="status" data-clip-status></p>
</fieldset>
${formatChoices(
  t(lang, "downloads.format"),
  form.format,
  formatsFor(source).map((f) => ({ value: f, label: formatLabel(lang, f, source) })),
)}
${
  audioChoicesList.length
    ? selectHtml(
        "audio",
        t(lang, "downloads.audio"),
        form.audio,
        ["all", ...audioChoicesList].map((a) => ({ value: a, label: audioLabel(lang, a) })),
      )
    : ""
}
<p class="estimate" data-estimate-text aria-live="polite">${estimateText(lang, estimate, form, check)}</p>
<p class="hint" data-estimate-hint>${t(lang, "downloads.estimate_hint")}</p>
<p class="actions"><button type="submit">${t(lang, "downloads.submit")}</button>
<button type="submit" class="secondary" name="estimate" value="1" data-no-js>${t(lang, "downloads.check")}</button></p>
${
  options.timedSentences
    ? html`<p class="subtitles">${t(lang, "downloads.subtitles.intro")}
<button type="submit" class="secondary" name="subtitles" value="srt">${t(lang, "downloads.subtitles.srt")}</button>
<button type="submit" class="secondary" name="subtitles" value="vtt">${t(lang, "downloads.subtitles.vtt")}</button></p>`
    : ""
}
</form>
${islandScripts("clip-selector")}`;
}

/** "0:04.00": a clip's length, written as every length is. */
export function durationLabel(lang: Lang, frames: number, rate: { num: number; den: number }): string {
  return clipDuration(frames, rate, lang);
}

function estimateText(
  lang: Lang,
  source: EstimateSource,
  form: DownloadForm,
  check: ReturnType<typeof checkDownloadForm> | null,
): string {
  if (check && !check.ok) return "";
  const plan = check?.plan;
  let frames = source.frameCount;
  let bytes = source.masterBytes;
  let exact = true;
  if (plan?.kind === "cut") {
    frames = plan.outFrame - plan.inFrame;
    exact = false;
    bytes = estimateBytes(source, {
      format: plan.format,
      inFrame: plan.inFrame,
      outFrame: plan.outFrame,
      audioTracks: plan.audioTracks,
      whole: false,
    });
  } else if (form.format !== "original") {
    exact = false;
  }
  return t(lang, exact ? "downloads.estimate_exact" : "downloads.estimate", {
    size: formatBytes(bytes, lang),
    duration: durationLabel(lang, frames, source.rate),
  });
}

function radio(id: string, value: string, checked: boolean, label: string): Html {
  return html`<div class="radio"><input type="radio" id="${id}" name="range" value="${value}"${checked ? " checked" : ""}>
<label for="${id}">${label}</label></div>`;
}

function pointField(lang: Lang, name: "in" | "out", value: string, problems: string[]): Html {
  const describedBy = ["clip-hint", problems.length ? `${name}-error` : ""].filter(Boolean).join(" ");
  const upper = name === "in" ? "IN" : "OUT";
  return html`<div class="field clip-point${problems.length ? " invalid" : ""}" data-point="${name}">
<label for="${name}">${t(lang, name === "in" ? "downloads.in" : "downloads.out")}</label>
${problems.length ? html`<ul class="error" id="${name}-error">${problems.map((p) => html`<li>${p}</li>`)}</ul>` : ""}
<p class="error" id="${name}-live-error" data-live-error hidden></p>
<input id="${name}" name="${name}" type="text" value="${value}" autocomplete="off" spellcheck="false" class="timecode-input" aria-describedby="${describedBy}"${problems.length ? html` aria-invalid="true"` : ""}>
<span class="point-buttons" data-js-only hidden>
<button type="button" class="secondary" data-set="${name}" aria-keyshortcuts="${name === "in" ? "I" : "O"}">${t(lang, name === "in" ? "downloads.set_in" : "downloads.set_out")}</button>
<button type="button" class="secondary" data-nudge="${name}" data-by="-1"><span class="visually-hidden">${upper} </span>${t(lang, "downloads.frame_back")}</button>
<button type="button" class="secondary" data-nudge="${name}" data-by="1"><span class="visually-hidden">${upper} </span>${t(lang, "downloads.frame_forward")}</button>
</span>
</div>`;
}

/** Radio buttons, not a menu: a phone's menu cuts long names ("MXF XDCAM HD422 50 Mbit/s, PCM audio"). */
function formatChoices(legend: string, value: string, options: { value: string; label: string }[]): Html {
  return html`<fieldset class="download-format">
<legend>${legend}</legend>
${options.map(
  (
    o,
  ) => html`<div class="radio"><input type="radio" id="format-${o.value}" name="format" value="${o.value}"${o.value === value ? " checked" : ""}>
<label for="format-${o.value}">${o.label}</label></div>`,
)}
</fieldset>`;
}

function selectHtml(
  name: string,
  label: string,
  value: string,
  options: { value: string; label: string }[],
): Html {
  return html`<div class="field">
<label for="${name}">${label}</label>
<select id="${name}" name="${name}">
${options.map((o) => html`<option value="${o.value}"${o.value === value ? " selected" : ""}>${o.label}</option>`)}
</select>
</div>`;
}

function summaryHtml(lang: Lang, message: string, problems: FieldProblems): Html {
  const linked = (Object.keys(problems) as (keyof FieldProblems)[]).filter((k) => problems[k]?.length);
  return html`<div class="error-summary" role="alert" tabindex="-1" autofocus>
<h3>${t(lang, "form.problem")}</h3>
${linked.length ? html`<ul>${linked.map((k) => html`<li><a href="#${k}">${problems[k]![0]}</a></li>`)}</ul>` : html`<p>${message}</p>`}
</div>`;
}

/** The island's texts, in the page's language: the browser has no catalogue of its own. */
function messages(lang: Lang): Record<string, string> {
  return {
    invalidTimecode: t(lang, "error.invalid_timecode"),
    tooFar: t(lang, "error.clip_point_too_far"),
    outOfRange: t(lang, "error.timecode_out_of_range"),
    outBeforeIn: t(lang, "error.out_before_in"),
    inSet: t(lang, "downloads.live.in_set"),
    outSet: t(lang, "downloads.live.out_set"),
    inSnapped: t(lang, "downloads.live.in_snapped"),
    outSnapped: t(lang, "downloads.live.out_snapped"),
    fromSentences: t(lang, "downloads.live.from_sentences"),
    pickOn: t(lang, "downloads.live.pick_on"),
    summary: t(lang, "downloads.summary"),
    estimate: t(lang, "downloads.estimate"),
    estimateExact: t(lang, "downloads.estimate_exact"),
    pick: t(lang, "downloads.sentences.pick"),
    pickDone: t(lang, "downloads.sentences.done"),
  };
}
