import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { languages } from "../../web/i18n.ts";
import { rssFeed } from "../feed.ts";
import { recentlyAvailableItems } from "../item-store.ts";
import { FEED_SIZE } from "../views/feed.ts";

export async function feedRoutes(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  for (const lang of languages) {
    app.get(`/${lang}/feed.xml`, async (_request, reply) => {
      const now = deps.now();
      const items = await recentlyAvailableItems(deps.db, now, FEED_SIZE);
      return reply
        .type("application/rss+xml; charset=utf-8")
        .header("cache-control", "public, max-age=300")
        .send(rssFeed({ publicUrl: deps.config.publicUrl, lang, items, now }));
    });
  }
}
