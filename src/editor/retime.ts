import type { Anchor } from "../catalogue/alignment-store.ts";
import { transcriptOf } from "../catalogue/transcript-store.ts";
import type { TranscriptSegment } from "../catalogue/types.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { addProblem, type FieldProblems, throwIfProblems } from "../web/form.ts";
import type { Lang } from "../web/i18n.ts";
import { startAlignment } from "./alignment.ts";
import { splitSentences, splitTurns } from "./transcript-text.ts";
import { type ItemClock, timesFromForm } from "./transcript-timing.ts";
import { changedStarts, saveTiming, transcriptLang } from "./transcripts.ts";

/**
 * "Re-time the rest around the times I fixed" (issue 11): the editor corrected a few starts on the
 * timing page; those become anchors and the language's text is timed again around them. The text
 * is rebuilt from the stored sentences, as the plain-text format (transcript-text.ts) reads it.
 */

/** Who speaks, as a plain-text label names them (catalogue/transcript-formats.ts); "" for nobody. */
function labelOf(s: TranscriptSegment): string {
  if (!s.isQuestion) return s.speaker;
  return s.questionerOutlet ? `${s.speaker || "Q"} (${s.questionerOutlet})` : s.speaker || "Q";
}

const sameTurn = (a: TranscriptSegment, b: TranscriptSegment) =>
  a.speaker === b.speaker && a.isQuestion === b.isQuestion && a.questionerOutlet === b.questionerOutlet;

const readsBack = (a: TranscriptSegment, b: TranscriptSegment | undefined) =>
  b !== undefined && a.text === b.text && sameTurn(a, b);

/**
 * One language's sentences as plain text, one paragraph each, the speaker named where the turn
 * changes, and where a sentence would otherwise read as a label itself ("Note: …"). With it, the
 * index in the aligner's sentence list (splitSentences) of each stored sentence, for anchors.
 * Null when the plain-text format cannot say who speaks (a name it would not read as a label).
 */
export function plainTextOf(
  segments: TranscriptSegment[],
  lang: Lang,
): { text: string; firstSentence: number[] } | null {
  const named = new Set<number>();
  for (let attempt = 0; attempt < 2; attempt++) {
    const paragraphs = segments.map((s, i) => {
      const label = labelOf(s);
      const previous = segments[i - 1];
      const name = label !== "" && (!previous || !sameTurn(previous, s) || named.has(i));
      return name ? `${label}: ${s.text}` : s.text;
    });
    const text = paragraphs.join("\n\n");
    const turns = splitTurns(text, lang);
    const wrong = segments.flatMap((s, i) => (readsBack(s, turns[i]) ? [] : [i]));
    if (wrong.length === 0 && turns.length === segments.length) {
      let next = 0;
      const firstSentence = turns.map((turn) => {
        const at = next;
        next += splitSentences([turn], lang).length;
        return at;
      });
      return { text, firstSentence };
    }
    for (const i of wrong) named.add(i);
  }
  return null;
}

/**
 * The sentences whose start the editor changed, as anchors; each later one must start later,
 * else the field says so.
 */
export function anchorsOf(
  segments: TranscriptSegment[],
  changed: Set<number>,
  starts: Map<number, number | null>,
  firstSentence: number[],
): Anchor[] {
  const problems: FieldProblems = {};
  const anchors: Anchor[] = [];
  segments.forEach((s, i) => {
    const startSeconds = starts.get(s.position);
    if (!changed.has(s.position) || startSeconds === null || startSeconds === undefined) return;
    const previous = anchors[anchors.length - 1];
    if (previous && startSeconds <= previous.startSeconds) {
      addProblem(problems, `start_${s.position}`, "editor.error.anchor_order");
      return;
    }
    anchors.push({ sentence: firstSentence[i] ?? 0, startSeconds });
  });
  throwIfProblems(problems);
  return anchors;
}

/**
 * Saves the times as typed (as "Save the times" does), then has the language's text timed again
 * around the starts changed in this form. `langValue`: the language chosen, when the transcript
 * holds two.
 */
export async function retimeAround(
  deps: Pick<FeatureDeps, "db" | "jobs" | "now">,
  item: { id: number; durationSeconds: number | null },
  form: { typed: (position: number) => string; lang: string },
  clock: ItemClock | null,
): Promise<Lang> {
  const segments = await transcriptOf(deps.db, item.id);
  const languages = [...new Set(segments.map((s) => s.lang))];
  const lang = languages.length === 1 ? languages[0]! : transcriptLang(form.lang, "retime_lang");
  const mine = segments.filter((s) => s.lang === lang);
  if (mine.length === 0)
    throw new UserError("invalid_input", {}, { retime_lang: ["editor.error.retime_none"] });
  // Every typed time is checked first, as saving does, so nothing is stored when one is wrong.
  const times = timesFromForm(segments, form.typed, item.durationSeconds, clock);
  const plain = plainTextOf(mine, lang);
  if (!plain) throw new UserError("invalid_input", {}, { retime: ["editor.error.retime_speakers"] });
  // The starts changed now, and those an editor set before (by hand, or as an earlier re-time's
  // anchors): a correction stays through every later re-time. In a transcript never timed
  // automatically every start is the editor's, and only today's changes are anchors.
  const automatic = mine.some((s) => s.timing != null);
  const changed = new Set([
    ...changedStarts(mine, form.typed, clock).map((s) => s.position),
    ...(automatic
      ? mine.filter((s) => s.timing == null && s.startSeconds !== null).map((s) => s.position)
      : []),
  ]);
  const starts = new Map(times.map((t) => [t.position, t.start]));
  const anchors = anchorsOf(mine, changed, starts, plain.firstSentence);
  await saveTiming(deps.db, item, form.typed, clock, deps.now());
  await startAlignment(deps, { itemId: item.id, lang, text: plain.text, anchors });
  return lang;
}
