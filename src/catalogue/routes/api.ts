import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { ErrorBody } from "../../web/api-schema.ts";
import { versionTag } from "../../web/etag.ts";
import { type Lang, languageFromHeader } from "../../web/i18n.ts";
import { Id } from "../../web/ids.ts";
import { canPlay, viewerOf } from "../access.ts";
import { alignmentsOf } from "../alignment-store.ts";
import {
  eventJson,
  eventSummaryJson,
  itemJson,
  itemSummaryJson,
  liveJson,
  transcriptTimingJson,
} from "../api-json.ts";
import { loadEvent, loadItem } from "../browse.ts";
import { eventVersion, latestEvents } from "../event-store.ts";
import { hasMark, plainText } from "../highlight.ts";
import { itemVersion } from "../item-store.ts";
import { liveView } from "../live.ts";
import { eventNinjs, itemNinjs } from "../ninjs.ts";
import { FormatQuery, jsonOrNinjs, sendNinjs, wantsNinjs } from "../ninjs-http.ts";
import { eventTimes, itemFacts } from "../ninjs-store.ts";
import {
  EventDetailJson,
  EventList,
  EventListQuery,
  ItemJson,
  SearchAnswerJson,
  SearchQuery,
  SuggestionsJson,
  SuggestQuery,
} from "../schema.ts";
import { matchedIn, searchCatalogue, suggest } from "../search.ts";
import { absolute, itemPath, mediaUrl } from "../urls.ts";
import { timecodeLabel } from "../views/format.ts";

const PAGE_SIZE = 20;
const errors = { 400: ErrorBody, 404: ErrorBody };

