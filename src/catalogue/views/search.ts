import type { UserError } from "../../core/errors.ts";
import type { PageContext } from "../../web/context.ts";
import { errorMessage } from "../../web/error-handler.ts";
import { errorSummary } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { colon, type Lang, t, tCount } from "../../web/i18n.ts";
import { locales, numberFormat } from "../../web/intl.ts";
import { islandScripts } from "../../web/islands.ts";
import { page } from "../../web/layout.ts";
import { hasMark, markedHtml } from "../highlight.ts";
import { matchedIn, type SearchAnswer, type SearchInput, type SearchResult } from "../search.ts";
import { MAX_TERMS } from "../search-query.ts";
import { mediaKinds } from "../types.ts";
import { eventPath, itemPath, posterUrl } from "../urls.ts";
import { kindLabel, timecodeLabel } from "./format.ts";
import { feedLink, inLang, itemMeta } from "./parts.ts";

export type Query = { [K in keyof SearchInput]?: string };

export const filterNames = ["from", "to", "kind", "event", "speaker", "language"] as const;

export function input(id: string, label: string, value: string, type = "text"): Html {
  return html`<div class="field"><label for="${id}">${label}</label><input id="${id}" name="${id}" type="${type}" value="${value}"></div>`;
}

export function choice(
  lang: Lang,
  id: string,
  label: string,
  value: string,
  options: { value: string; label: string }[],
) {
  return html`<div class="field"><label for="${id}">${label}</label><select id="${id}" name="${id}">
<option value="">${t(lang, "search.any")}</option>
${options.map((o) => html`<option value="${o.value}"${o.value === value ? " selected" : ""}>${o.label}</option>`)}
</select></div>`;
}

/** The events offered as a filter: published ones, by their titles. */
export type EventChoice = { slug: string; title_en: string; title_fr: string };

function suggestionLabels(lang: Lang): Record<string, string> {
  return {
    title: t(lang, "search.suggestions"),
    speaker: t(lang, "search.suggestion.speaker"),
    event: t(lang, "search.suggestion.event"),
    item: t(lang, "search.suggestion.item"),
  };
}

export function formHtml(lang: Lang, events: EventChoice[], q: Query): Html {
  const eventLabel = (e: { title_en: string; title_fr: string }) =>
    lang === "fr" ? e.title_fr || e.title_en : e.title_en || e.title_fr;
  const open = filterNames.some((name) => q[name]);
  return html`<form class="search-form" role="search" method="get" action="/${lang}/search">
<div class="field"><label for="q">${t(lang, "search.label")}</label>
<div class="hint" id="q-hint">${t(lang, "search.hint")} ${t(lang, "search.syntax")}</div>
<input id="q" name="q" type="search" value="${q.q ?? ""}" aria-describedby="q-hint" autocomplete="off" data-suggestion-labels="${JSON.stringify(suggestionLabels(lang))}"></div>
<details class="filters"${open ? " open" : ""}><summary>${t(lang, "search.filters")}</summary>
${input("from", t(lang, "search.from"), q.from ?? "", "date")}
${input("to", t(lang, "search.to"), q.to ?? "", "date")}
${choice(
  lang,
  "kind",
  t(lang, "search.kind"),
  q.kind ?? "",
  mediaKinds.map((k) => ({ value: k, label: kindLabel(lang, k) })),
)}
${choice(
  lang,
  "event",
  t(lang, "search.event"),
  q.event ?? "",
  events.map((e) => ({ value: e.slug, label: eventLabel(e) })),
)}
${input("speaker", t(lang, "search.speaker"), q.speaker ?? "")}
${choice(lang, "language", t(lang, "search.language"), q.language ?? "", [
  { value: "en", label: "English" },
  { value: "fr", label: "Français" },
])}
</details>
<button type="submit">${t(lang, "search.submit")}</button>
</form>`;
}

/** How many results, in the page's language: "About 1,234 results", "More than 1,000 results". */
function countText(lang: Lang, answer: SearchAnswer): string {
  const count = numberFormat(locales[lang], {}).format(answer.total);
  if (answer.capped) return t(lang, "search.count_capped", { count });
  return tCount(lang, "search.count", answer.total, { count });
}

