import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { pageContext } from "../../web/context.ts";
import { languageFromHeader, languages } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { loadHome } from "../browse.ts";
import { homePage } from "../views/home.ts";

export async function homeRoutes(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
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
      const { events, items } = await loadHome(deps.db, now);
      return sendHtml(reply, 200, homePage(ctx, events, items, now));
    });
  }
}
