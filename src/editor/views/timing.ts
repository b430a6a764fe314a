import type { MediaItem, TranscriptSegment } from "../../catalogue/types.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, notice } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { input } from "./controls.ts";
import { speakerLabel } from "./segments.ts";
import { editorPage } from "./shared.ts";
import { itemTitle } from "./status.ts";

export type TimingState = {
  item: MediaItem;
  segments: TranscriptSegment[];
  /** The preview player's markup (the catalogue's), or nothing when there is no preview yet. */
  player: Html;
  /** Start fields as typed, by position. */
  values: Record<string, string>;
  info: string | null;
  message: string | null;
  errors: FieldProblems;
};

function row(ctx: PageContext, s: TimingState, segment: TranscriptSegment, index: number): Html {
  const { lang } = ctx;
  const name = `start_${segment.position}`;
  const speaker = speakerLabel(lang, segment);
  return html`<tr>
<td>${index + 1}</td>
<td>${speaker ? html`<strong>${speaker}</strong><br>` : ""}<span lang="${segment.lang}" id="sentence-${segment.position}">${segment.text}</span></td>
<td>${input(lang, { name, label: t(lang, "editor.timing.start_of", { number: index + 1 }), value: s.values[name] ?? "", className: "time" }, s.errors)}
<button type="button" class="secondary" data-set-time="${name}" hidden>${t(lang, "editor.timing.set_current")}<span class="visually-hidden"> (${t(lang, "editor.timing.sentence", { number: index + 1 })})</span></button></td>
</tr>`;
}

export function timingPage(ctx: PageContext, s: TimingState): string {
  const { lang } = ctx;
  const itemHref = `/${lang}/editor/items/${s.item.id}`;
  const title = t(lang, "editor.timing.title", { title: itemTitle(lang, s.item) });
  const crumbs = [
    { href: itemHref, label: itemTitle(lang, s.item) },
    { href: `${itemHref}/transcript`, label: t(lang, "editor.transcript.title") },
  ];
  const body = s.segments.length
    ? html`<div class="timing-player">${s.player.value ? s.player : html`<p>${t(lang, "editor.timing.no_player")}</p>`}</div>
<p>${t(lang, "editor.timing.intro")}</p>
<form method="post" action="${itemHref}/transcript/timing" novalidate data-timing>${csrfInput(ctx.csrfToken)}
<div class="table-scroll"><table class="segments"><caption>${t(lang, "editor.timing.caption")}</caption>
<thead><tr><th scope="col">#</th><th scope="col">${t(lang, "editor.transcript.text")}</th><th scope="col">${t(lang, "editor.transcript.start")}</th></tr></thead>
<tbody>${s.segments.map((segment, index) => row(ctx, s, segment, index))}</tbody></table></div>
<button type="submit">${t(lang, "editor.timing.save")}</button></form>`
    : html`<p>${t(lang, "editor.transcript.none")} <a href="${itemHref}/transcript">${t(lang, "editor.transcript.edit")}</a></p>`;
  return editorPage(
    ctx,
    title,
    html`<h1>${title}</h1>${s.info ? notice(s.info) : ""}${errorSummary(lang, s.message, s.errors)}${body}`,
    { crumbs, islands: s.player.value && s.segments.length ? ["player", "transcript-timing"] : [] },
  );
}
