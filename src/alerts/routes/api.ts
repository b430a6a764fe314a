import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { ErrorBody } from "../../web/api-schema.ts";
import { requestLanguage } from "../../web/error-handler.ts";
import { requireUser } from "../../web/guards.ts";
import type { Lang } from "../../web/i18n.ts";
import { Id } from "../../web/ids.ts";
import {
  feedLinks,
  filtersOf,
  removeSavedSearch,
  renewFeedToken,
  saveSearch,
  searchParams,
} from "../saved-searches.ts";
import { SavedSearchBody, SavedSearchJson, type SavedSearchJsonType, SavedSearchList } from "../schema.ts";
import { listSavedSearches, type SavedSearch } from "../store.ts";

export function savedSearchJson(
  publicUrl: string,
  lang: Lang,
  search: SavedSearch,
  token: string | null,
): SavedSearchJsonType {
  return {
    id: search.id,
    name: search.name,
    query: search.words,
    filters: filtersOf(search),
    alert: search.alert,
    createdAt: search.createdAt.toISOString(),
    searchUrl: `${publicUrl}/${lang}/search?${searchParams(search)}`,
    feeds: { ...feedLinks(publicUrl, lang, search.id, token), ...(token ? { token } : {}) },
  };
}

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

/** GET/POST /api/v1/me/saved-searches, DELETE …/{id}, POST …/{id}/feed-token: a session or an API token. */
export function savedSearchesApi(deps: FeatureDeps) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const publicUrl = deps.config.publicUrl;

    app.get(
      "/me/saved-searches",
      {
        schema: {
          tags: ["alerts"],
          summary: "The user's saved searches",
          response: { 200: SavedSearchList, 401: ErrorBody },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const lang = requestLanguage(request);
        const list = await listSavedSearches(deps.db, user.id);
        return { savedSearches: list.map((s) => savedSearchJson(publicUrl, lang, s, null)) };
      },
    );

    app.post(
      "/me/saved-searches",
      {
        schema: {
          tags: ["alerts"],
          summary: "Save a search (words and/or filters) with its alert; the answer has its feeds' token",
          body: SavedSearchBody,
          response: { 201: SavedSearchJson, ...errors },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const { search, feedToken } = await saveSearch(deps, user.id, request.body);
        return reply
          .status(201)
          .send(savedSearchJson(publicUrl, requestLanguage(request), search, feedToken));
      },
    );

    app.delete(
      "/me/saved-searches/:id",
      {
        schema: {
          tags: ["alerts"],
          summary: "Delete a saved search (its alerts and feeds end)",
          params: Type.Object({ id: Id }),
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await removeSavedSearch(deps, requireUser(request).id, request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/me/saved-searches/:id/feed-token",
      {
        schema: {
          tags: ["alerts"],
          summary: "A new feed token for a saved search: the old feed addresses stop working",
          params: Type.Object({ id: Id }),
          response: { 200: SavedSearchJson, ...errors },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const token = await renewFeedToken(deps, user.id, request.params.id);
        const search = (await listSavedSearches(deps.db, user.id)).find((s) => s.id === request.params.id)!;
        return savedSearchJson(publicUrl, requestLanguage(request), search, token);
      },
    );
  };
}
