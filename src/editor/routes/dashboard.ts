import type { FastifyInstance } from "fastify";
import { eventOverviews } from "../../catalogue/event-store.ts";
import { recentItems } from "../../catalogue/item-store.ts";
import { pageContext } from "../../web/context.ts";
import { sendHtml } from "../../web/reply.ts";
import { dashboardPage } from "../views/dashboard.ts";
import type { EditorPages } from "./shared.ts";

/** The workspace's front page: every event, drafts included, and what the media pipeline is doing. */
export function editorDashboardRoutes(app: FastifyInstance, p: EditorPages): void {
  const { lang } = p;
  app.get("/", async (request, reply) => {
    const ctx = pageContext(lang, request, reply);
    const now = p.now();
    const [events, items] = await Promise.all([eventOverviews(p.db, 200), recentItems(p.db, 30)]);
    return sendHtml(reply, 200, dashboardPage(ctx, events, items, now, p.timeZone));
  });
}
