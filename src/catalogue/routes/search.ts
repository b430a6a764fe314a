import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { languages } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { publishedEventChoices } from "../event-store.ts";
import { type SearchAnswer, searchCatalogue } from "../search.ts";
import { filterNames, type Query, searchPage } from "../views/search.ts";

const wordsProblems = new Set<string>(["search_needs_words", "search_common_words", "search_too_slow"]);
const queryNames = ["q", "sort", "page", ...filterNames] as const;

/**
 * The search's own parameters, and no others: the page's links are made from them. A name given
 * twice already arrives as its first value (web/bad-input.ts, `firstValueQuery`).
 */
function searchParams(raw: Record<string, string | undefined>): Query {
  const query: Query = {};
  for (const name of queryNames) {
    const value = raw[name];
    if (value !== undefined) query[name] = value;
  }
  return query;
}

export async function searchRoutes(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  for (const lang of languages) {
    app.get(`/${lang}/search`, async (request, reply) => {
      const q = searchParams(request.query as Record<string, string | undefined>);
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
      // Words that ask for nothing (operators alone, stop words) are answered like "no results":
      // the page says why; only a malformed filter is the client's mistake.
      const status = problem && !wordsProblems.has(problem.code) ? problem.status : 200;
      return sendHtml(reply, status, searchPage(ctx, q, events, answer, problem));
    });
  }
}
