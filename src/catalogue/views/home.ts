import type { PageContext } from "../../web/context.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";
import type { EventCard } from "../event-store.ts";
import type { ItemCard } from "../view-models.ts";
import { eventCardHtml, feedLink, itemCardHtml } from "./parts.ts";

/** The home page: a greeting or the way in, the search box, the latest events and items. */
export function homePage(ctx: PageContext, events: EventCard[], items: ItemCard[], now: Date): string {
  const { lang } = ctx;
  const cta = ctx.user
    ? html`<p>${t(lang, "home.hello", { name: ctx.user.name })}</p>`
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
  return page(ctx, t(lang, "home.title"), body, feedLink(lang));
}
