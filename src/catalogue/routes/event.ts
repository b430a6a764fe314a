import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { pageContext } from "../../web/context.ts";
import { languages } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { viewerOf } from "../access.ts";
import { loadEvent } from "../browse.ts";
import { eventPage } from "../views/event.ts";

export async function eventRoutes(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  for (const lang of languages) {
    app.get<{ Params: { slug: string }; Querystring: { photo?: string } }>(
      `/${lang}/events/:slug`,
      async (request, reply) => {
        const viewer = viewerOf(request, deps.now);
        const event = await loadEvent(deps.db, viewer, request.params.slug);
        const photo = Number(request.query.photo ?? 1) || 1;
        return sendHtml(reply, 200, eventPage(pageContext(lang, request, reply), event, viewer, photo));
      },
    );
  }
}
