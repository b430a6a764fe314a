import { type ErrorParams, UserError } from "../core/errors.ts";
import { formatClock } from "../media/clock.ts";
import type { Lang } from "../web/i18n.ts";
import type { TranscriptSegment } from "./types.ts";

/**
 * Transcripts arrive as WebVTT or SRT subtitles. Each cue becomes one segment; who speaks is
 * written the way subtitlers already write it:
 *
 * - a WebVTT voice tag, `<v Mark Rutte>Good morning.`, or a leading label, `MARK RUTTE: Good morning.`
 *   (a label is 1–6 words that each start with a capital, or a particle such as "de" or "van");
 * - a question from the floor names the journalist's outlet in parentheses: `<v Jane Doe (Reuters)>`
 *   or `Jane Doe (Reuters): ...`; `Q (Reuters):` or `Q:` when the journalist's name is not known.
 *   Parentheses therefore mean "outlet": write a speaker's title outside them (`Mark Rutte:`);
 * - a cue that names nobody continues the previous speaker's turn.
 */
export type TranscriptFormat = "vtt" | "srt";

/**
 * No recording is longer: a cue time beyond it is a typo or garbage, refused even before a master
 * is known. Taken, such times lost their digits past 2^53, fell out of the captions and showed as
 * raw 20-digit numbers on pages (security probe 2026-12-07, L5).
 */
const MAX_CUE_HOURS = 100;

/**
 * `durationSeconds`: the length of the item's master when it is known; a cue that starts after it
 * is refused (it could never be shown). Before a master is known only MAX_CUE_HOURS applies.
 */
export function parseTranscript(
  text: string,
  options: { format: TranscriptFormat | "auto"; lang: Lang; durationSeconds?: number | null },
): TranscriptSegment[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const format = options.format === "auto" ? detectFormat(lines) : options.format;
  const cues = format === "vtt" ? vttCues(lines) : srtCues(lines);
  if (cues.length === 0) invalid(lines.length, "no_cues");
  const duration = options.durationSeconds;
  const segments: TranscriptSegment[] = [];
  let turn: Turn = { speaker: "", isQuestion: false, questionerOutlet: "" };
  for (const cue of cues) {
    if (duration && cue.start > duration) {
      invalid(cue.line, "cue_after_end", formatClock(cue.start, 3), { length: formatClock(duration, 3) });
    }
    const { body, label } = speakerOf(cue.text);
    if (label !== null) turn = label;
    if (!body) continue;
    segments.push({
      position: segments.length,
      startSeconds: cue.start,
      endSeconds: cue.end,
      ...turn,
      lang: options.lang,
      text: body,
    });
  }
  return segments;
}

/** `line`: the 1-based number of its timing line, which errors name. */
type Cue = { start: number; end: number; text: string; line: number };
type Turn = Pick<TranscriptSegment, "speaker" | "isQuestion" | "questionerOutlet">;

function detectFormat(lines: string[]): TranscriptFormat {
  const firstLine = lines.find((line) => line.trim() !== "") ?? "";
  return firstLine.startsWith("WEBVTT") ? "vtt" : "srt";
}

/** Blocks of non-empty lines, with the 1-based number of their first line. */
function blocks(lines: string[], from: number): { line: number; lines: string[] }[] {
  const found: { line: number; lines: string[] }[] = [];
  let current: { line: number; lines: string[] } | null = null;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") {
      current = null;
      continue;
    }
    if (!current) {
      current = { line: i + 1, lines: [] };
      found.push(current);
    }
    current.lines.push(line);
  }
  return found;
}

function vttCues(lines: string[]): Cue[] {
  if (!/^WEBVTT([ \t].*)?$/.test(lines[0] ?? "")) invalid(1, "no_webvtt_header");
  const cues: Cue[] = [];
  for (const block of blocks(lines, 1)) {
    const head = block.lines[0]!;
    if (/^(NOTE|STYLE|REGION)([ \t]|$)/.test(head)) continue;
    // A cue may have an identifier line before its timing.
    const timingAt = head.includes("-->") ? 0 : 1;
    cues.push(cue(block, timingAt));
  }
  return cues;
}

