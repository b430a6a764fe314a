import { localized } from "../../catalogue/types.ts";
import { itemPath } from "../../catalogue/urls.ts";
import { timecodeAtFrame } from "../../media/timecode.ts";
import type { PageContext } from "../../web/context.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { formatDateTime } from "../../web/intl.ts";
import { page } from "../../web/layout.ts";
import { formatBytes } from "../estimate.ts";
import type { ItemClock } from "../item-source.ts";
import { audioLabel, formatLabel } from "../labels.ts";
import type { DownloadRecord } from "../store.ts";

/** "My downloads": what the user took, newest first, each with the same file again one click away. */
export function myDownloadsPage(
  ctx: PageContext,
  rows: DownloadRecord[],
  clocks: Map<number, ItemClock>,
): string {
  const { lang } = ctx;
  const title = t(lang, "downloads.mine.title");
  const body = rows.length
    ? html`<p>${t(lang, "downloads.mine.intro")}</p>
<div class="table-scroll">
<table class="downloads">
<caption class="visually-hidden">${t(lang, "downloads.mine.caption")}</caption>
<thead><tr>
<th scope="col">${t(lang, "downloads.mine.item")}</th>
<th scope="col">${t(lang, "downloads.mine.clip")}</th>
<th scope="col">${t(lang, "downloads.mine.format")}</th>
<th scope="col">${t(lang, "downloads.mine.size")}</th>
<th scope="col">${t(lang, "downloads.mine.date")}</th>
<th scope="col">${t(lang, "downloads.mine.actions")}</th>
</tr></thead>
<tbody>
${rows.map((row) => rowHtml(lang, row, clocks.get(row.mediaItemId)))}
</tbody>
</table>
</div>`
    : html`<p>${t(lang, "downloads.mine.empty")}</p>
<p><a href="/${lang}/search">${t(lang, "downloads.mine.search")}</a></p>`;
  return page(ctx, title, html`<h1>${title}</h1>${body}`);
}

function rowHtml(lang: Lang, row: DownloadRecord, clock: ItemClock | undefined): Html {
  const name = localized({ en: row.itemTitleEn, fr: row.itemTitleFr }, lang);
  const title = name.text
    ? name.lang === lang
      ? html`${name.text}`
      : html`<span lang="${name.lang}">${name.text}</span>`
    : html`${t(lang, "downloads.mine.untitled", { id: row.mediaItemId })}`;
  const range = clipRange(row, clock);
  const photo = clock?.mediaType === "photo";
  const format =
    photo && row.format === "original"
      ? t(lang, "downloads.format.photo_original")
      : formatLabel(lang, row.format);
  const query = new URLSearchParams({ format: row.format });
  if (range) {
    query.set("in", range.in);
    query.set("out", range.out);
  }
  if (row.audio && row.audio !== "all") query.set("audio", row.audio);
  // The visible "Download again" is the same on every row: its name says which file it repeats.
  const again = t(lang, "downloads.mine.again_label", {
    title: name.text || t(lang, "downloads.mine.untitled", { id: row.mediaItemId }),
    clip: range ? `${range.in} – ${range.out}` : t(lang, "downloads.mine.whole"),
    format,
  });
  return html`<tr>
<th scope="row"><a href="${itemPath(lang, row.mediaItemId)}">${title}</a></th>
<td class="tc">${range ? html`${range.in} – ${range.out}` : t(lang, "downloads.mine.whole")}</td>
<td>${format}${row.audio && row.audio !== "all" ? html`<br><span class="hint">${audioLabel(lang, row.audio)}</span>` : ""}</td>
<td class="size">${row.bytes === null ? t(lang, "downloads.mine.unknown_size") : formatBytes(row.bytes, lang)}</td>
<td><time datetime="${row.createdAt.toISOString()}">${formatDateTime(lang, row.createdAt)}</time></td>
<td><a href="/api/v1/items/${row.mediaItemId}/download?${query.toString()}" aria-label="${again}">${t(lang, "downloads.mine.again")}</a></td>
</tr>`;
}

/** The clip as the master's timecodes; null for a whole item (also a whole item converted to another format). */
function clipRange(row: DownloadRecord, clock: ItemClock | undefined): { in: string; out: string } | null {
  if (row.inFrame === null || row.outFrame === null || !clock?.rate) return null;
  if (row.inFrame === 0 && clock.frameCount !== null && row.outFrame === clock.frameCount) return null;
  const tc = (frame: number) => timecodeAtFrame(clock.startTimecode, frame, clock.rate!);
  return { in: tc(row.inFrame), out: tc(row.outFrame) };
}
