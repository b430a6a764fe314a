import { parseTranscript } from "../catalogue/transcript-formats.ts";
import type { TranscriptSegment } from "../catalogue/types.ts";
import { UserError } from "../core/errors.ts";
import { formatClock } from "../media/clock.ts";
import type { Lang } from "../web/i18n.ts";

/**
 * A transcript typed or pasted as plain text: one paragraph (separated by an empty line) per
 * sentence or turn. Speakers are named exactly as in subtitle files (transcript-formats.ts):
 * `Mark Rutte: Good morning.`, a question `Q (Reuters): …` or `Jane Doe (Reuters): …`, and a
 * paragraph naming nobody continues the previous speaker. The sentences come untimed; the
 * editor times them by hand afterwards.
 */
export function splitTurns(text: string, lang: Lang): TranscriptSegment[] {
  const paragraphs = text
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    .reduce<string[][]>(
      (acc, line) => {
        if (line.trim() === "") acc.push([]);
        else acc[acc.length - 1]!.push(line.trim());
        return acc;
      },
      [[]],
    )
    .filter((lines) => lines.length > 0);
  if (paragraphs.length === 0)
    throw new UserError("invalid_input", {}, { text: ["editor.error.text_empty"] });
  // The speaker rules live in one place: each paragraph goes through the subtitle parser as a
  // cue with a placeholder timing, which is then dropped. Markup characters are escaped so the
  // parser gives back the text as typed.
  const escapeMarkup = (line: string) =>
    line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const cues = paragraphs.map(
    (lines, i) => `${stamp(i)} --> ${stamp(i + 1)}\n${lines.map(escapeMarkup).join("\n")}`,
  );
  const segments = parseTranscript(`WEBVTT\n\n${cues.join("\n\n")}\n`, { format: "vtt", lang });
  return segments.map((segment) => ({ ...segment, startSeconds: null, endSeconds: null }));
}

function stamp(index: number): string {
  return formatClock(index, 3);
}

// Titles before a name end with a full stop that does not end the sentence (Intl.Segmenter in
// Node's ICU has no abbreviation list of its own).
const titles: Record<Lang, string[]> = {
  en: [
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Prof",
    "St",
    "Gen",
    "Col",
    "Lt",
    "Sgt",
    "Capt",
    "Sen",
    "Rep",
    "Gov",
    "Amb",
    "No",
    "vs",
    "Jr",
    "Sr",
    "Hon",
  ],
  fr: [
    "M",
    "MM",
    "Mme",
    "Mmes",
    "Mlle",
    "Me",
    "Dr",
    "Pr",
    "St",
    "Ste",
    "Gal",
    "Col",
    "Cdt",
    "Mgr",
    "No",
    "n°",
  ],
};

/**
 * Each turn's text cut into sentences, for timing sentence by sentence: a paragraph of a speech is
 * many sentences, each of which gets its own start and end. Speaker and question stay with each part.
 */
export function splitSentences(turns: TranscriptSegment[], lang: Lang): TranscriptSegment[] {
  const segmenter = new Intl.Segmenter(lang, { granularity: "sentence" });
  const abbreviation = new RegExp(`(?:^|\\s)(?:${titles[lang].join("|")})\\.$`, "i");
  const out: TranscriptSegment[] = [];
  for (const turn of turns) {
    const parts: string[] = [];
    for (const { segment } of segmenter.segment(turn.text)) {
      const text = segment.trim();
      if (text === "") continue;
      const last = parts.length - 1;
      if (last >= 0 && abbreviation.test(parts[last] as string)) parts[last] = `${parts[last]} ${text}`;
      else parts.push(text);
    }
    for (const text of parts) out.push({ ...turn, text, position: out.length });
  }
  return out;
}
