/**
 * Words as a reader sees them, and what is given to the synthesiser for each. Display keeps the
 * punctuation on its word ("profond." stays one word); the spoken form drops the punctuation at a
 * word's edges, because espeak-ng pauses at it and pauses are how we find word boundaries in its
 * output (synth.ts). Numbers, abbreviations and symbols are left for espeak-ng to read ("2026",
 * "NATO", "50%", "Q&A").
 */
export interface TextWord {
  /** As displayed: the token from the text, with a punctuation-only token attached to its neighbour. */
  text: string;
  /** What espeak-ng is asked to say. */
  spoken: string;
  /** The voice it is said in, when not the text's (a sentence of a bilingual speech: synth.ts). */
  lang?: "en" | "fr";
}

// Stripped from a word's edges only: inside a word they carry meaning ("U.S.", "anglais-inuktitut", "3,5").
const EDGE_PUNCTUATION =
  /^[\s.,;:!?¡¿…"'«»“”„‘’‹›()[\]{}<>—–\-/\\*_~|•·]+|[\s.,;:!?¡¿…"'«»“”„‘’‹›()[\]{}<>—–\-/\\*_~|•·]+$/gu;
// Something espeak-ng will pronounce: a letter, a digit, or a symbol it reads as a word.
const SPEAKABLE = /[\p{L}\p{N}&%$€£@#+=§]/u;

export function sentenceWords(text: string, lang?: "en" | "fr"): TextWord[] {
  const words: TextWord[] = [];
  let pending = ""; // punctuation met before the first speakable word
  for (const token of text.split(/\s+/u)) {
    if (token === "") continue;
    const spoken = token.replace(EDGE_PUNCTUATION, "");
    if (spoken === "" || !SPEAKABLE.test(spoken)) {
      const last = words.at(-1);
      if (last) last.text = `${last.text} ${token}`;
      else pending = pending === "" ? token : `${pending} ${token}`;
      continue;
    }
    const word: TextWord = { text: pending === "" ? token : `${pending} ${token}`, spoken };
    if (lang) word.lang = lang;
    words.push(word);
    pending = "";
  }
  return words;
}

/** Characters that SSML reserves, as entities (espeak-ng reads "Q&A" as "Q and A" either way). */
export function ssmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * A line wholly in brackets or parentheses is an annotation ("(As delivered)", "[Applause]",
 * "(Interpretation from French)"): a note to the reader, not read out. It is not searched for.
 */
export function isAnnotation(text: string): boolean {
  return /^[([{].*[)\]}]$/su.test(text.trim());
}

/**
 * How readily a line may be found unspoken, from its typography alone. A short line with no
 * closing punctuation is a heading ("Q&A", "Questions from the press"): usually not read, so it
 * is cheap to skip, and only placed where it is found surely (outcome.ts). Anything else is text
 * the speaker is expected to say. The weight multiplies what skipping the line costs in the search.
 */
export const HEADING_WEIGHT = 0.05;

export function skipWeight(text: string): number {
  const line = text.trim();
  const words = line.split(/\s+/u).filter((w) => w !== "");
  if (words.length <= 5 && !/[.!?…:;,"»”]$/u.test(line)) return HEADING_WEIGHT;
  return 1;
}
