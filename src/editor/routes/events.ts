import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { findEvent, setEventPublished } from "../../catalogue/event-store.ts";
import { allItemsOfEvent } from "../../catalogue/item-store.ts";
import { listProgramme } from "../../catalogue/programme-store.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure } from "../../web/form.ts";
import { t } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { baseAfter, checkBase } from "../edit-base.ts";
import { createEvent, currentEvent, editEvent, eventFormOf } from "../events.ts";
import { formTokenOf, newFormToken } from "../form-token.ts";
import { type EventPageState, eventPage, eventValues } from "../views/event.ts";
import { type EditorPages, queryOf, routeId } from "./shared.ts";

/** Create an event, edit it, publish or unpublish it. */
export function editorEventRoutes(app: FastifyInstance, p: EditorPages): void {
  const { lang, db } = p;

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    eventId: number | null,
    status: number,
    overrides: Partial<EventPageState> = {},
  ) => {
    const event = eventId === null ? null : await findEvent(db, eventId);
    if (eventId !== null && !event) throw new UserError("event_not_found");
    const state: EventPageState = {
      event,
      values: event ? eventValues(event, p.timeZone) : {},
      items: event ? await allItemsOfEvent(db, event.id) : [],
      programmeCount: event ? (await listProgramme(db, event.id)).length : 0,
      info: null,
      message: null,
      errors: {},
      timeZone: p.timeZone,
      now: p.now(),
      live: p.live !== null,
      ...(event ? {} : { formToken: newFormToken() }),
      ...overrides,
    };
    return sendHtml(reply, status, eventPage(pageContext(lang, request, reply), state));
  };

  app.get("/events/new", (request, reply) => show(request, reply, null, 200));

  app.post("/events", async (request, reply) => {
    try {
      const id = await createEvent({ db, now: p.now, timeZone: p.timeZone }, request.body);
      return reply.redirect(`/${lang}/editor/events/${id}?saved=1`, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      // Shown again with the token it was sent with: nothing was made with it, and the form sent
      // twice must still make one event.
      const formToken = formTokenOf(request.body) ?? newFormToken();
      return show(request, reply, null, failure.status, {
        ...failure,
        values: eventFormOf(request.body),
        formToken,
      });
    }
  });

  app.get("/events/:eventId", (request, reply) => {
    const query = queryOf(request);
    const info = query.saved
      ? t(lang, "editor.saved")
      : query.published
        ? t(lang, `editor.published.${query.published === "1" ? "on" : "off"}`)
        : null;
    return show(request, reply, routeId(request, "eventId", "event_not_found"), 200, { info });
  });

  app.post("/events/:eventId", async (request, reply) => {
    const id = routeId(request, "eventId", "event_not_found");
    const { event, version } = await currentEvent({ db }, id);
    const stored = eventValues(event, p.timeZone);
    try {
      checkBase(request.body, stored);
      await editEvent({ db, now: p.now, timeZone: p.timeZone }, id, request.body, version);
      return reply.redirect(`/${lang}/editor/events/${id}?saved=1`, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, id, failure.status, {
        ...failure,
        values: eventFormOf(request.body),
        base: baseAfter(error, request.body, stored),
      });
    }
  });

  for (const [action, publish] of [
    ["publish", true],
    ["unpublish", false],
  ] as const) {
    app.post(`/events/:eventId/${action}`, async (request, reply) => {
      const id = routeId(request, "eventId", "event_not_found");
      if (!(await findEvent(db, id))) throw new UserError("event_not_found");
      await setEventPublished(db, id, publish, p.now());
      return reply.redirect(`/${lang}/editor/events/${id}?published=${publish ? 1 : 0}`, 303);
    });
  }
}
