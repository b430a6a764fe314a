import type { UserError } from "../../core/errors.ts";
import type { PageContext } from "../../web/context.ts";
import { errorMessage } from "../../web/error-handler.ts";
import { errorSummary } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { markedHtml } from "../highlight.ts";
import type { SearchAnswer, SearchInput, SearchResult } from "../search.ts";
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

export function formHtml(lang: Lang, events: EventChoice[], q: Query): Html {
  const eventLabel = (e: { title_en: string; title_fr: string }) =>
    lang === "fr" ? e.title_fr || e.title_en : e.title_en || e.title_fr;
  const open = filterNames.some((name) => q[name]);
  return html`<form class="search-form" role="search" method="get" action="/${lang}/search">
<div class="field"><label for="q">${t(lang, "search.label")}</label>
<div class="hint" id="q-hint">${t(lang, "search.hint")}</div>
<input id="q" name="q" type="search" value="${q.q ?? ""}" aria-describedby="q-hint"></div>
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

export function resultHtml(lang: Lang, result: SearchResult): Html {
  const { item, hits } = result;
  const first = hits[0]?.start ?? null;
  const excerpt = result.excerpt[lang].includes("\u0002") ? result.excerpt[lang] : "";
  const poster = item.embargoUntil === null ? posterUrl(item) : null;
  return html`<li class="result">
${poster ? html`<img class="thumb" src="${poster}" alt="" loading="lazy" width="160" height="90">` : ""}
<h3><a href="${itemPath(lang, item.id, first)}">${inLang(item.title, lang)}</a></h3>
${itemMeta(lang, item)}
${item.event?.published ? html`<p class="event-link"><a href="${eventPath(lang, item.event.slug)}">${inLang(item.event.title, lang)}</a></p>` : ""}
${excerpt ? html`<p class="excerpt">${markedHtml(excerpt)}</p>` : ""}
${hits.length ? html`<ul class="hits">${hits.map((h) => html`<li><a href="${itemPath(lang, item.id, h.start)}#player">${h.start === null ? "" : html`<span class="tc">${timecodeLabel(h.start, result.clock)}</span> `}${h.speaker ? html`<span class="speaker">${t(lang, "search.said", { speaker: h.speaker })}</span> ` : ""}<span${h.lang === lang ? "" : html` lang="${h.lang}"`}>${markedHtml(h.headline)}</span></a></li>`)}</ul>` : ""}
</li>`;
}

export function pagerHtml(lang: Lang, q: Query, answer: SearchAnswer): Html {
  const link = (page: number) => {
    const params = new URLSearchParams(
      Object.entries({ ...q, page: String(page) }).filter(([, v]) => v) as [string, string][],
    );
    return `/${lang}/search?${params.toString()}`;
  };
  if (answer.page === 1 && !answer.hasMore) return html``;
  return html`<nav class="pager" aria-label="${t(lang, "search.pages")}">
${answer.page > 1 ? html`<a href="${link(answer.page - 1)}" rel="prev">${t(lang, "search.previous")}</a>` : ""}
${answer.hasMore ? html`<a href="${link(answer.page + 1)}" rel="next">${t(lang, "search.next")}</a>` : ""}
</nav>`;
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
<p role="status">${answer.results.length ? t(lang, "search.showing", { page: answer.page }) : t(lang, "search.none")}</p>
<ol class="results">${answer.results.map((r) => resultHtml(lang, r))}</ol>
${pagerHtml(lang, q, answer)}</section>`
    : "";
  const title = q.q ? t(lang, "search.title_for", { q: q.q }) : t(lang, "search.title");
  const body = html`<h1>${t(lang, "search.title")}</h1>
${problem ? errorSummary(lang, errorMessage(lang, problem.code, problem.params), problem.fields) : ""}
${formHtml(lang, events, q)}
${results}`;
  return page(ctx, title, body, feedLink(lang));
}
