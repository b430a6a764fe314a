import type { FastifyInstance } from "fastify";
import { pageContext } from "../../web/context.ts";
import { html } from "../../web/html.ts";
import { languageFromHeader, languages, t } from "../../web/i18n.ts";
import { page } from "../../web/layout.ts";

export async function homePages(app: FastifyInstance): Promise<void> {
  // `/` picks the language the browser prefers; every other page carries its own.
  app.get("/", async (request, reply) =>
    reply
      .header("vary", "Accept-Language")
      .redirect(`/${languageFromHeader(request.headers["accept-language"])}`, 302),
  );
  for (const lang of languages) {
    app.get(`/${lang}`, async (request, reply) => {
      const ctx = pageContext(lang, request, reply);
      const cta = request.user
        ? html`<p>${t(lang, "home.hello", { name: request.user.name })}</p>`
        : html`<p><a class="button" href="/${lang}/register">${t(lang, "nav.register")}</a>
<a class="button secondary" href="/${lang}/login">${t(lang, "nav.login")}</a></p>`;
      return reply.type("text/html; charset=utf-8").send(
        page(
          ctx,
          t(lang, "home.title"),
          html`<h1>${t(lang, "home.title")}</h1><p class="lead">${t(lang, "home.intro")}</p>${cta}
<section aria-labelledby="latest"><h2 id="latest">${t(lang, "home.latest")}</h2><p>${t(lang, "home.empty")}</p></section>`,
        ),
      );
    });
  }
}
