import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { pageContext } from "../../web/context.ts";
import { html } from "../../web/html.ts";
import { languageFromHeader, languages, t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import { sendHtml } from "../../web/reply.ts";
import { homeView } from "../browse.ts";
import { eventCardHtml, feedLink, itemCardHtml } from "./parts.ts";

export async function homePages(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  // `/` picks the language the browser prefers; every other page carries its own.
  app.get("/", async (request, reply) =>
    reply
      .header("vary", "Accept-Language")
      .redirect(`/${languageFromHeader(request.headers["accept-language"])}`, 302),
  );
  for (const lang of languages) {
    app.get(`/${lang}`, async (request, reply) => {
      const ctx = pageContext(lang, request, reply);
      const now = deps.now();
      const { events, items } = await homeView(deps.db, now);
      const cta = request.user
        ? html`<p>${t(lang, "home.hello", { name: request.user.name })}</p>`
        : html`<p><a class="button" href="/${lang}/register">${t(lang, "nav.register")}</a>
<a class="button secondary" href="/${lang}/login">${t(lang, "nav.login")}</a></p>`;
      const body = html`<h1>${t(lang, "home.title")}</h1><p class="lead">${t(lang, "home.intro")}</p>${cta}
<form class="search-box" role="search" method="get" action="/${lang}/search">
<label for="home-q">${t(lang, "search.label")}</label>
<input id="home-q" type="search" name="q"><button type="submit">${t(lang, "search.submit")}</button>
</form>
<section aria-labelledby="latest-events"><h2 id="latest-events">${t(lang, "home.latest")}</h2>
${events.length ? html`<ul class="cards">${events.map((e) => eventCardHtml(lang, e))}</ul>` : html`<p>${t(lang, "home.empty")}</p>`}
</section>
<section aria-labelledby="latest-items"><h2 id="latest-items">${t(lang, "home.latest_items")}</h2>
${items.length ? html`<ul class="cards">${items.map((i) => itemCardHtml(lang, i, 3, now))}</ul>` : html`<p>${t(lang, "home.no_items")}</p>`}
<p><a href="/${lang}/feed.xml">${t(lang, "feed.link")}</a></p>
</section>`;
      return sendHtml(reply, 200, page(ctx, t(lang, "home.title"), body, feedLink(lang)));
    });
  }
}
