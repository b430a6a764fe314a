import type { EventOverview } from "../../catalogue/event-store.ts";
import type { ListedItem } from "../../catalogue/item-store.ts";
import type { PageContext } from "../../web/context.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { formatZonedDateTime } from "../zoned-time.ts";
import { editorPage, shortDateTime } from "./shared.ts";
import { eventTitle, itemTitle, kindLabel, processingState, publicationState } from "./status.ts";

/** The workspace's front page: every event, drafts included, and what the media pipeline is doing. */
export function dashboardPage(
  ctx: PageContext,
  events: EventOverview[],
  items: ListedItem[],
  now: Date,
  timeZone: string,
): string {
  const { lang } = ctx;
  const eventRows = events.map(
    (e) => html`<tr><td><a href="/${lang}/editor/events/${e.id}">${eventTitle(lang, e)}</a></td>
<td>${shortDateTime(formatZonedDateTime(e.startsAt, timeZone), timeZone)}</td>
<td>${publicationState(lang, e, now)}</td><td>${e.itemCount}</td></tr>`,
  );
  const itemRows = items.map(
    (item) => html`<tr><td><a href="/${lang}/editor/items/${item.id}">${itemTitle(lang, item)}</a></td>
<td>${kindLabel(lang, item.kind)}</td><td>${processingState(lang, item)}</td><td>${publicationState(lang, item, now)}</td></tr>`,
  );
  const body = html`<h1>${t(lang, "editor.title")}</h1>
<p class="actions"><a class="button" href="/${lang}/editor/events/new">${t(lang, "editor.event.new")}</a>
<a class="button secondary" href="/${lang}/editor/items/new">${t(lang, "editor.item.new")}</a>
<a class="button secondary" href="/${lang}/editor/upload">${t(lang, "editor.upload.title")}</a>
<a class="button secondary" href="/${lang}/editor/newsletter">${t(lang, "newsletter.title")}</a></p>
<section aria-labelledby="events-heading"><h2 id="events-heading">${t(lang, "editor.events.title")}</h2>
${
  events.length
    ? html`<div class="table-scroll"><table><thead><tr><th scope="col">${t(lang, "editor.field.title")}</th><th scope="col">${t(lang, "editor.field.starts_at")}</th>
<th scope="col">${t(lang, "editor.column.state")}</th><th scope="col">${t(lang, "editor.column.items")}</th></tr></thead><tbody>${eventRows}</tbody></table></div>`
    : html`<p>${t(lang, "editor.events.none")}</p>`
}</section>
<section aria-labelledby="items-heading"><h2 id="items-heading">${t(lang, "editor.items.recent")}</h2>
${
  items.length
    ? html`<div class="table-scroll"><table><thead><tr><th scope="col">${t(lang, "editor.field.title")}</th><th scope="col">${t(lang, "editor.field.kind")}</th>
<th scope="col">${t(lang, "editor.column.processing")}</th><th scope="col">${t(lang, "editor.column.state")}</th></tr></thead><tbody>${itemRows}</tbody></table></div>`
    : html`<p>${t(lang, "editor.items.none")}</p>`
}</section>`;
  return editorPage(ctx, t(lang, "editor.title"), body);
}
