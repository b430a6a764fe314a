import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { transcriptTimingJson } from "../../catalogue/api-json.ts";
import { findItem } from "../../catalogue/item-store.ts";
import { TranscriptTimingJson } from "../../catalogue/schema.ts";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { ErrorBody } from "../../web/api-schema.ts";
import { requireEditor } from "../../web/guards.ts";
import { languageFromHeader } from "../../web/i18n.ts";
import { Id } from "../../web/ids.ts";
import { replaceLanguage, replaceLanguageWithSubtitles, startAlignment } from "../alignment.ts";
import { restorePreviousTranscript } from "../transcripts.ts";

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody };

const TranscriptBody = Type.Object({
  lang: Type.Union([Type.Literal("en"), Type.Literal("fr")], {
    description:
      "The language of the text (of a bilingual text, either). A plain text nine tenths in the other language is refused (400, `fields.lang` says which language it is in)",
  }),
  text: Type.String({
    description:
      'The as-delivered text: sentences in paragraphs; "Name:" at the start of a paragraph names the speaker; Q&A turns as the plain-text transcript format reads them; headings and (annotations) that were never spoken are allowed. A bilingual speech may be given whole under one `lang`: paragraphs and sentences found to be in the other language are timed in that language\'s voice, and stored under `lang`; the other language\'s transcript keeps its sentences except those this text also holds, which would show twice. With `format` "vtt" or "srt": the timed file itself',
  }),
  format: Type.Optional(
    Type.Union([Type.Literal("text"), Type.Literal("vtt"), Type.Literal("srt")], {
      description:
        '"text" (the default): plain text, timed as `timing` says; "vtt" / "srt": a WebVTT or SubRip file, stored with its own times (answers 200)',
    }),
  ),
  timing: Type.Optional(
    Type.Union([Type.Literal("align"), Type.Literal("none")], {
      description:
        'For plain text (required then): "align": timed against the item\'s audio in the background (answers 202; GET /api/v1/items/{id} shows `transcriptTiming`); "none": stored untimed at once',
    }),
  ),
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
          summary:
            "Give an item's transcript in one language: plain text (timed automatically or not) or a timed WebVTT/SRT file",
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
        const format = request.body.format ?? "text";
        const replyLang = languageFromHeader(request.headers["accept-language"]);
        if (format !== "text") {
          // A timed file keeps its own times: there is nothing to align.
          if (timing === "align") throw new UserError("invalid_input", {}, { timing: ["field.invalid"] });
          const sentences = await replaceLanguageWithSubtitles(deps, id, lang, text, format);
          return reply.status(200).send({ sentences });
        }
        if (!timing) throw new UserError("invalid_input", {}, { timing: ["field.required"] });
        if (timing === "none") {
          const sentences = await replaceLanguage(deps, id, lang, text);
          return reply.status(200).send({ sentences });
        }
        const alignment = await startAlignment(deps, { itemId: id, lang, text });
        return reply.status(202).send({ timing: transcriptTimingJson(alignment, replyLang) });
      },
    );

    app.post(
      "/api/v1/items/:id/transcript/restore",
      {
        schema: {
          tags: ["editor"],
          summary: "Put back the item's transcript as it was before its last replacement",
          description:
            "Every replacement (a text timed or stored, a WebVTT/SRT file, an import) keeps the transcript it replaces, all languages, one step back. This puts it back and keeps the current one in its place, so a second call returns to it. 409 `transcript_nothing_to_restore` when none is kept.",
          params: Type.Object({ id: Id }),
          response: { 200: Type.Object({ sentences: Type.Integer() }), ...errors, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        requireEditor(request);
        const { id } = request.params;
        if (!(await findItem(deps.db, id))) throw new UserError("item_not_found");
        const sentences = await restorePreviousTranscript(deps.db, id, deps.now());
        return reply.status(200).send({ sentences });
      },
    );
  };
}
