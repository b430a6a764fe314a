import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { pageContext } from "../../web/context.ts";
import { languages } from "../../web/i18n.ts";
import { parseId } from "../../web/ids.ts";
import { sendHtml } from "../../web/reply.ts";
import { viewerOf } from "../access.ts";
import { loadItem } from "../browse.ts";
import { searchTranscript } from "../transcript-search.ts";
import { type ItemPanel, itemPage, startAt } from "../views/item.ts";

export async function itemRoutes(
  app: FastifyInstance,
  deps: FeatureDeps,
  panel: ItemPanel | null,
): Promise<void> {
  for (const lang of languages) {
    app.get<{ Params: { id: string }; Querystring: { t?: string; q?: unknown } }>(
      `/${lang}/items/:id`,
      async (request, reply) => {
        const viewer = viewerOf(request, deps.now);
        const item = await loadItem(deps.db, viewer, parseId(request.params.id) ?? 0);
        const ctx = pageContext(lang, request, reply);
        const start = startAt(request.query, item.durationSeconds);
        // ?q= searches the transcript, only where the viewer may read it (never under embargo).
        const [below, search] = await Promise.all([
          panel ? panel(ctx, item, request.query) : "",
          searchTranscript(deps.db, viewer, item, request.query.q),
        ]);
        return sendHtml(reply, 200, itemPage(ctx, item, viewer, start, below, search));
      },
    );
  }
}
