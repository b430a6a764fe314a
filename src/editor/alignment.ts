import {
  type Alignment,
  type Anchor,
  alignJobId,
  alignmentOf,
  finishAlignment,
  requestAlignment,
  setAlignmentProgress,
} from "../catalogue/alignment-store.ts";
import { itemById } from "../catalogue/item-store.ts";
import { findMaster } from "../catalogue/media-store.ts";
import { parseTranscript, type TranscriptFormat } from "../catalogue/transcript-formats.ts";
import { transcriptOf, writeTranscript } from "../catalogue/transcript-store.ts";
import { type Master, spokenLanguage, type TranscriptSegment } from "../catalogue/types.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import type { Queryable } from "../db/database.ts";
import type { JobRun } from "../db/jobs.ts";
import {
  ALIGN_ERROR_CODES,
  type AlignResult,
  alignInChild,
  isAnnotation,
  MAX_ALIGN_TEXT_CHARS,
} from "../media/align/index.ts";
import { MediaError } from "../media/errors.ts";
import type { Lang } from "../web/i18n.ts";
import { otherLanguageOfText, spokenLanguages, withSpokenLanguages } from "./spoken-language.ts";
import { splitSentences, splitTurns } from "./transcript-text.ts";

/**
 * Transcripts timed automatically (issue 11): an editor gives the as-delivered text, the
 * "transcript.align" job times it against the item's audio (media/align, in a child process) and
 * replaces that language's sentences in one transaction. Until then the transcript in use stays as
 * it was; a failure keeps it too and says why. docs/ALIGNMENT.md has the method.
 */

function parseJobId(id: string): { itemId: number; lang: Lang } | null {
  const match = /^(\d+)-(en|fr)$/.exec(id);
  return match ? { itemId: Number(match[1]), lang: match[2] as Lang } : null;
}

/** An item that can have a transcript: a video or an audio recording. */
async function transcribable(deps: Pick<FeatureDeps, "db" | "now">, itemId: number) {
  const item = await itemById(deps.db, deps.now(), itemId);
  if (!item) throw new UserError("item_not_found");
  if (item.mediaType === "photo") throw new UserError("align_needs_audio");
  return item;
}

function checkedText(text: string, lang: Lang): { text: string; sentences: TranscriptSegment[] } {
  const normalised = text.replace(/\r\n?/g, "\n");
  if (normalised.length > MAX_ALIGN_TEXT_CHARS) {
    throw new UserError("align_text_too_long", { chars: normalised.length, max: MAX_ALIGN_TEXT_CHARS });
  }
  const sentences = splitTurns(normalised, lang);
  if (sentences.length === 0) throw new UserError("invalid_input", {}, { text: ["editor.error.text_empty"] });
  const other = otherLanguageOfText(sentences, lang);
  if (other) throw new UserError("invalid_input", {}, { lang: [`editor.error.text_reads_${other}`] });
  return { text: normalised, sentences };
}

/**
 * Replaces one language's sentences with these (untimed, or timed by hand later), keeping the
 * other language's; the number of sentences stored.
 */
export async function replaceLanguage(
  deps: Pick<FeatureDeps, "db" | "now">,
  itemId: number,
  lang: Lang,
  text: string,
): Promise<number> {
  await transcribable(deps, itemId);
  const { sentences } = checkedText(text, lang);
  await storeLanguage(deps, itemId, lang, withSpokenLanguages(sentences, lang));
  return sentences.length;
}

/**
 * Replaces one language's sentences with a timed file's (WebVTT or SRT, read by the parser the
 * workspace's upload uses), keeping the other language's; the number of sentences stored.
 */
export async function replaceLanguageWithSubtitles(
  deps: Pick<FeatureDeps, "db" | "now">,
  itemId: number,
  lang: Lang,
  text: string,
  format: TranscriptFormat,
): Promise<number> {
  // Cues are checked against the master's length when it is known (a cue after the end is refused).
  const { durationSeconds } = await transcribable(deps, itemId);
  const sentences = withSpokenLanguages(parseTranscript(text, { format, lang, durationSeconds }), lang);
  await storeLanguage(deps, itemId, lang, sentences);
  return sentences.length;
}

