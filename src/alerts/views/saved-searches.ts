import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, field, notice } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { colon, type Lang, type MessageKey, t, tDynamic } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import {
  alerts,
  type FeedLinks,
  type Filters,
  filterKeys,
  filtersOf,
  searchParams,
} from "../saved-searches.ts";
import type { Alert, SavedSearch } from "../store.ts";

/** The account's saved searches: the form that saves one (from the search page), the list, its feeds. */

export type SaveForm = { words: string; filters: Filters; name: string; alert: string };

export type PageState = {
  list: SavedSearch[];
  /** The search the user came to save (the search page's "Save this search"), or null. */
  form: SaveForm | null;
  problem: { message: string; errors: FieldProblems } | null;
  info: string | null;
  /** Feed addresses with their token, shown once: just made. */
  feeds: { searchId: number; links: FeedLinks } | null;
};

const filterLabels: Record<(typeof filterKeys)[number], MessageKey> = {
  kind: "search.kind",
  event: "search.event",
  from: "search.from",
  to: "search.to",
  speaker: "search.speaker",
  language: "search.language",
};

const alertLabels: Record<Alert, MessageKey> = {
  none: "alerts.alert.none",
  immediate: "alerts.alert.immediate",
  daily: "alerts.alert.daily",
};

function describe(lang: Lang, words: string, filters: Filters): Html {
  const parts = filterKeys.flatMap((k) =>
    filters[k] ? [html`<li>${t(lang, filterLabels[k])}: ${filters[k]}</li>`] : [],
  );
  return html`<ul class="search-summary">${words ? html`<li><q>${words}</q></li>` : ""}${parts}</ul>`;
}

function saveFormHtml(ctx: PageContext, form: SaveForm, errors: FieldProblems): Html {
  const { lang } = ctx;
  const problems = errors.query ?? [];
  return html`<section aria-labelledby="save-heading"><h2 id="save-heading">${t(lang, "alerts.save.title")}</h2>
<form method="post" action="/${lang}/account/saved-searches">${csrfInput(ctx.csrfToken)}
<div class="field${problems.length ? " invalid" : ""}" id="query"><p>${t(lang, "alerts.save.search")}</p>
${problems.length ? html`<ul class="error">${problems.map((p) => html`<li>${tDynamic(lang, p)}</li>`)}</ul>` : ""}
${describe(lang, form.words, form.filters)}</div>
<input type="hidden" name="q" value="${form.words}">
${filterKeys.map((k) => (form.filters[k] ? html`<input type="hidden" name="${k}" value="${form.filters[k]}">` : ""))}
${field(lang, { name: "name", label: "alerts.field.name", value: form.name }, errors)}
${alertChoice(lang, "alert", form.alert, errors)}
<button type="submit">${t(lang, "alerts.save.submit")}</button>
</form></section>`;
}

function alertChoice(lang: Lang, name: string, value: string, errors: FieldProblems): Html {
  const problems = errors[name] ?? [];
  return html`<fieldset class="field${problems.length ? " invalid" : ""}" id="${name}"><legend>${t(lang, "alerts.field.alert")}</legend>
${problems.length ? html`<ul class="error">${problems.map((p) => html`<li>${tDynamic(lang, p)}</li>`)}</ul>` : ""}
${alerts.map((a) => html`<div class="choice"><input type="radio" id="${name}-${a}" name="${name}" value="${a}"${a === (value || "none") ? " checked" : ""}><label for="${name}-${a}">${t(lang, alertLabels[a])}</label></div>`)}
</fieldset>`;
}

function feedsHtml(lang: Lang, links: FeedLinks): Html {
  return html`<div class="notice" role="status"><p>${t(lang, "alerts.feeds.once")}</p>
<p>RSS: <code class="token">${links.rss}</code></p><p>ninjs: <code class="token">${links.ninjs}</code></p></div>`;
}

function itemHtml(ctx: PageContext, s: SavedSearch, state: PageState): Html {
  const { lang } = ctx;
  const base = `/${lang}/account/saved-searches/${s.id}`;
  return html`<li class="saved-search">
<h3><a href="/${lang}/search?${searchParams(s).toString()}">${s.name}</a></h3>
${describe(lang, s.words, filtersOf(s))}
<form method="post" action="${base}/alert" class="inline">${csrfInput(ctx.csrfToken)}
<label for="alert-${s.id}">${t(lang, "alerts.field.alert")}</label>
<select id="alert-${s.id}" name="alert">${alerts.map((a) => html`<option value="${a}"${a === s.alert ? " selected" : ""}>${t(lang, alertLabels[a])}</option>`)}</select>
<button type="submit">${t(lang, "alerts.change")} <span class="visually-hidden">${s.name}</span></button></form>
<p>${t(lang, "alerts.feeds")}${colon(lang)} ${t(lang, "alerts.feeds.hidden")}</p>
${state.feeds?.searchId === s.id ? feedsHtml(lang, state.feeds.links) : ""}
<form method="post" action="${base}/feed-token" class="inline">${csrfInput(ctx.csrfToken)}
<button type="submit" class="link">${t(lang, "alerts.feeds.renew")} <span class="visually-hidden">${s.name}</span></button></form>
<form method="post" action="${base}/delete" class="inline">${csrfInput(ctx.csrfToken)}
<button type="submit" class="link">${t(lang, "alerts.delete")} <span class="visually-hidden">${s.name}</span></button></form>
</li>`;
}

export function savedSearchesPage(ctx: PageContext, state: PageState): string {
  const { lang } = ctx;
  const body = html`<h1>${t(lang, "alerts.title")}</h1>
<p>${t(lang, "alerts.intro")}</p>
${state.problem ? errorSummary(lang, state.problem.message, state.problem.errors) : ""}
${state.info ? notice(state.info) : ""}
${state.form ? saveFormHtml(ctx, state.form, state.problem?.errors ?? {}) : ""}
<section aria-labelledby="list-heading"><h2 id="list-heading">${t(lang, "alerts.list")}</h2>
${state.list.length ? html`<ul class="saved-searches">${state.list.map((s) => itemHtml(ctx, s, state))}</ul>` : html`<p>${t(lang, "alerts.none")}</p>`}
</section>`;
  return page(ctx, t(lang, "alerts.title"), body);
}

export function unsubscribePage(
  ctx: PageContext,
  input: { question: string | null; done: boolean; problem: string | null; action: string },
): string {
  const { lang } = ctx;
  const body = html`<h1>${t(lang, "alerts.unsubscribe.title")}</h1>
${input.problem ? errorSummary(lang, input.problem, {}) : ""}
${input.done ? notice(t(lang, "alerts.unsubscribe.done")) : ""}
${
  input.question && !input.done
    ? html`<p>${input.question}</p><form method="post" action="${input.action}">
<button type="submit">${t(lang, "alerts.unsubscribe.submit")}</button></form>`
    : ""
}`;
  return page(ctx, t(lang, "alerts.unsubscribe.title"), body);
}
