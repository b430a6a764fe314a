import { isAnnotation } from "../../media/align/index.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { markedHtml } from "../highlight.ts";
import { spokenLanguage, type TranscriptSegment } from "../types.ts";
import { itemPath } from "../urls.ts";
import type { MasterView } from "../view-models.ts";
import { timecodeLabel } from "./format.ts";

/**
 * The transcript "as delivered", grouped into speaker turns. Each timed sentence is a link to
 * the player at its start (?t=), so it works without JavaScript; the transcript island
 * (client/transcript.ts) seeks in place and highlights the sentence being spoken.
 */
type Turn = {
  speaker: string;
  outlet: string;
  question: boolean;
  /** A note to the reader ("(As delivered)", "[Applause]"): shown on its own, never spoken. */
  note: boolean;
  segments: TranscriptSegment[];
};

export function turnsOf(segments: TranscriptSegment[]): Turn[] {
  const turns: Turn[] = [];
  for (const s of segments) {
    const last = turns.at(-1);
    const note = isAnnotation(s.text);
    if (
      last &&
      !note &&
      !last.note &&
      last.speaker === s.speaker &&
      last.question === s.isQuestion &&
      last.outlet === s.questionerOutlet
    ) {
      last.segments.push(s);
    } else {
      turns.push({
        speaker: s.speaker,
        outlet: s.questionerOutlet,
        question: s.isQuestion,
        note,
        segments: [s],
      });
    }
  }
  return turns;
}

function speakerLabel(lang: Lang, turn: Turn): Html {
  if (turn.question) {
    const who = turn.speaker || t(lang, "transcript.journalist");
    return html`<span class="turn-kind">${t(lang, "transcript.question")}</span> ${who}${turn.outlet ? html` <span class="outlet">(${turn.outlet})</span>` : ""}`;
  }
  return html`${turn.speaker || t(lang, "transcript.unknown_speaker")}`;
}

/** Positions of the sentences a transcript search found, with their marked text (highlight.ts). */
export type FoundSentences = ReadonlyMap<number, string>;

function sentence(lang: Lang, itemId: number, s: TranscriptSegment, found: FoundSentences): Html {
  // WCAG "language of parts": a screen reader says the sentence in the language it is said in.
  const said = spokenLanguage(s);
  const langAttr = said === lang ? "" : html` lang="${said}"`;
  const headline = found.get(s.position);
  const className = headline === undefined ? "sentence" : "sentence found";
  const text = headline === undefined ? s.text : markedHtml(headline);
  if (s.startSeconds === null)
    return html`<span class="${className}" data-position="${s.position}"${langAttr}>${text}</span>`;
  return html`<a class="${className}" href="${itemPath(lang, itemId, s.startSeconds)}#player" data-start="${s.startSeconds}" data-end="${s.endSeconds ?? ""}" data-position="${s.position}"${langAttr}>${text}</a>`;
}

export function transcriptHtml(
  lang: Lang,
  itemId: number,
  segments: TranscriptSegment[],
  master: MasterView | null,
  found: FoundSentences = new Map(),
): Html {
  if (segments.length === 0) return html``;
  const timedWords = segments.some((s) => (s.words?.length ?? 0) > 0);
  return html`<section class="transcript" aria-labelledby="transcript-title" data-transcript data-item-id="${itemId}"${timedWords ? " data-words" : ""}>
<h2 id="transcript-title">${t(lang, "transcript.title")}</h2>
<p class="hint">${t(lang, "transcript.hint")}</p>
<div class="transcript-body" data-transcript-body>
${turnsOf(segments).map((turn) => {
  if (turn.note)
    return html`<p class="transcript-note">${turn.segments.map((s) => sentence(lang, itemId, s, found))}</p>`;
  const start = turn.segments[0]?.startSeconds;
  return html`<div class="turn${turn.question ? " question" : ""}">
<h3 class="speaker">${speakerLabel(lang, turn)}${start === null || start === undefined ? "" : html` <span class="tc">${timecodeLabel(start, master)}</span>`}</h3>
<p>${turn.segments.map((s, i) => html`${i > 0 ? " " : ""}${sentence(lang, itemId, s, found)}`)}</p>
</div>`;
})}
</div>
</section>`;
}
