import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { findEvent } from "../../catalogue/event-store.ts";
import { allItemsOfEvent } from "../../catalogue/item-store.ts";
import { findProgrammeEntry, listProgramme } from "../../catalogue/programme-store.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure, formValue } from "../../web/form.ts";
import { t } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { addEntry, editEntry, moveEntry, removeEntry, reorderProgramme } from "../programme.ts";
import { entryValues, type ProgrammeState, programmePage } from "../views/programme.ts";
import { type EditorPages, queryOf, routeId } from "./shared.ts";

const entryFields = ["time", "title_en", "title_fr", "media_item_id"];

/** An event's programme: add, edit, delete, and reorder with buttons (or drag and drop, with the island). */
export function editorProgrammeRoutes(app: FastifyInstance, p: EditorPages): void {
  const { lang, db } = p;
  const deps = { db, timeZone: p.timeZone };
  const programmeUrl = (eventId: number) => `/${lang}/editor/events/${eventId}/programme`;

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    overrides: Partial<ProgrammeState> & { entryId?: number } = {},
  ) => {
    const eventId = routeId(request, "eventId", "event_not_found");
    const event = await findEvent(db, eventId);
    if (!event) throw new UserError("event_not_found");
    const editing =
      overrides.entryId === undefined ? null : await findProgrammeEntry(db, eventId, overrides.entryId);
    if (overrides.entryId !== undefined && !editing) throw new UserError("not_found");
    const state: ProgrammeState = {
      event,
      entries: await listProgramme(db, eventId),
      items: await allItemsOfEvent(db, eventId),
      editing,
      values: editing ? entryValues(editing, p.timeZone) : {},
      info: null,
      message: null,
      errors: {},
      timeZone: p.timeZone,
      ...overrides,
    };
    return sendHtml(reply, status, programmePage(pageContext(lang, request, reply), state));
  };
  const valuesOf = (body: unknown) => Object.fromEntries(entryFields.map((n) => [n, formValue(body, n)]));
  const ids = (request: FastifyRequest) => ({
    eventId: routeId(request, "eventId", "event_not_found"),
    entryId: routeId(request, "entryId", "not_found"),
  });

  app.get("/events/:eventId/programme", (request, reply) =>
    show(request, reply, 200, { info: queryOf(request).saved ? t(lang, "editor.saved") : null }),
  );

  app.post("/events/:eventId/programme", async (request, reply) => {
    const eventId = routeId(request, "eventId", "event_not_found");
    try {
      const id = await addEntry(deps, eventId, request.body);
      return reply.redirect(`${programmeUrl(eventId)}?saved=1#entry-${id}`, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, failure.status, { ...failure, values: valuesOf(request.body) });
    }
  });

  // The island sends the whole order after a drag and drop; it asks for JSON, a form gets a page.
  app.post("/events/:eventId/programme/order", async (request, reply) => {
    const eventId = routeId(request, "eventId", "event_not_found");
    await reorderProgramme(deps, eventId, formValue(request.body, "order"));
    if (request.headers.accept?.includes("application/json")) return reply.status(204).send();
    return reply.redirect(`${programmeUrl(eventId)}?saved=1`, 303);
  });

  app.get("/events/:eventId/programme/:entryId", (request, reply) =>
    show(request, reply, 200, { entryId: ids(request).entryId }),
  );

  app.post("/events/:eventId/programme/:entryId", async (request, reply) => {
    const { eventId, entryId } = ids(request);
    try {
      await editEntry(deps, eventId, entryId, request.body);
      return reply.redirect(`${programmeUrl(eventId)}?saved=1#entry-${entryId}`, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, failure.status, { ...failure, entryId, values: valuesOf(request.body) });
    }
  });

  app.post("/events/:eventId/programme/:entryId/move", async (request, reply) => {
    const { eventId, entryId } = ids(request);
    await moveEntry(deps, eventId, entryId, formValue(request.body, "direction"));
    if (request.headers.accept?.includes("application/json")) return reply.status(204).send();
    return reply.redirect(`${programmeUrl(eventId)}#entry-${entryId}`, 303);
  });

  app.post("/events/:eventId/programme/:entryId/delete", async (request, reply) => {
    const { eventId, entryId } = ids(request);
    await removeEntry(deps, eventId, entryId);
    return reply.redirect(`${programmeUrl(eventId)}?saved=1`, 303);
  });
}