function searchLink(lang: Lang, q: Query, change: Partial<Record<keyof Query, string | null>>): string {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...q, page: null, ...change })) {
    if (typeof value === "string" && value !== "") merged[key] = value;
  }
  return `/${lang}/search?${new URLSearchParams(merged).toString()}`;
}

const reasonKeys = {
  title: "search.reason.title",
  transcript: "search.reason.transcript",
  description: "search.reason.description",
  event: "search.reason.event",
} as const;

export function resultHtml(lang: Lang, q: Query, result: SearchResult): Html {
  const { item, hits } = result;
  const first = hits[0]?.start ?? null;
  const excerpt = hasMark(result.excerpt[lang]) ? result.excerpt[lang] : "";
  const eventTitle = hasMark(result.eventTitle[lang]) ? result.eventTitle[lang] : "";
  const poster = item.embargoUntil === null ? posterUrl(item) : null;
  const reasons = matchedIn(result, lang);
  const more = result.moreHits;
  return html`<li class="result">
${poster ? html`<img class="thumb" src="${poster}" alt="" loading="lazy" width="160" height="90">` : ""}
<h3><a href="${itemPath(lang, item.id, first)}">${inLang(item.title, lang)}</a></h3>
${itemMeta(lang, item)}
${item.event?.published ? html`<p class="event-link">${eventTitle ? html`<span class="why">${t(lang, "search.event_match")}</span> ` : ""}<a href="${eventPath(lang, item.event.slug)}">${eventTitle ? markedHtml(eventTitle) : inLang(item.event.title, lang)}</a></p>` : ""}
${reasons.length ? html`<p class="reasons">${t(lang, "search.found_in")} ${reasons.map((r) => t(lang, reasonKeys[r])).join(", ")}</p>` : ""}
${excerpt ? html`<p class="excerpt">${markedHtml(excerpt)}</p>` : ""}
${hits.length ? html`<ul class="hits">${hits.map((h) => html`<li><a href="${itemPath(lang, item.id, h.start)}#player">${h.start === null ? "" : html`<span class="tc">${timecodeLabel(h.start, result.clock)}</span> `}${h.speaker ? html`<span class="speaker">${t(lang, "search.said", { speaker: h.speaker })}</span> ` : ""}<span${h.spokenLang === lang ? "" : html` lang="${h.spokenLang}"`}>${markedHtml(h.headline)}</span></a></li>`)}</ul>` : ""}
${more > 0 ? html`<p class="more-hits"><a href="${`/${lang}/items/${item.id}?${new URLSearchParams({ q: q.q ?? "" })}`}">${tCount(lang, "search.more_hits", more)}</a></p>` : ""}
</li>`;
}

export function pagerHtml(lang: Lang, q: Query, answer: SearchAnswer): Html {
  if (answer.page === 1 && !answer.hasMore) return html``;
  return html`<nav class="pager" aria-label="${t(lang, "search.pages")}">
${answer.page > 1 ? html`<a href="${searchLink(lang, q, { page: String(answer.page - 1) })}" rel="prev">${t(lang, "search.previous")}</a>` : ""}
${answer.hasMore ? html`<a href="${searchLink(lang, q, { page: String(answer.page + 1) })}" rel="next">${t(lang, "search.next")}</a>` : ""}
</nav>`;
}

function sortHtml(lang: Lang, q: Query, answer: SearchAnswer): Html {
  if (answer.query.clauses.length === 0) return html``;
  const option = (order: "relevance" | "date", key: "search.sorted_relevance" | "search.sorted_date") =>
    answer.order === order
      ? html`<strong aria-current="true">${t(lang, key)}</strong>`
      : html`<a href="${searchLink(lang, q, { sort: order === "date" ? "date" : null })}">${t(lang, key)}</a>`;
  return html`<p class="sort">${t(lang, "search.sort")}${colon(lang)} ${option("relevance", "search.sorted_relevance")} · ${option("date", "search.sorted_date")}</p>`;
}

