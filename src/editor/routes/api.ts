import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { transcriptTimingJson } from "../../catalogue/api-json.ts";
import { TranscriptTimingJson } from "../../catalogue/schema.ts";
import type { FeatureDeps } from "../../core/deps.ts";
import { ErrorBody } from "../../web/api-schema.ts";
import { requireEditor } from "../../web/guards.ts";
import { languageFromHeader } from "../../web/i18n.ts";
import { Id } from "../../web/ids.ts";
import { replaceLanguage, startAlignment } from "../alignment.ts";

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody };

const TranscriptBody = Type.Object({
  lang: Type.Union([Type.Literal("en"), Type.Literal("fr")], { description: "The language of the text" }),
  text: Type.String({
    description:
      'The as-delivered text: sentences in paragraphs; "Name:" at the start of a paragraph names the speaker; Q&A turns as the plain-text transcript format reads them; headings and (annotations) that were never spoken are allowed',
  }),
  timing: Type.Union([Type.Literal("align"), Type.Literal("none")], {
    description:
      '"align": timed against the item\'s audio in the background (answers 202; GET /api/v1/items/{id} shows `transcriptTiming`); "none": stored untimed at once',
  }),
});

// A 2 MB paste must reach the service, which answers with how long it is and what is allowed.
const BODY_LIMIT = 4 * 1024 * 1024;

/** The editors' JSON API for transcripts (issue 11): give the text, have it timed. */
export function editorApiRoutes(deps: FeatureDeps) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      "/api/v1/items/:id/transcript",
      {
        bodyLimit: BODY_LIMIT,
        schema: {
          tags: ["editor"],
          summary: "Give an item's transcript in one language as plain text, timed automatically or not",
          params: Type.Object({ id: Id }),
          body: TranscriptBody,
          response: {
            200: Type.Object({ sentences: Type.Integer() }),
            202: Type.Object({ timing: TranscriptTimingJson }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        requireEditor(request);
        const { id } = request.params;
        const { lang, text, timing } = request.body;
        const replyLang = languageFromHeader(request.headers["accept-language"]);
        if (timing === "none") {
          const sentences = await replaceLanguage(deps, id, lang, text);
          return reply.status(200).send({ sentences });
        }
        const alignment = await startAlignment(deps, { itemId: id, lang, text });
        return reply.status(202).send({ timing: transcriptTimingJson(alignment, replyLang) });
      },
    );
  };
}
