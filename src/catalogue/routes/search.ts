import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { languages } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { publishedEventChoices } from "../event-store.ts";
import { type SearchAnswer, searchCatalogue } from "../search.ts";
import { type Query, searchPage } from "../views/search.ts";

export async function searchRoutes(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  for (const lang of languages) {
    app.get<{ Querystring: Query }>(`/${lang}/search`, async (request, reply) => {
      const q = request.query;
      const ctx = pageContext(lang, request, reply);
      let answer: SearchAnswer | null = null;
      let problem: UserError | null = null;
      try {
        answer = await searchCatalogue(deps.db, deps.now(), { ...q, page: Number(q.page ?? 1) || 1 });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        problem = error;
      }
      const events = await publishedEventChoices(deps.db, deps.now(), 100);
      return sendHtml(reply, problem ? problem.status : 200, searchPage(ctx, q, events, answer, problem));
    });
  }
}
