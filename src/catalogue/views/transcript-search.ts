import { type Html, html } from "../../web/html.ts";
import { type Lang, t, tCount } from "../../web/i18n.ts";
import { markedHtml } from "../highlight.ts";
import type { TranscriptSearch } from "../transcript-search.ts";
import type { SentenceMatch } from "../transcript-store.ts";
import { spokenLanguage } from "../types.ts";
import { itemPath } from "../urls.ts";
import type { MasterView } from "../view-models.ts";
import { timecodeLabel } from "./format.ts";

/**
 * "Search this transcript" on the item page: the form, then the matching sentences in the
 * order they were spoken, each a link that plays from there. Without JavaScript the links load
 * the page at ?t= (keeping the search); the transcript-search island seeks and searches in place.
 */

/** The page playing from `start`, the search kept so its list and marks stay. */
export function matchHref(lang: Lang, itemId: number, start: number, words: string): string {
  return `${itemPath(lang, itemId, start)}&q=${encodeURIComponent(words)}#player`;
}

function matchCount(lang: Lang, total: number): string {
  if (total === 0) return t(lang, "transcript_search.count_none");
  return tCount(lang, "transcript_search.count", total);
}

function matchItem(
  lang: Lang,
  itemId: number,
  master: MasterView | null,
  words: string,
  m: SentenceMatch,
): Html {
  const spoken = spokenLanguage(m);
  const said = html`${m.speaker ? html`<span class="speaker">${t(lang, "search.said", { speaker: m.speaker })}</span> ` : ""}<span${spoken === lang ? "" : html` lang="${spoken}"`}>${markedHtml(m.headline)}</span>`;
  if (m.startSeconds === null) return html`<li>${said}</li>`;
  return html`<li><a href="${matchHref(lang, itemId, m.startSeconds, words)}" data-seek="${m.startSeconds}"><span class="tc">${timecodeLabel(m.startSeconds, master)}</span> ${said}</a></li>`;
}

/** What the island (client/transcript-search.ts) writes when it searches in place. */
function islandMessages(lang: Lang): Record<string, string> {
  return {
    none: t(lang, "transcript_search.count_none"),
    one: t(lang, "transcript_search.count_one"),
    other: t(lang, "transcript_search.count"),
    showing: t(lang, "transcript_search.showing"),
    truncated: t(lang, "transcript_search.truncated"),
    search_needs_words: t(lang, "transcript_search.needs_words"),
    search_common_words: t(lang, "transcript_search.common_words"),
    said: t(lang, "search.said"),
  };
}

export function transcriptSearchHtml(
  lang: Lang,
  item: { id: number; master: MasterView | null },
  search: TranscriptSearch,
): Html {
  const words = search.kind === "none" ? "" : search.words;
  let status: Html | string = "";
  let list: Html | string = "";
  if (search.kind === "needs_words" || search.kind === "common_words") {
    status = t(lang, `transcript_search.${search.kind}`);
  } else if (search.kind === "found") {
    const listed = search.matches.length;
    status = html`<strong>${matchCount(lang, search.total)}</strong>${listed < search.total ? ` ${t(lang, "transcript_search.showing", { count: listed })}` : ""}${search.truncated ? ` ${t(lang, "transcript_search.truncated")}` : ""}`;
    if (listed) {
      list = html`<ol class="sentence-matches" data-matches>${search.matches.map((m) => matchItem(lang, item.id, item.master, search.words, m))}</ol>`;
    }
  }
  const problem = search.kind === "needs_words" || search.kind === "common_words";
  // The form's fragment brings the answer into view after the page loads (below the player on a
  // phone). The status is always there, empty at first, so what the island writes is announced.
  return html`<section class="transcript-search" id="transcript-search" aria-labelledby="transcript-search-title" data-transcript-search data-item-id="${item.id}" data-messages="${JSON.stringify(islandMessages(lang))}">
<h2 id="transcript-search-title">${t(lang, "transcript_search.title")}</h2>
<form method="get" action="${itemPath(lang, item.id)}#transcript-search" role="search" class="search-box">
<label for="transcript-q">${t(lang, "transcript_search.label")}</label>
<input type="search" id="transcript-q" name="q" value="${words}" maxlength="400">
<button type="submit">${t(lang, "transcript_search.submit")}</button>
</form>
<p role="status" class="search-status${problem ? " notice" : ""}" data-search-status>${status}</p>
${list}
</section>`;
}

/**
 * Where the matching sentences are on the video's timeline, under the picture: ticks positioned
 * by SVG attributes (the CSP forbids style attributes), each a link to play from there. Hidden
 * from assistive technology and the tab order: the list of sentences says the same in words.
 */
export function matchMarksHtml(
  lang: Lang,
  itemId: number,
  duration: number | null,
  search: TranscriptSearch,
): Html {
  if (search.kind !== "found" || !duration || duration <= 0) return html``;
  const timed = search.matches.filter((m) => m.startSeconds !== null);
  if (timed.length === 0) return html``;
  const at = (seconds: number) => `${Math.min(100, Math.max(0, (seconds / duration) * 100)).toFixed(3)}%`;
  return html`<svg class="match-marks" data-match-marks aria-hidden="true" focusable="false" width="100%" height="24">
<rect class="track" x="0" y="9" width="100%" height="6"></rect>
${timed.map((m) => {
  const x = at(m.startSeconds!);
  return html`<a href="${matchHref(lang, itemId, m.startSeconds!, search.words)}" tabindex="-1" data-seek="${m.startSeconds!}"><line class="hit" x1="${x}" x2="${x}" y1="0" y2="24"></line><line class="tick" x1="${x}" x2="${x}" y1="2" y2="22"></line></a>`;
})}
<line class="playhead" data-playhead x1="0" x2="0" y1="0" y2="24" visibility="hidden"></line>
</svg>`;
}
