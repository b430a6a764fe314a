import type { TranscriptSegment } from "../../catalogue/types.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { type ItemClock, showTime } from "../transcript-timing.ts";

/** Who speaks, as the transcript will show it: "Jane Doe (Reuters), question". */
export function speakerLabel(lang: Lang, s: TranscriptSegment): string {
  const name = s.speaker || (s.isQuestion ? t(lang, "editor.transcript.journalist") : "");
  const outlet = s.questionerOutlet ? ` (${s.questionerOutlet})` : "";
  return `${name}${outlet}${s.isQuestion ? `, ${t(lang, "editor.transcript.question")}` : ""}`;
}

/** The segments as a table: what an uploaded file gave, or what is stored; times on the master's clock. */
export function segmentsTable(
  lang: Lang,
  segments: TranscriptSegment[],
  caption: string,
  clock: ItemClock | null,
): Html {
  const time = (seconds: number | null) => (seconds === null ? "—" : showTime(seconds, clock));
  return html`<div class="table-scroll" role="region" aria-label="${caption}" tabindex="0"><table class="segments"><caption>${caption}</caption>
<thead><tr><th scope="col">${t(lang, "editor.transcript.start")}</th><th scope="col">${t(lang, "editor.transcript.end")}</th>
<th scope="col">${t(lang, "editor.transcript.speaker")}</th><th scope="col">${t(lang, "editor.transcript.text")}</th></tr></thead>
<tbody>${segments.map(
    (s) => html`<tr><td class="time">${time(s.startSeconds)}</td><td class="time">${time(s.endSeconds)}</td>
<td>${speakerLabel(lang, s)}</td><td lang="${s.lang}">${s.text}</td></tr>`,
  )}</tbody></table></div>`;
}
