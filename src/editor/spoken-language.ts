import { createRequire } from "node:module";
import { francAll } from "franc-min";
import type { TranscriptSegment } from "../catalogue/types.ts";
import type { Lang } from "../web/i18n.ts";
import { splitSentences } from "./transcript-text.ts";

/**
 * Which language each sentence of a text is said in, for the voice that times it (issue 11: a
 * bilingual event's as-delivered text, French and English paragraphs in one paste). The editor's
 * language is the text's; a paragraph, or a sentence in it, switches only when franc (trigram
 * statistics) says clearly that it is in the other one, or when franc finds the two close and
 * tinyld (word and trigram statistics, better on short sentences) names the other one. Short
 * texts stay with their context: franc reads "Merci beaucoup." as English and "Questions?" as
 * French, and a wrong switch costs more than none (a sentence in the wrong voice is still placed
 * by its neighbours).
 */

const FRANC: Record<Lang, string> = { en: "eng", fr: "fra" };
const OTHER: Record<Lang, Lang> = { en: "fr", fr: "en" };
// Below this many letters trigrams decide nothing (measured on greetings and one-line answers).
const MIN_LETTERS = 20;
// franc's scores: 1 for the best. The other language must score clearly above this one
// (CLEAR_RUNNER_UP), or be at least MAX_RUNNER_UP of it and tinyld's choice. Measured on 143
// sentences of press conferences and the demo's texts, each judged in a text of either language
// (docs/ALIGNMENT.md, "In the portal"; test/editor/press-sentences.ts): franc alone missed 5
// switches, with tinyld 1 (a name and a title: "Jean-Noël Barrot, ministre"); tinyld alone
// switched names ("Mark Rutte, Secretary General" read as French). Both were 0.9 until the demo's
// "I am happy to take your questions." (franc: English 0.898 of French) was said in a French voice
// in an English text and stayed French in a French one; at 0.8 and 0.85, tinyld reads it English,
// and the press sentences and the demo's 35 are all judged right.
const MAX_RUNNER_UP = 0.85;
const CLEAR_RUNNER_UP = 0.8;

const letterCount = (text: string): number => text.match(/\p{L}/gu)?.length ?? 0;

function languageOf(text: string, context: Lang): Lang {
  if (letterCount(text) < MIN_LETTERS) return context;
  const other = OTHER[context];
  const scores = new Map(francAll(text, { only: [FRANC.en, FRANC.fr], minLength: 1 }));
  const otherScore = scores.get(FRANC[other]) ?? 0;
  if (otherScore === 1 && (scores.get(FRANC[context]) ?? 0) <= CLEAR_RUNNER_UP) return other;
  if (otherScore >= MAX_RUNNER_UP && tinyld().detect(text, { only: [other, context] }) === other)
    return other;
  return context;
}

type Tinyld = typeof import("tinyld/light");
let tinyldModule: Tinyld | null = null;
// Loaded on the first close call: its light model costs 12 MB, which most texts never need.
function tinyld(): Tinyld {
  tinyldModule ??= createRequire(import.meta.url)("tinyld/light") as Tinyld;
  return tinyldModule;
}

/**
 * The other language, when the whole text is in it: nine tenths of its letters in paragraphs
 * found to be. The editor chose the wrong language (a bilingual text is given as either of its
 * languages, and has more of the one chosen); timing it would store a French text as English.
 */
export function otherLanguageOfText(turns: TranscriptSegment[], lang: Lang): Lang | null {
  let total = 0;
  let other = 0;
  for (const turn of turns) {
    const letters = letterCount(turn.text);
    total += letters;
    if (languageOf(turn.text, lang) !== lang) other += letters;
  }
  if (total === 0 || other < 0.9 * total) return null;
  return OTHER[lang];
}

/**
 * Per sentence of `splitSentences(turns, lang)`, in the same order, the language it is said in:
 * each paragraph's own, or a sentence's own where it clearly differs from its paragraph's.
 */
export function spokenLanguages(turns: TranscriptSegment[], lang: Lang): Lang[] {
  return turns.flatMap((turn) => {
    const paragraph = languageOf(turn.text, lang);
    return splitSentences([turn], lang).map((sentence) => languageOf(sentence.text, paragraph));
  });
}

/**
 * The segments with the language each is said in (`spokenLang`), stored beside the transcript's:
 * a paragraph of an untimed text or a subtitle cue, judged against the transcript's language.
 */
export function withSpokenLanguages(segments: TranscriptSegment[], lang: Lang): TranscriptSegment[] {
  return segments.map((segment) => ({ ...segment, spokenLang: languageOf(segment.text, lang) }));
}
