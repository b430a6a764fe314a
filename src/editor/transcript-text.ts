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