function srtCues(lines: string[]): Cue[] {
  const cues: Cue[] = [];
  for (const block of blocks(lines, 0)) {
    const head = block.lines[0]!;
    if (!head.includes("-->") && !/^\d+$/.test(head.trim())) {
      invalid(block.line, "cue_number", head.trim().slice(0, 40));
    }
    cues.push(cue(block, head.includes("-->") ? 0 : 1));
  }
  return cues;
}

function cue(block: { line: number; lines: string[] }, timingAt: number): Cue {
  const lineNumber = block.line + timingAt;
  const timing = block.lines[timingAt];
  const match = timing && /^\s*(\S+)\s+-->\s+(\S+)(\s.*)?$/.exec(timing);
  if (!match) invalid(lineNumber, "cue_timing");
  const start = timestamp(match[1]!, lineNumber);
  const end = timestamp(match[2]!, lineNumber);
  if (end <= start) invalid(lineNumber, "cue_order");
  return { start, end, text: block.lines.slice(timingAt + 1).join("\n"), line: lineNumber };
}

function timestamp(text: string, line: number): number {
  const match = /^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})$/.exec(text);
  if (!match || Number(match[2]) > 59 || Number(match[3]) > 59) invalid(line, "timestamp", text);
  const seconds =
    Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]) + Number(match[4]) / 1000;
  // Any number of hour digits matches; so many that they are Infinity is over the bound too.
  if (!(seconds <= MAX_CUE_HOURS * 3600))
    invalid(line, "time_too_large", text.slice(0, 40), { hours: MAX_CUE_HOURS });
  return seconds;
}

const particles = new Set([
  "de",
  "du",
  "des",
  "la",
  "le",
  "van",
  "von",
  "der",
  "den",
  "da",
  "di",
  "del",
  "al",
  "bin",
]);

/** The cue's words without markup, and the speaker it names (null when it names none). */
function speakerOf(raw: string): { body: string; label: Turn | null } {
  const voice = /^\s*<v(?:\.[^\s>]*)?\s+([^>]+)>/.exec(raw);
  const plain = clean(raw);
  if (voice) return { body: plain, label: turnOf(clean(voice[1]!)) };
  const prefix = /^([^:]{1,80}):\s+(.*)$/s.exec(plain);
  if (prefix && isLabel(prefix[1]!)) return { body: prefix[2]!.trim(), label: turnOf(prefix[1]!.trim()) };
  return { body: plain, label: null };
}

function isLabel(label: string): boolean {
  const name = label.replace(/\([^)]*\)\s*$/, "").trim();
  const words = name.split(/\s+/).filter(Boolean);
  if (words.length === 0) return label.includes("(");
  return words.length <= 6 && words.every((w) => /^\p{Lu}/u.test(w) || particles.has(w.toLowerCase()));
}

function turnOf(label: string): Turn {
  const outlet = /^(.*?)\s*\(([^)]+)\)\s*$/.exec(label);
  const name = (outlet ? outlet[1]! : label).trim();
  const anonymous = /^(Q|Question|QUESTION)$/.test(name);
  return {
    speaker: anonymous ? "" : name,
    isQuestion: outlet !== null || anonymous,
    questionerOutlet: outlet ? outlet[2]!.trim() : "",
  };
}

/** Drops markup (voice, italics, karaoke timestamps) and entities; lines join into one sentence flow. */
function clean(text: string): string {
  return text
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;/g, " ")
    .replace(/&lrm;|&rlm;/g, "")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** What is wrong with a transcript file; each has a sentence in every language (error.transcript.*). */
export type TranscriptProblem =
  | "no_cues"
  | "no_webvtt_header"
  | "cue_number"
  | "cue_timing"
  | "cue_order"
  | "timestamp"
  | "time_too_large"
  | "cue_after_end";

function invalid(line: number, problem: TranscriptProblem, found = "", more: ErrorParams = {}): never {
  throw new UserError("transcript_invalid", { ...more, line, problem, found });
}