async function storeLanguage(
  deps: Pick<FeatureDeps, "db" | "now">,
  itemId: number,
  lang: Lang,
  sentences: TranscriptSegment[],
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const others = await othersBeside(tx, itemId, lang, sentences);
    await writeTranscript(tx, itemId, merged(others, sentences), deps.now());
  });
}

/**
 * The other language's sentences that stay beside a language's new ones. A text in both languages
 * (a bilingual event's speech, given under one) holds the other language's sentences itself: those
 * the other transcript also holds are left out of it, or they would show twice on the item's page
 * and in its subtitles. Its other sentences stay. Sentences match when they are said in the same
 * language with the same letters and digits: a short line both transcripts have in their own
 * language ("OK.", a name) is each one's, and stays.
 */
async function othersBeside(
  db: Queryable,
  itemId: number,
  lang: Lang,
  sentences: TranscriptSegment[],
): Promise<TranscriptSegment[]> {
  const held = new Set(sentences.map(saying));
  return (await transcriptOf(db, itemId)).filter((s) => s.lang !== lang && !held.has(saying(s)));
}

function saying(s: TranscriptSegment): string {
  const words = s.text
    .normalize("NFKC")
    .toLocaleLowerCase("fr")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  return `${spokenLanguage(s)} ${words}`;
}

/** Checks the text, records the request and queues the job; the answer comes at once (202). */
export async function startAlignment(
  deps: Pick<FeatureDeps, "db" | "jobs" | "now">,
  input: { itemId: number; lang: Lang; text: string; anchors?: Anchor[] },
): Promise<Alignment> {
  await transcribable(deps, input.itemId);
  const { text } = checkedText(input.text, input.lang);
  // Known now, not only when the job runs: the editor is told on the form, the text still in it.
  const master = await findMaster(deps.db, input.itemId);
  if (master && master.audio.length === 0) throw new UserError("align_no_sound");
  const alignment = await requestAlignment(deps.db, {
    ...input,
    text,
    anchors: input.anchors ?? [],
    now: deps.now(),
  });
  await deps.jobs.enqueue("transcript.align", alignJobId(input.itemId, input.lang));
  return alignment;
}

/** The job: times the latest text asked for, as long as newer requests keep arriving. */
export function transcriptAlignJob(deps: FeatureDeps) {
  return async (id: string, run: JobRun): Promise<void> => {
    const key = parseJobId(id);
    if (!key) return;
    // A request made while this one ran is a newer revision: run again for it.
    for (;;) {
      const request = await alignmentOf(deps.db, key.itemId, key.lang);
      if (request?.state !== "aligning") return;
      const master = await findMaster(deps.db, key.itemId);
      // No master yet (its upload is on its way): ingest queues this job again when it arrives.
      if (!master) return;
      if (master.audio.length === 0) {
        const noAudio = { state: "failed", code: "NoAudio", params: { tracks: 0 } } as const;
        await finishAlignment(deps.db, request, noAudio, deps.now());
        return;
      }
      const stored = await alignOnce(deps, request, master, run);
      if (stored) return;
    }
  };
}

