import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { findEvent } from "../../catalogue/event-store.ts";
import { findItem } from "../../catalogue/item-store.ts";
import { findLiveStream } from "../../catalogue/live-store.ts";
import { localized } from "../../catalogue/types.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure } from "../../web/form.ts";
import { t } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { createLiveFromForm, type LiveControl, liveFormOf } from "../live.ts";
import { type LiveNewState, liveEndPage, liveNewPage } from "../views/live.ts";
import { type EditorPages, routeId } from "./shared.ts";

/** Live items (issue 12): add one to an event; end it, or renew its key, from its page. */
export function editorLiveRoutes(app: FastifyInstance, p: EditorPages): void {
  const { lang, db } = p;
  // Without the live service (a portal that has none) these pages do not exist.
  const control = (): LiveControl => {
    if (!p.live) throw new UserError("not_found");
    return p.live;
  };

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    eventId: number,
    status: number,
    overrides: Partial<LiveNewState> = {},
  ) => {
    control();
    const event = await findEvent(db, eventId);
    if (!event) throw new UserError("event_not_found");
    const state: LiveNewState = {
      event,
      values: {},
      message: null,
      errors: {},
      timeZone: p.timeZone,
      ...overrides,
    };
    return sendHtml(reply, status, liveNewPage(pageContext(lang, request, reply), state));
  };

  app.get("/events/:eventId/live/new", (request, reply) =>
    show(request, reply, routeId(request, "eventId", "event_not_found"), 200),
  );

  app.post("/events/:eventId/live", async (request, reply) => {
    const eventId = routeId(request, "eventId", "event_not_found");
    try {
      const id = await createLiveFromForm(
        { db, timeZone: p.timeZone, live: control() },
        eventId,
        request.body,
      );
      return reply.redirect(`/${lang}/editor/items/${id}?done=saved`, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, eventId, failure.status, { ...failure, values: liveFormOf(request.body) });
    }
  });

  app.get("/items/:itemId/live/end", async (request, reply) => {
    const id = routeId(request, "itemId", "item_not_found");
    control();
    const item = await findItem(db, id);
    const stream = item ? await findLiveStream(db, id) : null;
    if (!item || !stream) throw new UserError("item_not_found");
    if (stream.state === "ended") return reply.redirect(`/${lang}/editor/items/${id}`, 303);
    const title = localized(item.title, lang).text || t(lang, "editor.item.untitled", { id });
    return sendHtml(reply, 200, liveEndPage(pageContext(lang, request, reply), { id, title }));
  });

  for (const [action, done] of [
    ["end", "live_ended"],
    ["key", "key_renewed"],
  ] as const) {
    app.post(`/items/:itemId/live/${action}`, async (request, reply) => {
      const id = routeId(request, "itemId", "item_not_found");
      const live = control();
      if (!(await findItem(db, id)) || !(await findLiveStream(db, id))) throw new UserError("item_not_found");
      await (action === "end" ? live.end(id) : live.renewKey(id));
      return reply.redirect(`/${lang}/editor/items/${id}?done=${done}`, 303);
    });
  }
}
