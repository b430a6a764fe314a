import { UserError } from "../core/errors.ts";
import { type ClipRangeContext, parseClipPoint } from "../media/clip-range.ts";
import { MediaError } from "../media/errors.ts";
import { timecodeAtFrame } from "../media/timecode.ts";
import { errorMessage } from "../web/error-handler.ts";
import type { Lang } from "../web/i18n.ts";
import type { DownloadSource } from "./item-source.ts";
import { type DownloadPlan, planDownload } from "./plan.ts";

/**
 * The download panel's form as the browser sends it (GET, so it works without JavaScript and
 * the values survive a round trip through the item page), checked with the API's own planDownload.
 */
export type DownloadForm = {
  range: "full" | "partial";
  in: string;
  out: string;
  format: string;
  audio: string;
};

export type FieldProblems = { in?: string[]; out?: string[] };

export type FormCheck =
  | { ok: true; plan: DownloadPlan; query: Record<string, string> }
  | { ok: false; message: string; fields: FieldProblems };

function text(query: unknown, name: string): string {
  if (typeof query !== "object" || query === null) return "";
  const value = (query as Record<string, unknown>)[name];
  return typeof value === "string" ? value.trim().slice(0, 100) : "";
}

/**
 * The form's values in a query string, or null when the query holds no download form. A link
 * written by hand without `range`, or with a value the form never sends, still keeps its format
 * and points: a clip when it names IN or OUT, else the whole video.
 */
export function readDownloadForm(query: unknown): DownloadForm | null {
  const given = text(query, "range");
  const named = (name: string) => text(query, name) !== "";
  if (given !== "full" && given !== "partial" && !["in", "out", "format", "audio"].some(named)) return null;
  const range =
    given === "full" || given === "partial" ? given : named("in") || named("out") ? "partial" : "full";
  return {
    range,
    in: text(query, "in"),
    out: text(query, "out"),
    format: text(query, "format") || "original",
    audio: text(query, "audio") || "all",
  };
}

/** The form as item-page query parameters, to show it again with what the user typed. */
export function formQuery(form: DownloadForm): string {
  return new URLSearchParams({
    range: form.range,
    in: form.in,
    out: form.out,
    format: form.format,
    audio: form.audio,
  }).toString();
}

export function clipContext(source: DownloadSource): ClipRangeContext | null {
  const probe = source.master?.probe;
  const rate = probe?.video?.frameRate;
  if (!probe || !rate) return null;
  const frameCount = probe.frameCount ?? Math.round(((probe.durationSeconds ?? 0) * rate.num) / rate.den);
  return { rate, startTimecode: probe.startTimecode ?? null, frameCount };
}

/**
 * Checks the form as the API will, and gives the API's query with IN/OUT rewritten as the
 * master's timecodes (so "12.5" and "10:00:12:12" share one cached clip and one file name).
 */
export function checkDownloadForm(
  lang: Lang,
  source: DownloadSource,
  form: DownloadForm,
  options: { now: Date; editor: boolean },
): FormCheck {
  const partial = form.range === "partial";
  const request = {
    format: form.format,
    audio: form.audio,
    ...(partial ? { in: form.in, out: form.out } : {}),
  };
  let plan: DownloadPlan;
  try {
    plan = planDownload(source, request, options);
  } catch (error) {
    return failure(lang, source, form, error);
  }
  const query: Record<string, string> = { format: form.format };
  if (partial && plan.kind === "cut") {
    const tc = (frame: number) => timecodeAtFrame(plan.info.startTimecode, frame, plan.info.video.frameRate);
    query.in = tc(plan.inFrame);
    query.out = tc(plan.outFrame);
  }
  if (form.audio !== "all") query.audio = form.audio;
  return { ok: true, plan, query };
}

function failure(lang: Lang, source: DownloadSource, form: DownloadForm, error: unknown): FormCheck {
  if (error instanceof UserError) {
    const fields: FieldProblems = {};
    const message = errorMessage(lang, error.code, error.params);
    // A point that is no time, or too far, is named by planDownload (pointFrame).
    for (const field of ["in", "out"] as const) if (error.fields[field]) fields[field] = [message];
    if (error.code === "out_before_in") fields.out = [message];
    return { ok: false, message, fields };
  }
  if (!(error instanceof MediaError)) throw error;
  const params = error.params ?? {};
  if (error.code === "TimecodeOutOfRange") {
    const message = errorMessage(lang, "timecode_out_of_range", params);
    return { ok: false, message, fields: outOfRangeFields(source, form, message) };
  }
  throw error;
}

/** Which of IN and OUT lies outside the video, so the error sits beside the right field. */
function outOfRangeFields(source: DownloadSource, form: DownloadForm, message: string): FieldProblems {
  const context = clipContext(source);
  if (!context) return {};
  const frame = (value: string) => {
    try {
      return value ? parseClipPoint(value, context) : null;
    } catch {
      return null;
    }
  };
  const inFrame = frame(form.in);
  const outFrame = frame(form.out);
  const fields: FieldProblems = {};
  if (inFrame !== null && (inFrame < 0 || inFrame >= context.frameCount)) fields.in = [message];
  if (outFrame !== null && (outFrame <= 0 || outFrame > context.frameCount)) fields.out = [message];
  return fields;
}
