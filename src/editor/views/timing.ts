import type { MediaItem, TranscriptSegment } from "../../catalogue/types.ts";
import { isAnnotation } from "../../media/align/index.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems, notice } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { t, tCount } from "../../web/i18n.ts";
import { type ItemClock, showTime } from "../transcript-timing.ts";
import { input, selectControl } from "./controls.ts";
import { speakerLabel } from "./segments.ts";
import { editorPage } from "./shared.ts";
import { itemTitle } from "./status.ts";
import { stillTiming, type TimingStatus, timingStatusHtml } from "./timing-status.ts";

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
  timing: TimingStatus;
  timeZone: string;
  /** The language chosen for re-timing, when the transcript holds two. */
  retimeLang: string;
  /** The master's clock, on which times are shown (null before a master is probed). */
  clock: ItemClock | null;
};

/**
 * One sentence: its text, its start to type or set from the player, where it ends (read only: it
 * follows from the starts), and a button that plays the recording from the start typed. `label`:
 * how its number is said ("sentence 3", "sentence 3, French" when the page holds two languages).
 */
function row(
  ctx: PageContext,
  s: TimingState,
  segment: TranscriptSegment,
  number: number,
  label: string,
): Html {
  const { lang } = ctx;
  const name = `start_${segment.position}`;
  const speaker = speakerLabel(lang, segment);
  const hidden = html`<span class="visually-hidden"> (${label})</span>`;
  const end = segment.endSeconds === null ? "—" : showTime(segment.endSeconds, s.clock);
  return html`<tr>
<td>${number}</td>
<td>${speaker ? html`<strong>${speaker}</strong><br>` : ""}<span lang="${segment.lang}" id="sentence-${segment.position}">${segment.text}</span>${flag(ctx, segment)}</td>
<td>${input(lang, { name, label: t(lang, "editor.timing.start_of", { sentence: label }), value: s.values[name] ?? "", className: "time" }, s.errors)}
<button type="button" class="secondary" data-set-time="${name}" hidden>${t(lang, "editor.timing.set_current")}${hidden}</button>
<button type="button" class="secondary" data-play-from="${name}" hidden>${t(lang, "editor.timing.play_from")}${hidden}</button></td>
<td class="time">${end}</td>
</tr>`;
}

/**
 * A note to the reader ("(As delivered)"): never read out, so nothing to time or play; shown as a
 * note, without a number, and saving the page leaves it as it is (transcript-timing.ts).
 */
function noteRow(ctx: PageContext, segment: TranscriptSegment): Html {
  const { lang } = ctx;
  return html`<tr class="note">
<td>${t(lang, "editor.timing.note")}</td>
<td><span lang="${segment.lang}" id="sentence-${segment.position}">${segment.text}</span></td>
<td colspan="2">${t(lang, "editor.timing.note_untimed")}</td>
</tr>`;
}

/** The sentences in one table per language, each numbered from 1: a bilingual text's two are not interleaved. */
function tables(ctx: PageContext, s: TimingState): Html {
  const { lang } = ctx;
  const languages = [...new Set(s.segments.map((seg) => seg.lang))];
  const both = languages.length > 1;
  return html`${languages.map((language) => {
    const caption = t(lang, both ? `editor.timing.caption_${language}` : "editor.timing.caption");
    let number = 0;
    const rows = s.segments
      .filter((seg) => seg.lang === language)
      .map((segment) => {
        if (isAnnotation(segment.text)) return noteRow(ctx, segment);
        number += 1;
        const label = t(lang, both ? `editor.timing.sentence_${language}` : "editor.timing.sentence", {
          number,
        });
        return row(ctx, s, segment, number, label);
      });
    return html`<div class="table-scroll"><table class="segments"><caption>${caption}</caption>
<thead><tr><th scope="col">#</th><th scope="col">${t(lang, "editor.transcript.text")}</th><th scope="col">${t(lang, "editor.transcript.start")}</th><th scope="col">${t(lang, "editor.timing.end")}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
  })}`;
}

/** A sentence the aligner was unsure of, or did not hear: said in words, not by colour alone. */
function flag(ctx: PageContext, segment: TranscriptSegment): Html {
  if (segment.timing !== "unsure" && segment.timing !== "unspoken") return html``;
  return html`<br><strong class="review-flag ${segment.timing}">${t(ctx.lang, `editor.timing.flag_${segment.timing}`)}</strong>`;
}

function flagCount(ctx: PageContext, segments: TranscriptSegment[]): Html {
  // A note stored flagged (timed before notes were told apart, alignment.ts) is no sentence to check.
  const n = segments.filter(
    (s) => (s.timing === "unsure" || s.timing === "unspoken") && !isAnnotation(s.text),
  ).length;
  if (n === 0) return html``;
  return html`<p><strong>${tCount(ctx.lang, "editor.timing.flags", n)}</strong> ${t(ctx.lang, "editor.timing.flags_help")}</p>`;
}

/** Re-time one language around the starts just corrected; which one, when the transcript holds two. */
function retimeControls(ctx: PageContext, s: TimingState): Html {
  const { lang } = ctx;
  if (s.item.mediaType === "photo") return html``;
  const languages = [...new Set(s.segments.map((seg) => seg.lang))];
  const choice =
    languages.length > 1
      ? selectControl(
          lang,
          {
            name: "retime_lang",
            label: t(lang, "editor.timing.retime_lang"),
            value: s.retimeLang,
            options: languages.map((l) => ({ value: l, label: t(lang, `editor.lang.${l}`) })),
          },
          s.errors,
        )
      : html``;
  return html`<div class="retime"><p id="retime-hint">${t(lang, "editor.timing.retime_intro")}</p>
${choice}<button type="submit" class="secondary" id="retime" name="retime" value="1" aria-describedby="retime-hint">${t(lang, "editor.timing.retime")}</button></div>`;
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
${flagCount(ctx, s.segments)}
<form method="post" action="${itemHref}/transcript/timing" novalidate data-timing>${csrfInput(ctx.csrfToken)}
${tables(ctx, s)}
<button type="submit">${t(lang, "editor.timing.save")}</button>
${retimeControls(ctx, s)}</form>`
    : html`<p>${t(lang, "editor.transcript.none")} <a href="${itemHref}/transcript">${t(lang, "editor.transcript.edit")}</a></p>`;
  return editorPage(
    ctx,
    title,
    html`<h1>${title}</h1>${s.info ? notice(s.info) : ""}
${timingStatusHtml(lang, s.item.id, s.timing, s.timeZone, `${itemHref}/transcript/timing`)}
${errorSummary(lang, s.message, s.errors)}${body}`,
    {
      crumbs,
      islands: [
        ...(s.player.value && s.segments.length ? ["player", "transcript-timing"] : []),
        ...(stillTiming(s.timing) ? ["alignment-watch"] : []),
      ],
    },
  );
}
