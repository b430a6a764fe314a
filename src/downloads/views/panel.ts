import { localized } from "../../catalogue/types.ts";
import type { ItemDetail } from "../../catalogue/view-models.ts";
import { paragraphs } from "../../catalogue/views/parts.ts";
import { clipFormats } from "../../media/formats.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { formatDateTime } from "../../web/intl.ts";
import { formatBytes } from "../estimate.ts";
import type { PanelState } from "../panel.ts";
import { clipFormHtml } from "./clip-form.ts";

/**
 * The item page's download panel, server-rendered so it works without JavaScript: why a
 * download is not possible (embargo, processing, not logged in), the usage terms to accept
 * once, or the choices (whole or clip, format, audio, subtitles) with the size before downloading.
 */
export function downloadPanelHtml(
  ctx: PageContext,
  item: ItemDetail,
  state: PanelState,
  query: unknown,
): Html {
  return html`<section id="download" class="download-panel" aria-labelledby="download-title">
<h2 id="download-title">${t(ctx.lang, "downloads.title")}</h2>
${panelBody(ctx, item, state, query)}
</section>`;
}

function panelBody(ctx: PageContext, item: ItemDetail, state: PanelState, query: unknown): Html {
  const { lang } = ctx;
  switch (state.kind) {
    case "embargoed":
      return html`<p>${t(lang, "downloads.embargoed")} <time datetime="${state.until.toISOString()}">${formatDateTime(lang, state.until)}</time></p>`;
    case "unavailable":
      return html`<p>${t(lang, "downloads.unavailable")}</p>`;
    case "failed":
      return html`<p>${t(lang, "downloads.failed")}</p>`;
    case "awaiting_upload":
      return html`<p>${t(lang, "downloads.awaiting_upload")}</p>`;
    case "processing":
      return html`<p>${t(lang, "downloads.processing")}</p>`;
    case "login": {
      const back = encodeURIComponent(`/${lang}/items/${item.id}#download`);
      return html`<p>${t(lang, "downloads.login_text")}</p>
<p><a class="button" href="/${lang}/login?returnTo=${back}">${t(lang, "downloads.login")}</a>
<a href="/${lang}/register?returnTo=${back}">${t(lang, "downloads.register")}</a></p>`;
    }
    case "terms":
      return termsHtml(ctx, item);
    case "photo":
      return photoHtml(lang, item.id, state.originalBytes, state.webBytes);
    case "live":
      return liveClipHtml(lang, state.itemId, state.startTimecode);
    case "clip":
      return clipFormHtml(ctx, state.source, query, {
        now: state.now,
        editor: state.editor,
        timedSentences: state.timedSentences,
      });
  }
}

/**
 * A clip of a live item while it is live (or ended, its master not processed yet): IN and OUT on
 * the recording's clock, anywhere in what has been received, or the last 30 seconds at once.
 * A plain GET form: the API answers it with the clip, or an error saying what has been received.
 */
function liveClipHtml(lang: Lang, itemId: number, startTimecode: string): Html {
  const action = `/api/v1/items/${itemId}/download`;
  const options = clipFormats.map(
    (f) => html`<option value="${f}">${t(lang, `downloads.format.${f}`)}</option>`,
  );
  return html`<p>${t(lang, "downloads.live_clip.intro", { start: startTimecode })}</p>
<p><a class="button" href="${action}?format=mp4&amp;last=30" data-live-last>${t(lang, "downloads.live_clip.last30")}</a></p>
<form method="get" action="${action}" class="live-clip-form">
<div class="field"><label for="live-in">${t(lang, "downloads.in")}</label>
<input id="live-in" name="in" required autocomplete="off" spellcheck="false" placeholder="${startTimecode}"></div>
<div class="field"><label for="live-out">${t(lang, "downloads.out")}</label>
<input id="live-out" name="out" required autocomplete="off" spellcheck="false"></div>
<div class="field"><label for="live-format">${t(lang, "downloads.format")}</label>
<select id="live-format" name="format">${options}</select></div>
<button type="submit">${t(lang, "downloads.submit")}</button>
</form>`;
}

function termsHtml(ctx: PageContext, item: ItemDetail): Html {
  const { lang } = ctx;
  const terms = localized(item.usageTerms, lang);
  const foreign = terms.lang === lang ? undefined : terms.lang;
  return html`<p>${t(lang, "downloads.terms.intro")}</p>
<div class="download-terms">
<h3 class="terms-heading">${t(lang, "downloads.terms.item")}</h3>
${terms.text ? paragraphs(terms.text, foreign) : html`<p>${t(lang, "downloads.terms.item_default")}</p>`}
${item.credit ? html`<p>${t(lang, "downloads.terms.credit", { credit: item.credit })}</p>` : ""}
<h3 class="terms-heading">${t(lang, "downloads.terms.general")}</h3>
<p>${t(lang, "downloads.terms.p1")}</p>
<p>${t(lang, "downloads.terms.p2")}</p>
<p>${t(lang, "downloads.terms.p3")}</p>
</div>
<form method="post" action="/${lang}/items/${item.id}/download-terms">${csrfInput(ctx.csrfToken)}
<button type="submit">${t(lang, "downloads.terms.accept")}</button>
</form>`;
}

function photoHtml(lang: Lang, itemId: number, originalBytes: number, webBytes: number | undefined): Html {
  const link = (format: "original" | "web", bytes: number | undefined) =>
    html`<li><a class="button${format === "web" ? " secondary" : ""}" href="/api/v1/items/${itemId}/download?format=${format}">${t(lang, `downloads.photo.${format}`)}</a>${bytes === undefined ? "" : html` <span class="size">${formatBytes(bytes, lang)}</span>`}</li>`;
  return html`<p>${t(lang, "downloads.photo.intro")}</p>
<ul class="download-links">
${link("original", originalBytes)}
${webBytes === undefined ? "" : link("web", webBytes)}
</ul>`;
}
