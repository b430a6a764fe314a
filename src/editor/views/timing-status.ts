import type { Alignment } from "../../catalogue/alignment-store.ts";
import { transcriptTimingJson } from "../../catalogue/api-json.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t, tCount } from "../../web/i18n.ts";
import { formatZonedDateTime } from "../zoned-time.ts";
import { shortDateTime } from "./shared.ts";

/** A language's segments stored with automatic times, and the sentences among them flagged for review. */
export type AutomaticTiming = { timed: number; toCheck: number };

/** How the automatic timing of each language of a transcript went (issue 11), for the workspace pages. */
export type TimingStatus = {
  alignments: Alignment[];
  /** Per language, the sentences stored with automatic times and those flagged for review. */
  counts: Partial<Record<Lang, AutomaticTiming>>;
};

export const noTimingStatus: TimingStatus = { alignments: [], counts: {} };

/** A language is being timed: the page watches for the result (client/alignment-watch.ts). */
export function stillTiming(status: TimingStatus): boolean {
  return status.alignments.some((a) => a.state === "aligning");
}

function line(
  lang: Lang,
  a: Alignment,
  status: TimingStatus,
  zone: string,
  timingHref: string | null,
): Html | null {
  if (a.state === "aligning") {
    // The island updates the number in place; the words around it stay in the editor's language.
    const [before, after] = t(lang, `editor.align.aligning_${a.lang}`, { progress: "\u0000" }).split(
      "\u0000",
    );
    return html`<li>${before ?? ""}<span data-align-progress="${a.lang}">${a.progress}</span>${after ?? ""}</li>`;
  }
  if (a.state === "failed") {
    const reason = transcriptTimingJson(a, lang).reason?.message ?? "";
    return html`<li><strong>${t(lang, `editor.align.failed_${a.lang}`)}</strong> ${reason} ${t(lang, "editor.align.kept")}</li>`;
  }
  const counts = status.counts[a.lang];
  // Replaced since by subtitles or a text timed by hand: not what the transcript holds any more.
  if (!counts || counts.timed === 0) return null;
  const when = shortDateTime(formatZonedDateTime(a.finishedAt ?? a.requestedAt, zone), zone);
  const n = counts.toCheck;
  const check = n === 0 ? t(lang, "editor.align.check_none") : tCount(lang, "editor.align.check", n);
  // On the timing page itself the flagged sentences are right below.
  const review =
    n && timingHref ? html` <a href="${timingHref}">${tCount(lang, "editor.align.review", n)}</a>` : "";
  return html`<li>${t(lang, `editor.align.aligned_${a.lang}`, { when, check })}${review}</li>`;
}

/**
 * Per language: "Timing the English text… 45 %", "timed automatically on …: 2 sentences to
 * check", or why it could not be timed. `here`: this page's address, for the refresh link.
 */
export function timingStatusHtml(
  lang: Lang,
  itemId: number,
  status: TimingStatus,
  zone: string,
  here: string,
): Html {
  const timing = `/${lang}/editor/items/${itemId}/transcript/timing`;
  const timingHref = here === timing ? null : timing;
  const lines = status.alignments
    .map((a) => line(lang, a, status, zone, timingHref))
    .filter((l): l is Html => l !== null);
  if (lines.length === 0) return html``;
  if (!stillTiming(status)) return html`<ul class="timing-status">${lines}</ul>`;
  const states = status.alignments.map((a) => `${a.lang}:${a.state}`).join(",");
  return html`<div class="timing-status" data-align-watch="/api/v1/items/${itemId}" data-align-states="${states}">
<ul>${lines}</ul>
<p><a href="${here}">${t(lang, "editor.align.refresh")}</a></p></div>`;
}
