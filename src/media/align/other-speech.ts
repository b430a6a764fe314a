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
