import type { EventRecord, MediaItem, ProgrammeItem } from "../../catalogue/types.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, notice } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { formatZonedTime } from "../zoned-time.ts";
import { bilingualControl, input, selectControl } from "./controls.ts";
import { editorPage } from "./shared.ts";
import { eventTitle, itemTitle } from "./status.ts";

export type ProgrammeState = {
  event: EventRecord;
  entries: ProgrammeItem[];
  items: MediaItem[];
  /** The entry being edited, or null for the list with its "add" form. */
  editing: ProgrammeItem | null;
  values: Record<string, string>;
  info: string | null;
  message: string | null;
  errors: FieldProblems;
  timeZone: string;
};

export function entryValues(entry: ProgrammeItem, zone: string): Record<string, string> {
  return {
    time: entry.startsAt ? formatZonedTime(entry.startsAt, zone) : "",
    title_en: entry.title.en,
    title_fr: entry.title.fr,
    media_item_id: entry.mediaItemId === null ? "" : String(entry.mediaItemId),
  };
}

function entryTitle(lang: Lang, entry: ProgrammeItem): string {
  return entry.title[lang] || entry.title[lang === "en" ? "fr" : "en"];
}

function entryForm(ctx: PageContext, s: ProgrammeState, action: string, submit: string): Html {
  const { lang } = ctx;
  return html`<form method="post" action="${action}" novalidate>${csrfInput(ctx.csrfToken)}
${input(lang, { name: "time", label: t(lang, "editor.field.time"), type: "time", value: s.values.time ?? "", hint: t(lang, "editor.hint.programme_time", { zone: s.timeZone }) }, s.errors)}
${bilingualControl(lang, { name: "title", label: "editor.field.title", values: s.values }, s.errors)}
${selectControl(lang, { name: "media_item_id", label: t(lang, "editor.field.media_item"), value: s.values.media_item_id ?? "", empty: t(lang, "editor.programme.no_item"), options: s.items.map((item) => ({ value: String(item.id), label: itemTitle(lang, item) })) }, s.errors)}
<button type="submit">${submit}</button></form>`;
}

function entryRow(ctx: PageContext, s: ProgrammeState, entry: ProgrammeItem, index: number): Html {
  const { lang } = ctx;
  const base = `/${lang}/editor/events/${s.event.id}/programme/${entry.id}`;
  const name = entryTitle(lang, entry);
  const item = s.items.find((i) => i.id === entry.mediaItemId);
  // The entry's name is in each button's accessible name, after the visible words (WCAG 2.5.3).
  const named = html`<span class="visually-hidden"> “${name}”</span>`;
  const move = (direction: "up" | "down", disabled: boolean) =>
    html`<form method="post" action="${base}/move" class="inline">${csrfInput(ctx.csrfToken)}
<input type="hidden" name="direction" value="${direction}">
<button type="submit" class="secondary" data-move="${direction}"${disabled ? " disabled" : ""}>${t(lang, `editor.programme.move_${direction}`)}${named}</button></form>`;
  return html`<li id="entry-${entry.id}" data-id="${entry.id}">
<span class="entry"><strong>${entry.startsAt ? formatZonedTime(entry.startsAt, s.timeZone) : "—"}</strong>
<span lang="en">${entry.title.en}</span>${entry.title.en && entry.title.fr ? " / " : ""}<span lang="fr">${entry.title.fr}</span>
${item ? html` — <a href="/${lang}/editor/items/${item.id}">${itemTitle(lang, item)}</a>` : ""}</span>
${move("up", index === 0)}${move("down", index === s.entries.length - 1)}
<a href="${base}">${t(lang, "editor.edit")}${named}</a>
<form method="post" action="${base}/delete" class="inline">${csrfInput(ctx.csrfToken)}
<button type="submit" class="link">${t(lang, "editor.delete")}${named}</button></form>
</li>`;
}

export function programmePage(ctx: PageContext, s: ProgrammeState): string {
  const { lang } = ctx;
  const eventHref = `/${lang}/editor/events/${s.event.id}`;
  const programmeHref = `${eventHref}/programme`;
  const crumbs = [{ href: eventHref, label: eventTitle(lang, s.event) }];
  if (s.editing) {
    const title = t(lang, "editor.programme.edit_entry");
    return editorPage(
      ctx,
      title,
      html`<h1>${title}</h1>${errorSummary(lang, s.message, s.errors)}
${entryForm(ctx, s, `${programmeHref}/${s.editing.id}`, t(lang, "editor.save"))}
<p><a href="${programmeHref}">${t(lang, "editor.programme.back")}</a></p>`,
      { crumbs: [...crumbs, { href: programmeHref, label: t(lang, "editor.programme.title") }] },
    );
  }
  const title = t(lang, "editor.programme.page_title", { title: eventTitle(lang, s.event) });
  const list = s.entries.length
    ? html`<p class="hint" id="reorder-help">${t(lang, "editor.programme.reorder_help")}</p>
<ol class="programme" aria-describedby="reorder-help" data-reorder="${programmeHref}/order" data-csrf="${ctx.csrfToken}"
 data-moved="${t(lang, "editor.programme.moved")}" data-drag-label="${t(lang, "editor.programme.drag")}" data-failed="${t(lang, "editor.error.order_outdated")}">
${s.entries.map((entry, index) => entryRow(ctx, s, entry, index))}</ol>
<p role="status" aria-live="polite" class="reorder-status"></p>`
    : html`<p>${t(lang, "editor.programme.empty")}</p>`;
  return editorPage(
    ctx,
    title,
    html`<h1>${title}</h1>
${s.info ? notice(s.info) : ""}
${list}
<section aria-labelledby="add-entry"><h2 id="add-entry">${t(lang, "editor.programme.add")}</h2>
${errorSummary(lang, s.message, s.errors)}
${entryForm(ctx, s, programmeHref, t(lang, "editor.programme.add"))}</section>`,
    { crumbs, islands: s.entries.length > 1 ? ["programme-reorder"] : [] },
  );
}
