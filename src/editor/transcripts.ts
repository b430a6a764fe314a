import { parseTranscript } from "../catalogue/transcript-formats.ts";
import {
  markTimedByHand,
  replaceTranscript,
  setSegmentTimes,
  transcriptOf,
  writeTranscript,
} from "../catalogue/transcript-store.ts";
import { keepForUndo, takeUndo } from "../catalogue/transcript-undo-store.ts";
import type { TranscriptSegment } from "../catalogue/types.ts";
import { UserError } from "../core/errors.ts";
import type { Database } from "../db/database.ts";
import { isAnnotation } from "../media/align/index.ts";
import { isLang, type Lang } from "../web/i18n.ts";
import { withSpokenLanguages } from "./spoken-language.ts";
import { type ItemClock, timesFromForm, typedStart } from "./transcript-timing.ts";

/** The language the segments are in; a form can only send English or French. */
export function transcriptLang(value: string, field: string): Lang {
  if (!isLang(value)) throw new UserError("invalid_input", {}, { [field]: ["field.invalid"] });
  return value;
}

/** The text of an uploaded file (a leading BOM dropped by the decoder): UTF-8, or refused with a clear error rather than garbled. */
export function uploadedText(file: unknown): string {
  if (!Buffer.isBuffer(file) || file.length === 0) {
    throw new UserError("invalid_input", {}, { file: ["editor.error.file_missing"] });
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(file);
  } catch {
    throw new UserError("invalid_input", {}, { file: ["editor.error.file_not_utf8"] });
  }
}

/**
 * Whether an uploaded file's text (`uploadedText`) is timed subtitles (WebVTT, or SRT: a timing line "-->" among its first
 * lines) rather than a plain as-delivered text. A broken subtitle file still reads as subtitles,
 * so that its problem is named by line.
 */
export function isSubtitleFile(text: string): boolean {
  const lines = text
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== "")
    .slice(0, 10);
  return (lines[0] ?? "").startsWith("WEBVTT") || lines.some((line) => /-->|\d:\d\d[:,.]\d.*->/.test(line));
}

/**
 * A WebVTT or SRT file → segments (format told by its first line), or `transcript_invalid` with
 * the line; `durationSeconds`, the item's master's length when known, refuses a cue after its end.
 */
export function readSubtitles(text: string, lang: Lang, durationSeconds: number | null): TranscriptSegment[] {
  return withSpokenLanguages(parseTranscript(text, { format: "auto", lang, durationSeconds }), lang);
}

export async function replaceWithSubtitles(
  db: Database,
  item: { id: number; durationSeconds: number | null },
  text: string,
  lang: Lang,
  now: Date,
): Promise<number> {
  const segments = readSubtitles(text, lang, item.durationSeconds);
  await replaceTranscript(db, item.id, segments, now);
  return segments.length;
}

/**
 * Puts back the transcript as it was before its last replacement; the one it replaces is kept in
 * its place, so a second "put back" returns to it; the number of sentences put back.
 * `transcript_nothing_to_restore` when none is kept.
 */
export async function restorePreviousTranscript(db: Database, itemId: number, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const previous = await takeUndo(tx, itemId);
    if (previous === null) throw new UserError("transcript_nothing_to_restore");
    await writeTranscript(tx, itemId, previous, now);
    return previous.length;
  });
}

/** The sentences whose start field the editor changed from what the page showed (a note has none). */
export function changedStarts(
  segments: TranscriptSegment[],
  typed: (position: number) => string,
  clock: ItemClock | null,
): TranscriptSegment[] {
  return segments.filter((s) => !isAnnotation(s.text) && typed(s.position).trim() !== typedStart(s, clock));
}

/**
 * Saves the start times typed or set from the player; ends follow from the next start. A sentence
 * whose start the editor changed is theirs from then on: no longer flagged for review.
 */
export async function saveTiming(
  db: Database,
  item: { id: number; durationSeconds: number | null },
  typed: (position: number) => string,
  clock: ItemClock | null,
  /** When given, the transcript as it was is kept for "put back" (a re-time: its result then keeps none, alignment.ts). */
  keepForUndoAt: Date | null = null,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (keepForUndoAt) await keepForUndo(tx, item.id, keepForUndoAt);
    const segments = await transcriptOf(tx, item.id);
    await setSegmentTimes(tx, item.id, timesFromForm(segments, typed, item.durationSeconds, clock));
    const changed = changedStarts(segments, typed, clock).map((s) => s.position);
    await markTimedByHand(tx, item.id, changed);
  });
}
