import type { FastifyInstance } from "fastify";
import { pageContext } from "../../web/context.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { type PagesOptions, sendHtml } from "./shared.ts";

export function termsPage(app: FastifyInstance, options: PagesOptions): void {
  const { lang } = options;
  app.get("/terms", async (request, reply) => {
    const ctx = pageContext(lang, request, reply);
    const paragraphs = (["terms.p1", "terms.p2", "terms.p3"] as const).map((k) => html`<p>${t(lang, k)}</p>`);
    return sendHtml(
      reply,
      200,
      page(ctx, t(lang, "terms.title"), html`<h1>${t(lang, "terms.title")}</h1>${paragraphs}`),
    );
  });
}
