import { hasAcceptedDownloadTerms } from "../accounts/store.ts";
import { canPlay, isEmbargoed } from "../catalogue/access.ts";
import { paragraphs } from "../catalogue/pages/parts.ts";
import { localized } from "../catalogue/types.ts";
import type { ItemDetail } from "../catalogue/views.ts";
import type { FeatureDeps } from "../core/deps.ts";
import type { PageContext } from "../web/context.ts";
import { csrfInput } from "../web/form.ts";
import { isEditor } from "../web/guards.ts";
import { type Html, html } from "../web/html.ts";
import { type Lang, t } from "../web/i18n.ts";
import { formatDateTime } from "../web/intl.ts";
import { clipFormHtml } from "./clip-form.ts";
import { formatBytes } from "./estimate.ts";
import { findDownloadSource } from "./item-source.ts";

/**
 * The item page's download panel, server-rendered so it works without JavaScript: why a
 * download is not possible (embargo, processing, not logged in), the usage terms to accept
 * once, or the choices (whole or clip, format, audio, subtitles) with the size before downloading.
 */
export async function downloadPanel(
  deps: FeatureDeps,
  ctx: PageContext,
  item: ItemDetail,
  query: unknown,
): Promise<Html> {
  return html`<section id="download" class="download-panel" aria-labelledby="download-title">
<h2 id="download-title">${t(ctx.lang, "downloads.title")}</h2>
${await panelBody(deps, ctx, item, query)}
</section>`;
}

async function panelBody(
  deps: FeatureDeps,
  ctx: PageContext,
  item: ItemDetail,
  query: unknown,
): Promise<Html> {
  const { lang } = ctx;
  const now = deps.now();
  const viewer = { editor: isEditor(ctx.user), now };
  if (!canPlay(item, viewer)) {
    if (isEmbargoed(item, now)) {
      const until = item.embargoUntil!;
      return html`<p>${t(lang, "downloads.embargoed")} <time datetime="${until.toISOString()}">${formatDateTime(lang, until)}</time></p>`;
    }
    return html`<p>${t(lang, "downloads.unavailable")}</p>`;
  }
  if (item.status === "failed") return html`<p>${t(lang, "downloads.failed")}</p>`;
  if (item.status !== "ready") return html`<p>${t(lang, "downloads.processing")}</p>`;
  const source = await findDownloadSource(deps.db, item.id);
  if (!source?.master) return html`<p>${t(lang, "downloads.processing")}</p>`;
  if (!ctx.user) {
    const back = encodeURIComponent(`/${lang}/items/${item.id}#download`);
    return html`<p>${t(lang, "downloads.login_text")}</p>
<p><a class="button" href="/${lang}/login?returnTo=${back}">${t(lang, "downloads.login")}</a>
<a href="/${lang}/register?returnTo=${back}">${t(lang, "downloads.register")}</a></p>`;
  }
  if (!(await hasAcceptedDownloadTerms(deps.db, ctx.user.id))) return termsHtml(ctx, item);
  if (source.mediaType === "photo") {
    const webSize = source.webPhotoKey ? (await deps.storage.stat(source.webPhotoKey))?.size : undefined;
    return photoHtml(lang, item.id, source.master.bytes, webSize);
  }
  const timedSentences = item.transcript.some((s) => s.startSeconds !== null);
  return clipFormHtml(ctx, source, query, { now, editor: viewer.editor, timedSentences });
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