/** The public catalogue as JSON under /api/v1, for newsroom tools and the browser islands. */
export function catalogueApi(deps: FeatureDeps) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const linksFor = (request: FastifyRequest, lang: Lang | undefined) => ({
      publicUrl: deps.config.publicUrl,
      lang: lang ?? languageFromHeader(request.headers["accept-language"]),
    });

    app.get(
      "/api/v1/events",
      {
        schema: {
          tags: ["catalogue"],
          summary: "Latest published events, newest first",
          querystring: EventListQuery,
          response: { 200: EventList, ...errors },
        },
      },
      async (request) => {
        const page = request.query.page ?? 1;
        const found = await latestEvents(deps.db, deps.now(), {
          limit: PAGE_SIZE + 1,
          offset: (page - 1) * PAGE_SIZE,
        });
        const links = linksFor(request, request.query.lang);
        return {
          events: found.slice(0, PAGE_SIZE).map((e) => eventJson(links, e)),
          page,
          hasMore: found.length > PAGE_SIZE,
        };
      },
    );

    app.get(
      "/api/v1/events/:slug",
      {
        schema: {
          tags: ["catalogue"],
          summary: "An event with its programme and items",
          params: {
            type: "object",
            properties: { slug: { type: "string", maxLength: 200 } },
            required: ["slug"],
          },
          querystring: FormatQuery,
          response: { 200: jsonOrNinjs(EventDetailJson, "The event, as JSON or IPTC ninjs"), ...errors },
        },
      },
      async (request, reply) => {
        const viewer = viewerOf(request, deps.now);
        const { slug } = request.params as { slug: string };
        const event = await loadEvent(deps.db, viewer, slug);
        const links = linksFor(request, request.query.lang);
        if (wantsNinjs(request, reply, request.query.format)) {
          const times = await eventTimes(deps.db, event.id);
          if (!times) throw new UserError("event_not_found");
          return sendNinjs(reply, eventNinjs(links, viewer, event, times));
        }
        // An editor's copy carries the ETag the editors' API checks If-Match against (issue 13).
        const version = viewer.editor ? await eventVersion(deps.db, event.id) : null;
        if (version !== null) reply.header("etag", versionTag("event", event.id, version));
        const pictured = event.items.find((i) => i.renditions.poster && canPlay(i, viewer));
        const poster = pictured ? mediaUrl(pictured.id, pictured.renditions.poster) : null;
        return {
          event: {
            ...eventJson(links, { ...event, poster: null }),
            posterUrl: poster ? absolute(deps.config.publicUrl, poster) : null,
            body: event.body,
          },
          programme: event.programme.map((p) => ({
            position: p.position,
            startsAt: p.startsAt?.toISOString() ?? null,
            title: p.title,
            itemId: p.item?.id ?? null,
          })),
          items: event.items.map((i) => itemSummaryJson(links, viewer, i)),
        };
      },
    );

    app.get(
      "/api/v1/items/:id",
      {
        schema: {
          tags: ["catalogue"],
          summary: "A media item: status, timing, embargo, transcript, preview",
          params: Type.Object({ id: Id }),
          querystring: FormatQuery,
          response: {
            200: jsonOrNinjs(ItemJson, "The item, as JSON or IPTC ninjs"),
            403: ErrorBody,
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const viewer = viewerOf(request, deps.now);
        const { id } = request.params as { id: number };
        const item = await loadItem(deps.db, viewer, id);
        const links = linksFor(request, request.query.lang);
        if (wantsNinjs(request, reply, request.query.format)) {
          const facts = await itemFacts(deps.db, id);
          if (!facts) throw new UserError("item_not_found");
          return sendNinjs(reply, itemNinjs(links, viewer, item, facts));
        }
        const live = await liveView(deps.db, deps.config, id);
        const json = {
          ...itemJson(links, viewer, item),
          ...(live ? { live: liveJson(links, viewer, item, live) } : {}),
        };
        if (!viewer.editor) return json;
        // The ETag the editors' API checks If-Match against (issue 13).
        const version = await itemVersion(deps.db, id);
        if (version !== null) reply.header("etag", versionTag("item", id, version));
        const timings = await alignmentsOf(deps.db, id);
        return { ...json, transcriptTiming: timings.map((a) => transcriptTimingJson(a, links.lang)) };
      },
    );

    app.get(
      "/api/v1/suggest",
      {
        schema: {
          tags: ["search"],
          summary: "Speakers, events and titles for the words being typed (the last one may be a beginning)",
          querystring: SuggestQuery,
          response: { 200: SuggestionsJson, ...errors },
        },
      },
      async (request) => {
        const lang = linksFor(request, request.query.lang).lang;
        const found = await suggest(deps.db, deps.now(), lang, request.query.q ?? "");
        return {
          suggestions: found.map((s) => ({ ...s, url: absolute(deps.config.publicUrl, s.path) })),
        };
      },
    );

    app.get(
      "/api/v1/search",
      {
        schema: {
          tags: ["search"],
          summary: "Full-text search of titles, summaries, shot lists and transcripts, best first",
          querystring: SearchQuery,
          response: { 200: SearchAnswerJson, ...errors },
        },
      },
      async (request) => {
        const now = deps.now();
        const viewer = { editor: false, now };
        const links = linksFor(request, request.query.lang);
        const answer = await searchCatalogue(deps.db, now, request.query);
        return {
          results: answer.results.map((r) => ({
            item: itemSummaryJson(links, viewer, r.item),
            event: r.item.event?.published ? eventSummaryJson(links, r.item.event) : null,
            matchedIn: matchedIn(r, links.lang),
            excerpt: hasMark(r.excerpt[links.lang]) ? plainText(r.excerpt[links.lang]) : "",
            hits: r.hits.map((h) => ({
              start: h.start,
              end: h.end,
              timecode: h.start === null ? null : timecodeLabel(h.start, r.clock),
              text: plainText(h.headline),
              speaker: h.speaker,
              lang: h.lang,
              spokenLang: h.spokenLang,
              url: absolute(deps.config.publicUrl, itemPath(links.lang, r.item.id, h.start)),
            })),
            moreHits: r.moreHits,
          })),
          total: answer.total,
          capped: answer.capped,
          truncated: answer.truncated,
          facets: answer.facets,
          page: answer.page,
          hasMore: answer.hasMore,
        };
      },
    );
  };
}
