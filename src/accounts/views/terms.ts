import type { PageContext } from "../../web/context.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";

/** The terms of use every account accepts at sign-up. */
export function termsView(ctx: PageContext): string {
  const { lang } = ctx;
  const paragraphs = (["terms.p1", "terms.p2", "terms.p3"] as const).map((k) => html`<p>${t(lang, k)}</p>`);
  return page(ctx, t(lang, "terms.title"), html`<h1>${t(lang, "terms.title")}</h1>${paragraphs}`);
}