/** One run for one revision; false when a newer request replaced it meanwhile. */
async function alignOnce(
  deps: FeatureDeps,
  request: Alignment,
  master: Master,
  run: JobRun,
): Promise<boolean> {
  const turns = splitTurns(request.text, request.lang);
  // A bilingual speech's sentences are each said in their own voice; they are stored under the
  // language the editor gave the text (its captions, its timing state), with the one they are said in.
  const voices = spokenLanguages(turns, request.lang);
  const sentences = splitSentences(turns, request.lang).map((s, i) => ({ ...s, spokenLang: voices[i] }));
  let lastProgress = 0;
  let result: AlignResult;
  try {
    const audioPath = await deps.storage.localPath(master.storageKey, deps.config.mastersCacheDir);
    result = await alignInChild({
      audioPath,
      audioStream: audioTrackFor(master, request.lang),
      lang: request.lang,
      sentences: sentences.map((s) => ({ text: s.text, speaker: s.speaker, lang: s.spokenLang })),
      anchors: request.anchors,
      signal: run.signal,
      priority: "background",
      tools: deps.config.ffmpeg,
      onProgress: (fraction) => {
        const percent = Math.floor(fraction * 100);
        if (percent < lastProgress + 5) return;
        lastProgress = percent;
        void setAlignmentProgress(deps.db, request, percent).catch(() => undefined);
      },
    });
  } catch (error) {
    if (error instanceof MediaError && (ALIGN_ERROR_CODES as readonly string[]).includes(error.code)) {
      deps.log.info({ itemId: request.itemId, lang: request.lang, code: error.code }, "Transcript not timed");
      return finishAlignment(
        deps.db,
        request,
        { state: "failed", code: error.code, params: error.params ?? {} },
        deps.now(),
      );
    }
    // An abort (this process lost the job) or the operator's problem: the queue runs it again.
    throw error;
  }
  return deps.db.transaction(async (tx) => {
    if (!(await finishAlignment(tx, request, { state: "aligned" }, deps.now()))) return false;
    const timed = timedSegments(sentences, result, request.anchors);
    const others = await othersBeside(tx, request.itemId, request.lang, timed);
    // A re-time (the only request with anchors: retime.ts) kept the transcript for "put back" as it
    // saved the editor's corrected starts: that one stays the one to put back, not the half-way
    // state of corrected starts on the old times (found by hand).
    await writeTranscript(tx, request.itemId, merged(others, timed), deps.now(), {
      keepForUndo: request.anchors.length === 0,
    });
    deps.log.info(
      { itemId: request.itemId, lang: request.lang, sentences: sentences.length },
      "Transcript timed",
    );
    return true;
  });
}

/**
 * The text's sentences with the aligner's times, words and review flags. A sentence the editor anchored keeps the start
 * they gave and is theirs, as a start typed on the timing page is (transcripts.ts saveTiming): a
 * later re-time keeps it (retime.ts).
 */
function timedSegments(
  sentences: TranscriptSegment[],
  result: AlignResult,
  anchors: { sentence: number }[],
): TranscriptSegment[] {
  const anchored = new Set(anchors.map((a) => a.sentence));
  return sentences.map((segment, i) => {
    // A note to the reader ("(As delivered)") was never to be heard: not a sentence to check.
    if (isAnnotation(segment.text))
      return {
        ...segment,
        startSeconds: null,
        endSeconds: null,
        words: null,
        timing: null,
        confidence: null,
      };
    const aligned = result.sentences[i];
    const byHand = anchored.has(i);
    return {
      ...segment,
      startSeconds: aligned?.start ?? null,
      endSeconds: aligned?.end ?? null,
      words: aligned && aligned.words.length > 0 && !byHand ? aligned.words : null,
      timing: byHand ? null : (aligned?.status ?? "unspoken"),
      confidence: aligned && !byHand ? Math.round(aligned.confidence * 1000) / 1000 : null,
    };
  });
}

/**
 * The other language's sentences and the new ones in one order, by time: a sentence without a time
 * (unspoken, or never timed) keeps the place after the one before it in its own language.
 */
function merged(others: TranscriptSegment[], timed: TranscriptSegment[]): TranscriptSegment[] {
  const keyed = (list: TranscriptSegment[], side: number) => {
    // A language without any time (a translation pasted untimed, or a text to time by hand) goes
    // after the timed one, whole, not inside its first second (found by hand: the French text read
    // inside the English speech, after "Good morning").
    let last = list.some((s) => s.startSeconds !== null) ? 0 : Number.POSITIVE_INFINITY;
    return list.map((s, i) => {
      last = s.startSeconds ?? last;
      return { s, key: last, side, i };
    });
  };
  return [...keyed(others, 0), ...keyed(timed, 1)]
    .sort((a, b) => (a.key === b.key ? 0 : a.key - b.key) || a.side - b.side || a.i - b.i)
    .map(({ s }, position) => ({ ...s, position }));
}

/** The track an editor labelled with the language, else the floor, else the first. */
function audioTrackFor(master: Master, lang: Lang): number {
  const labelled = (label: string) => master.audioLabels.find((l) => l.label === label)?.index;
  const index = labelled(lang) ?? labelled("floor") ?? 0;
  return index < master.audio.length ? index : 0;
}
