import { spokenLanguages } from "../../src/editor/spoken-language.ts";
import { splitTurns } from "../../src/editor/transcript-text.ts";
import type { AlignResult } from "../../src/media/align/index.ts";
import type { ChildAnswer } from "../lib/align-child.ts";
import type { Fixture } from "../lib/align-fixtures.ts";
import {
  type Placement,
  poolScores,
  referenceOf,
  type Scores,
  score,
  summary,
} from "../lib/align-metrics.ts";
import { bilingualRecordings } from "../lib/align-voices.ts";
import { ms, table } from "../lib/stats.ts";
import type { Recording } from "./align.ts";

/**
 * A bilingual event's text in one paste (issue 11): the French fixture's lines, then an English
 * fixture's sentences, given as French or as English; each sentence spoken in its own language's
 * voice (the languages found by src/editor/spoken-language.ts, as the portal finds them) or the
 * whole text in the text's voice (before). The portal's path is the first.
 */
type Mode = "own" | "one";

interface Row {
  main: "en" | "fr";
  mode: Mode;
  french: Scores;
  english: Scores;
}

const MODES: Record<Mode, string> = {
  own: "each sentence in its language's voice (found)",
  one: "the whole text in the text's voice",
};

export async function measureBilingual(
  fixtures: Fixture[],
  align: (recording: Recording) => Promise<ChildAnswer>,
  placementOf: (result: AlignResult) => Placement,
  log: (line: string) => void,
): Promise<string> {
  const rows: Row[] = [];
  for (const main of ["fr", "en"] as const) {
    for (const mode of ["own", "one"] as const) {
      const french: Scores[] = [];
      const english: Scores[] = [];
      for (const b of await bilingualRecordings(fixtures)) {
        const texts = [...b.french.sentences, ...b.english.sentences].map((s) => s.text);
        const langs = spokenLanguages(splitTurns(texts.join("\n\n"), main), main);
        const recording: Recording = {
          name: `bilingual ${b.english.name} as ${main} ${mode}`,
          file: b.file,
          lang: main,
          seconds: 0,
          texts,
          reference: {
            sentences: [
              ...referenceOf(b.french.sentences).sentences,
              ...referenceOf(b.english.sentences, b.englishAt).sentences,
            ],
          },
          ...(mode === "own" ? { langs } : {}),
        };
        const answer = await align(recording);
        if (!answer.result) throw new Error(`${recording.name}: the aligner failed with ${answer.error}`);
        const placement = placementOf(answer.result);
        const n = b.french.sentences.length;
        const part = (from: number, to: number): Scores =>
          score(
            { sentences: placement.sentences.slice(from, to), unsure: placement.unsure.slice(from, to) },
            { sentences: recording.reference.sentences.slice(from, to) },
          );
        french.push(part(0, n));
        english.push(part(n, texts.length));
        log(`${recording.name}: voices ${langs.join("")}`);
      }
      rows.push({ main, mode, french: poolScores(french), english: poolScores(english) });
    }
  }
  return report(rows);
}

function report(rows: Row[]): string {
  const within = (s: Scores) =>
    `${s.sentenceErrors.filter((e) => e <= 0.5).length} of ${s.sentenceErrors.length}`;
  const body = rows.map((r) => {
    const words = summary(r.english.wordErrors);
    return [
      r.main,
      MODES[r.mode],
      within(r.french),
      within(r.english),
      ms(summary(r.english.sentenceErrors).p90 * 1000, 0),
      ms(words.median * 1000, 0),
      ms(words.p90 * 1000, 0),
      `${r.english.wordErrors.filter((e) => e > 0.1).length} of ${r.english.wordErrors.length}`,
    ];
  });
  return `
**A bilingual text in one paste.** \`ej-fra\` (French), 2 s of silence, then one English fixture; the
French lines and the English sentences in one text, given as French or as English; three recordings
(one per English fixture) pooled. The languages are found per paragraph and sentence as the portal
finds them (\`src/editor/spoken-language.ts\`: "Bonjour." is too short to leave an English text's
voice). Word references exist for the English speech only.

${table(
  [
    "text given as",
    "synthetic voice",
    "French sentences within 500 ms",
    "English sentences within 500 ms",
    "English sentence p90",
    "English word median",
    "p90",
    "English words over 100 ms",
  ],
  body,
)}
`;
}