/** Counts per filter value: each a link that narrows the search; a chosen one, a link that removes it. */
function facetsHtml(lang: Lang, q: Query, answer: SearchAnswer): Html {
  const { facets } = answer;
  const year = (value: string) => ({ from: `${value}-01-01`, to: `${value}-12-31` });
  const chosenYear =
    q.from?.endsWith("-01-01") && q.to === `${q.from.slice(0, 4)}-12-31` ? q.from.slice(0, 4) : null;
  const group = (
    key: "kind" | "event" | "speaker" | "language" | "year",
    label: (value: string, labels?: { en: string; fr: string }) => string,
    change: (value: string) => Partial<Record<keyof Query, string | null>>,
    chosen: string | null,
  ) => {
    const values = facets[key];
    if (values.length === 0) return null;
    return html`<div class="facet"><h3>${t(lang, `search.facet.${key}`)}</h3><ul>
${values.map((f) =>
  chosen === f.value
    ? html`<li><strong>${label(f.value, f.label)}</strong> (${f.count}) <a href="${searchLink(lang, q, Object.fromEntries(Object.keys(change(f.value)).map((k) => [k, null])))}" aria-label="${t(lang, "search.remove_filter", { filter: label(f.value, f.label) })}">×</a></li>`
    : html`<li><a href="${searchLink(lang, q, change(f.value))}">${label(f.value, f.label)}</a> (${f.count})</li>`,
)}</ul></div>`;
  };
  const languageName = (value: string) => (value === "fr" ? "Français" : value === "en" ? "English" : value);
  const groups = [
    group(
      "kind",
      (v) => kindLabel(lang, v),
      (v) => ({ kind: v }),
      q.kind ?? null,
    ),
    group(
      "event",
      (v, l) => (l ? (lang === "fr" ? l.fr || l.en : l.en || l.fr) : v),
      (v) => ({ event: v }),
      q.event ?? null,
    ),
    group(
      "speaker",
      (v) => v,
      (v) => ({ speaker: v }),
      q.speaker ?? null,
    ),
    group("language", languageName, (v) => ({ language: v }), q.language ?? null),
    group("year", (v) => v, year, chosenYear),
  ].filter((g): g is Html => g !== null);
  if (groups.length === 0) return html``;
  return html`<nav class="facets" aria-label="${t(lang, "search.refine")}">${groups}</nav>`;
}

/**
 * "Save this search": a plain GET to the account's saved searches (alerts), which asks for a name
 * and the alerts and saves with its own form token, so this page stays one every visitor shares.
 */
function saveSearchHtml(lang: Lang, q: Query): Html {
  const fields = (["q", ...filterNames] as const).flatMap((name) =>
    q[name] ? [html`<input type="hidden" name="${name}" value="${q[name]}">`] : [],
  );
  return html`<form class="save-search" method="get" action="/${lang}/account/saved-searches">${fields}
<button type="submit" class="secondary" aria-describedby="save-search-hint">${t(lang, "alerts.save.from_search")}</button>
<span class="hint" id="save-search-hint">${t(lang, "alerts.save.hint")}</span></form>`;
}

/** The search page: the form (with its filters), a problem with the query, or the results. */
export function searchPage(
  ctx: PageContext,
  q: Query,
  events: EventChoice[],
  answer: SearchAnswer | null,
  problem: UserError | null,
): string {
  const { lang } = ctx;
  const results = answer?.asked
    ? html`<section aria-labelledby="results-title"><h2 id="results-title" class="visually-hidden">${t(lang, "search.results")}</h2>
${answer.truncated ? html`<p class="notice">${t(lang, "search.truncated", { count: MAX_TERMS })}</p>` : ""}
<p role="status">${answer.results.length ? `${countText(lang, answer)}.` : answer.total > 0 ? html`${t(lang, "search.past_end", { page: answer.page })} <a href="${searchLink(lang, q, {})}">${t(lang, "search.first_page")}</a>` : t(lang, "search.none")}</p>
${sortHtml(lang, q, answer)}
<div class="search-results">
${facetsHtml(lang, q, answer)}
<ol class="results">${answer.results.map((r) => resultHtml(lang, q, r))}</ol>
</div>
${pagerHtml(lang, q, answer)}</section>`
    : "";
  const title = q.q ? t(lang, "search.title_for", { q: q.q.slice(0, 100) }) : t(lang, "search.title");
  const body = html`<h1>${t(lang, "search.title")}</h1>
${problem ? errorSummary(lang, errorMessage(lang, problem.code, problem.params), problem.fields) : ""}
${formHtml(lang, events, q)}
${answer?.asked ? saveSearchHtml(lang, q) : ""}
${results}`;
  return page(ctx, title, body, html`${feedLink(lang)}${islandScripts("search")}`);
}
