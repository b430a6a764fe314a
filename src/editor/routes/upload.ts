import type { FastifyInstance } from "fastify";
import { eventOverviews } from "../../catalogue/event-store.ts";
import { pageContext } from "../../web/context.ts";
import { sendHtml } from "../../web/reply.ts";
import { idOf } from "../validate.ts";
import { uploadPage } from "../views/upload.ts";
import { type EditorPages, queryOf } from "./shared.ts";

// The select lists the newest events; an older one is still reachable through the CLI or the API.
const EVENTS_LISTED = 500;

/**
 * The page from which editors send a master with tus. It posts nothing to itself: the island
 * talks to the JSON API (POST /api/v1/items, then /api/v1/uploads), whose cookie-authenticated
 * changes need a JSON body or a tus header, which no cross-site form can send (api-csrf.ts).
 */
export function editorUploadRoutes(app: FastifyInstance, p: EditorPages): void {
  const { lang } = p;
  app.get("/upload", async (request, reply) => {
    const events = await eventOverviews(p.db, EVENTS_LISTED);
    const chosen = idOf(queryOf(request).event);
    const eventSlug = events.find((e) => e.id === chosen)?.slug ?? "";
    const ctx = pageContext(lang, request, reply);
    return sendHtml(reply, 200, uploadPage(ctx, { events, eventSlug, timeZone: p.timeZone }));
  });
}
