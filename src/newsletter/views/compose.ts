import { localized } from "../../catalogue/types.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { type Lang, languages, t } from "../../web/i18n.ts";
import type { ComposeForm, ComposeRow } from "../compose.ts";
import type { Issue } from "../types.ts";
import { dateTime, newsletterPage, newsletterPath, textField } from "./shared.ts";

/** Compose and edit a draft: subject and introduction in both languages side by side, and its events. */
export function composeView(
  ctx: PageContext,
  issue: Issue,
  form: ComposeForm,
  failure: { message: string; errors: FieldProblems } | null,
): string {
  const { lang } = ctx;
  const errors = failure?.errors ?? {};
  const saved =
    ctx.url.includes("saved=1") && !failure
      ? html`<div class="notice" role="status"><p>${t(lang, "newsletter.saved")}</p></div>`
      : "";
  const languageColumn = (l: Lang) => html`<fieldset><legend>${t(lang, `newsletter.language.${l}`)}</legend>
${textField(lang, { name: `subject_${l}`, label: t(lang, "newsletter.field.subject"), value: form.subject[l], inputLang: l, required: true }, errors)}
${textField(lang, { name: `intro_${l}`, label: t(lang, "newsletter.field.intro"), value: form.intro[l], inputLang: l, rows: 6 }, errors)}
</fieldset>`;
  return newsletterPage(
    ctx,
    t(lang, "newsletter.compose.title"),
    html`<h1>${t(lang, "newsletter.compose.title")}</h1>
${saved}
${errorSummary(lang, failure?.message ?? null, errors)}
<form method="post" action="${newsletterPath(lang, issue.id, "edit")}" novalidate>${csrfInput(ctx.csrfToken)}
<div class="nl-pair">${languages.map(languageColumn)}</div>
<h2>${t(lang, "newsletter.compose.events")}</h2>
<p class="hint">${t(lang, "newsletter.compose.events_hint")}</p>
${form.rows.length === 0 ? html`<p>${t(lang, "newsletter.compose.no_events")}</p>` : ""}
${form.rows.map((row, i) => eventRow(lang, row, i, errors))}
<div class="nl-actions">
<button type="submit" name="next" value="preview">${t(lang, "newsletter.compose.save_preview")}</button>
<button type="submit" name="next" value="edit" class="secondary">${t(lang, "newsletter.compose.save")}</button>
</div>
</form>`,
  );
}

function eventRow(lang: Lang, row: ComposeRow, i: number, errors: FieldProblems) {
  const title = localized(row.title, lang);
  const place = localized(row.place, lang).text;
  const pair = (l: Lang) => html`<div>
${textField(lang, { name: `e${i}_title_${l}`, label: t(lang, "newsletter.field.event_title", { language: t(lang, `newsletter.language.${l}`) }), value: row.title[l], inputLang: l }, errors)}
${textField(lang, { name: `e${i}_summary_${l}`, label: t(lang, "newsletter.field.event_summary", { language: t(lang, `newsletter.language.${l}`) }), value: row.summary[l], inputLang: l, rows: 3 }, errors)}
</div>`;
  return html`<fieldset class="nl-event"><legend${title.lang === lang ? "" : html` lang="${title.lang}"`}>${title.text || row.slug}</legend>
<p class="hint">${dateTime(lang, row.startsAt)}${place ? ` · ${place}` : ""} · /${lang}/events/${row.slug}</p>
<input type="hidden" name="e${i}_id" value="${row.eventId}">
<div class="field checkbox"><input type="checkbox" id="e${i}_include" name="e${i}_include" value="1"${row.include ? " checked" : ""}>
<label for="e${i}_include">${t(lang, "newsletter.field.include")}</label></div>
<div class="nl-pair">${languages.map(pair)}</div>
</fieldset>`;
}
