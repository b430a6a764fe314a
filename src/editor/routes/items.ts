import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { allEventChoices, findEvent } from "../../catalogue/event-store.ts";
import { findItem } from "../../catalogue/item-store.ts";
import { liveView } from "../../catalogue/live.ts";
import { findMaster } from "../../catalogue/media-store.ts";
import { publishWhenReadyAsked } from "../../catalogue/publish-when-ready-store.ts";
import { segmentTexts } from "../../catalogue/transcript-store.ts";
import { UserError } from "../../core/errors.ts";
import { jobIsRetrying } from "../../db/jobs.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure } from "../../web/form.ts";
import { t } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { baseAfter, checkBase } from "../edit-base.ts";
import { formTokenOf, newFormToken } from "../form-token.ts";
import { createItemFromForm, currentItem, editItem, itemFormOf, labelAudioTracks } from "../items.ts";
import { publishItem } from "../publish.ts";
import { sentenceCount } from "../transcript-timing.ts";
import { idOf } from "../validate.ts";
import { type ItemPageState, itemPage, itemValues } from "../views/item.ts";
import { type EditorPages, queryOf, routeId, timingStatusOf } from "./shared.ts";

const notices = {
  saved: "editor.saved",
  embargo_past: "editor.check.embargo_past",
  recorded_later: "editor.check.recorded_later",
  published: "editor.published.on",
  unpublished: "editor.published.off",
  when_ready: "editor.published.when_ready",
  not_when_ready: "editor.published.not_when_ready",
  uploaded: "editor.upload.item_uploaded",
  audio: "editor.audio.saved",
  live_ended: "editor.live.ended_done",
  key_renewed: "editor.live.key_renewed",
} as const;

type Notice = keyof typeof notices;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The notices a redirect names (`?done=saved,embargo_past`), in that order; any other name is left out. */
function noticesOf(done: unknown): Notice[] {
  if (typeof done !== "string") return [];
  return done.split(",").filter((name): name is Notice => Object.hasOwn(notices, name));
}

/** Create and edit media items: texts, rights, embargo, publication, audio track labels. */
export function editorItemRoutes(app: FastifyInstance, p: EditorPages): void {
  const { lang, db } = p;
  const deps = { db, now: p.now, timeZone: p.timeZone };
  const itemUrl = (id: number, done: Notice | Notice[]) =>
    `/${lang}/editor/items/${id}?done=${[done].flat().join(",")}`;

  // An embargo time already past holds nothing back, and a recording made tomorrow is likely a
  // typo in the year: saved, but said; both, when both (only the first was said: found by hand).
  const savedNotices = async (id: number): Promise<Notice[]> => {
    const item = await findItem(db, id);
    const now = p.now();
    const past = item?.embargoUntil != null && item.embargoUntil <= now;
    const later = item?.recordedAt != null && item.recordedAt.getTime() > now.getTime() + DAY_MS;
    return [
      "saved",
      ...(past ? ["embargo_past" as const] : []),
      ...(later ? ["recorded_later" as const] : []),
    ];
  };

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    itemId: number | null,
    status: number,
    overrides: Partial<ItemPageState> = {},
  ) => {
    const item = itemId === null ? null : await findItem(db, itemId);
    if (itemId !== null && !item) throw new UserError("item_not_found");
    const fromEvent = idOf(queryOf(request).event);
    const state: ItemPageState = {
      item,
      master: item ? await findMaster(db, item.id) : null,
      segmentCount: item ? sentenceCount(await segmentTexts(db, item.id)) : 0,
      events: await allEventChoices(db),
      values: item
        ? itemValues(item, p.timeZone)
        : { event_id: fromEvent ? String(fromEvent) : "", media_type: "video" },
      info: null,
      message: null,
      errors: {},
      audioErrors: {},
      timeZone: p.timeZone,
      now: p.now(),
      retrying:
        item !== null && item.status !== "ready" && (await jobIsRetrying(db, "media.process", item.id)),
      ...(item ? { timing: await timingStatusOf(db, item.id) } : {}),
      live: item ? await liveView(db, p.config, item.id) : null,
      publishWhenReady: item ? await publishWhenReadyAsked(db, item.id) : false,
      eventDraft: item?.eventId ? (await findEvent(db, item.eventId))?.publishedAt === null : false,
      publishMessage: null,
      ...(item ? {} : { formToken: newFormToken() }),
      ...overrides,
    };
    return sendHtml(reply, status, itemPage(pageContext(lang, request, reply), state));
  };

  app.get("/items/new", (request, reply) => show(request, reply, null, 200));

  app.post("/items", async (request, reply) => {
    try {
      const id = await createItemFromForm(deps, request.body);
      return reply.redirect(itemUrl(id, await savedNotices(id)), 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      // Shown again with the token it was sent with (nothing was made with it): see routes/events.ts.
      const formToken = formTokenOf(request.body) ?? newFormToken();
      return show(request, reply, null, failure.status, {
        ...failure,
        values: itemFormOf(request.body),
        formToken,
      });
    }
  });

  app.get("/items/:itemId", (request, reply) => {
    const shown = noticesOf(queryOf(request).done).map((name) => t(lang, notices[name]));
    const info = shown.length > 0 ? shown : null;
    return show(request, reply, routeId(request, "itemId", "item_not_found"), 200, { info });
  });

  app.post("/items/:itemId", async (request, reply) => {
    const id = routeId(request, "itemId", "item_not_found");
    const { item, version } = await currentItem(deps, id);
    const stored = itemValues(item, p.timeZone);
    try {
      checkBase(request.body, stored);
      await editItem(deps, id, request.body, version);
      return reply.redirect(itemUrl(id, await savedNotices(id)), 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, id, failure.status, {
        ...failure,
        values: itemFormOf(request.body),
        base: baseAfter(error, request.body, stored),
      });
    }
  });

  for (const [action, publish] of [
    ["publish", true],
    ["unpublish", false],
  ] as const) {
    app.post(`/items/:itemId/${action}`, async (request, reply) => {
      const id = routeId(request, "itemId", "item_not_found");
      try {
        return reply.redirect(itemUrl(id, await publishItem(deps, id, publish)), 303);
      } catch (error) {
        const failure = formFailure(lang, error);
        return show(request, reply, id, failure.status, { publishMessage: failure.message });
      }
    });
  }

  app.post("/items/:itemId/audio", async (request, reply) => {
    const id = routeId(request, "itemId", "item_not_found");
    try {
      await labelAudioTracks(deps, id, request.body);
      return reply.redirect(itemUrl(id, "audio"), 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, id, failure.status, { audioErrors: failure.errors });
    }
  });
}
