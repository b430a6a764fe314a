import type { ListedItem } from "../../catalogue/item-store.ts";
import type { EventRecord } from "../../catalogue/types.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, notice } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { t, tCount } from "../../web/i18n.ts";
import { baseInput, baseOf } from "../edit-base.ts";
import type { EventForm } from "../events.ts";
import { formTokenInput } from "../form-token.ts";
import { formatZonedDateTime } from "../zoned-time.ts";
import { bilingualControl, input } from "./controls.ts";
import { editorPage } from "./shared.ts";
import { eventTitle, itemTitle, kindLabel, processingState, publicationState } from "./status.ts";

export type EventPageState = {
  event: EventRecord | null;
  values: EventForm;
  items: ListedItem[];
  programmeCount: number;
  info: string | null;
  message: string | null;
  errors: FieldProblems;
  timeZone: string;
  now: Date;
  /** Live items can be added (the portal has the live service). */
  live?: boolean;
  /** The fingerprint the form is sent back with (edit-base.ts); by default the stored event's. */
  base?: string;
  /** A new event's form: its one-time token, so that sending it twice makes one event (form-token.ts). */
  formToken?: string;
};

/** The form's values for an event as stored, in the organisation's time zone. */
export function eventValues(event: EventRecord, zone: string): EventForm {
  return {
    slug: event.slug,
    starts_at: formatZonedDateTime(event.startsAt, zone),
    ends_at: event.endsAt ? formatZonedDateTime(event.endsAt, zone) : "",
    ...Object.fromEntries(
      (["place", "title", "summary", "body"] as const).flatMap((n) => [
        [`${n}_en`, event[n].en],
        [`${n}_fr`, event[n].fr],
      ]),
    ),
  };
}

function form(ctx: PageContext, s: EventPageState): Html {
  const { lang } = ctx;
  const v = s.values;
  const zoneHint = t(lang, "editor.hint.time_zone", { zone: s.timeZone });
  const action = s.event ? `/${lang}/editor/events/${s.event.id}` : `/${lang}/editor/events`;
  const base = s.event
    ? baseInput(s.base ?? baseOf(eventValues(s.event, s.timeZone)))
    : s.formToken
      ? formTokenInput(s.formToken)
      : "";
  return html`<form method="post" action="${action}" novalidate>${csrfInput(ctx.csrfToken)}${base}
<fieldset><legend>${t(lang, "editor.event.when_where")}</legend>
<div class="pair">
${input(lang, { name: "starts_at", label: t(lang, "editor.field.starts_at"), type: "datetime-local", value: v.starts_at ?? "", hint: zoneHint, required: true }, s.errors)}
${input(lang, { name: "ends_at", label: t(lang, "editor.field.ends_at"), type: "datetime-local", value: v.ends_at ?? "", hint: zoneHint }, s.errors)}
</div>
${bilingualControl(lang, { name: "place", label: "editor.field.place", values: v }, s.errors)}
</fieldset>
<fieldset><legend>${t(lang, "editor.event.texts")}</legend>
${bilingualControl(lang, { name: "title", label: "editor.field.title", values: v, hint: t(lang, "editor.hint.one_language") }, s.errors)}
${bilingualControl(lang, { name: "summary", label: "editor.field.summary", values: v, multiline: 3 }, s.errors)}
${bilingualControl(lang, { name: "body", label: "editor.field.body", values: v, multiline: 10 }, s.errors)}
</fieldset>
${input(lang, { name: "slug", label: t(lang, "editor.field.slug"), value: v.slug ?? "", hint: t(lang, "editor.hint.slug") }, s.errors)}
<button type="submit">${t(lang, "editor.save")}</button>
</form>`;
}

function publishing(ctx: PageContext, event: EventRecord, now: Date): Html {
  const { lang } = ctx;
  const action = event.publishedAt ? "unpublish" : "publish";
  return html`<section aria-labelledby="publishing"><h2 id="publishing">${t(lang, "editor.publishing")}</h2>
<p>${publicationState(lang, event, now)}</p>
<form method="post" action="/${lang}/editor/events/${event.id}/${action}">${csrfInput(ctx.csrfToken)}
<button type="submit"${event.publishedAt ? ' class="secondary"' : ""}>${t(lang, `editor.${action}`)}</button></form>
</section>`;
}

function contents(ctx: PageContext, s: EventPageState, event: EventRecord): Html {
  const { lang } = ctx;
  return html`<section aria-labelledby="programme"><h2 id="programme">${t(lang, "editor.programme.title")}</h2>
<p>${tCount(lang, "editor.programme.count", s.programmeCount)}
<a href="/${lang}/editor/events/${event.id}/programme">${t(lang, "editor.programme.edit")}</a></p></section>
<section aria-labelledby="items"><h2 id="items">${t(lang, "editor.items.title")}</h2>
${
  s.items.length
    ? html`<ul class="rows">${s.items.map(
        (item) => html`<li><a href="/${lang}/editor/items/${item.id}">${itemTitle(lang, item)}</a>
 — ${kindLabel(lang, item.kind)} — ${processingState(lang, item)} — ${publicationState(lang, item, s.now)}</li>`,
      )}</ul>`
    : html`<p>${t(lang, "editor.items.none")}</p>`
}
<p class="actions"><a class="button secondary" href="/${lang}/editor/items/new?event=${event.id}">${t(lang, "editor.item.add")}</a>
${s.live ? html`<a class="button secondary" href="/${lang}/editor/events/${event.id}/live/new">${t(lang, "editor.live.add")}</a>` : ""}</p></section>`;
}

export function eventPage(ctx: PageContext, s: EventPageState): string {
  const { lang } = ctx;
  const title = s.event
    ? t(lang, "editor.event.edit_title", { title: eventTitle(lang, s.event) })
    : t(lang, "editor.event.new");
  return editorPage(
    ctx,
    title,
    html`<h1>${title}</h1>
${s.info ? notice(s.info) : ""}
${errorSummary(lang, s.message, s.errors)}
${form(ctx, s)}
${s.event ? publishing(ctx, s.event, s.now) : ""}
${s.event ? contents(ctx, s, s.event) : ""}`,
  );
}
