import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { ErrorBody } from "../../web/api-schema.ts";
import { languageFromHeader } from "../../web/i18n.ts";
import { Id } from "../../web/ids.ts";
import { assertPlayable, viewerOf } from "../access.ts";
import { loadItem } from "../browse.ts";
import { plainText } from "../highlight.ts";
import { TranscriptMatchesJson, TranscriptSearchQuery } from "../schema.ts";
import { markRanges, searchTranscript } from "../transcript-search.ts";
import { spokenLanguage } from "../types.ts";
import { absolute, itemPath } from "../urls.ts";
import { timecodeLabel } from "../views/format.ts";

/**
 * Search inside one item's transcript as JSON (issue 10): the sentences the item page lists
 * and marks on its timeline, for newsroom tools and the browser. An embargoed item answers 403
 * like its media: its transcript is not searched before it may play.
 */
export function transcriptSearchApi(deps: FeatureDeps) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      "/api/v1/items/:id/transcript/search",
      {
        schema: {
          tags: ["catalogue"],
          summary: "The sentences of an item's transcript that hold the words, in the order they were spoken",
          params: Type.Object({ id: Id }),
          querystring: TranscriptSearchQuery,
          response: { 200: TranscriptMatchesJson, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const viewer = viewerOf(request, deps.now);
        const item = await loadItem(deps.db, viewer, request.params.id);
        assertPlayable(item, viewer);
        const lang = request.query.lang ?? languageFromHeader(request.headers["accept-language"]);
        const search = await searchTranscript(deps.db, viewer, item, request.query.q);
        if (search.kind === "needs_words") throw new UserError("search_needs_words");
        if (search.kind === "common_words") throw new UserError("search_common_words");
        const matches = search.kind === "found" ? search.matches : [];
        return {
          matches: matches.map((m) => ({
            position: m.position,
            start: m.startSeconds,
            end: m.endSeconds,
            timecode: m.startSeconds === null ? null : timecodeLabel(m.startSeconds, item.master),
            speaker: m.speaker,
            lang: m.lang,
            spokenLang: spokenLanguage(m),
            text: plainText(m.headline),
            marks: markRanges(m.headline),
            url: absolute(deps.config.publicUrl, itemPath(lang, item.id, m.startSeconds)),
          })),
          total: search.kind === "found" ? search.total : 0,
          truncated: search.kind === "found" && search.truncated,
        };
      },
    );
  };
}
