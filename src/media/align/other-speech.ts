import { sentenceWords, type TextWord } from "./words.ts";

/**
 * A passage in the other language, spoken by espeak-ng beside the text, whose frames join the
 * phone loop that prices speech not in the text (background.ts). Press conferences in one language
 * often carry an interpreter, or questions, in the other. The passages are ours, written for this:
 * everyday press-conference phrasing, with the sounds of each language.
 */
const PASSAGES: Record<"en" | "fr", string[]> = {
  en: [
    "Good morning and thank you all for coming.",
    "We will now take a few questions from the press, starting with the front row.",
    "The minister said the new rules would apply from the first of July, though the details are still being worked out.",
    "Could you tell us whether the budget for health and education will change next year?",
  ],
  fr: [
    "Bonjour à tous et merci d'être venus si nombreux.",
    "Nous allons maintenant prendre quelques questions de la presse, en commençant par le premier rang.",
    "Le ministre a précisé que les nouvelles règles entreront en vigueur au premier juillet, même si les détails restent à régler.",
    "Pouvez-vous nous dire si le budget de la santé et de l'éducation changera l'an prochain ?",
  ],
};

/** The passage in the language other than the text's, as sentences of words for the synthesiser. */
export function otherSpeech(lang: "en" | "fr"): { lang: "en" | "fr"; sentences: TextWord[][] } {
  const other = lang === "en" ? "fr" : "en";
  return { lang: other, sentences: PASSAGES[other].map((s) => sentenceWords(s)) };
}

/**
 * Hesitations in the text's language, as espeak-ng says them (en-us: ʌ, ʌm; fr: ø, ø, øm).
 * An "uh" said straight into a sentence is not in the text (an as-delivered text leaves it out),
 * and without a model of its own the path took it for the sentence's first phones: the sentence
 * started 0.3 s early (coarse-to-fine.ts, realLevel). Not "er" (ɜː): its r-coloured vowel also
 * fits words of the text, and the fixtures' sentence starts p90 went 310 → 470 ms with it.
 */
const FILLERS: Record<"en" | "fr", string[]> = { en: ["uh", "um"], fr: ["euh", "heu", "euhm"] };

/** The text's hesitations; a bilingual text's speakers hesitate in both languages (each in its voice). */
export function fillerWords(lang: "en" | "fr", alsoSpoken: ("en" | "fr")[] = []): TextWord[][] {
  const others = [...new Set(alsoSpoken)].filter((l) => l !== lang);
  return [
    ...FILLERS[lang].map((w) => sentenceWords(w)),
    ...others.flatMap((l) => FILLERS[l].map((w) => sentenceWords(w, l))),
  ];
}
