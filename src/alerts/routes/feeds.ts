import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { isLang } from "../../web/i18n.ts";
import { parseId } from "../../web/ids.ts";
import { savedSearchNinjs, savedSearchRss } from "../feeds.ts";
import { searchForFeed } from "../saved-searches.ts";

/**
 * A saved search's feeds, for newsroom systems polling without a session: `/feeds/saved/{id}.rss`
 * and `.json`, with `?token=` (401 without one, 404 with a wrong one) and `?lang=en|fr`.
 * Never shared-cached: each answer is one user's search.
 */
export function feedRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  app.get("/feeds/saved/:file", async (request, reply) => {
    const match = /^(\d{1,10})\.(rss|json)$/.exec((request.params as { file: string }).file);
    const id = parseId(match?.[1]);
    if (!match || id === null) throw new UserError("not_found");
    const query = request.query as Record<string, string | undefined>;
    const lang = isLang(query.lang) ? query.lang : "en";
    const search = await searchForFeed(deps, id, query.token);
    reply.header("cache-control", "private, max-age=60");
    if (match[2] === "rss") {
      const self = `${deps.config.publicUrl}${request.url}`;
      return reply
        .type("application/rss+xml; charset=utf-8")
        .send(await savedSearchRss(deps, search, lang, self));
    }
    return reply.type("application/json; charset=utf-8").send(await savedSearchNinjs(deps, search, lang));
  });
}
