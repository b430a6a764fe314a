import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { findItem, itemById } from "../../catalogue/item-store.ts";
import { transcriptOf } from "../../catalogue/transcript-store.ts";
import { undoReplacedAt } from "../../catalogue/transcript-undo-store.ts";
import { playerHtml } from "../../catalogue/views/player.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { acceptFileForms } from "../../web/file-form.ts";
import { formFailure, formValue } from "../../web/form.ts";
import { html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { replaceLanguage, startAlignment } from "../alignment.ts";
import { retimeAround } from "../retime.ts";
import { type ItemClock, typedStart } from "../transcript-timing.ts";
import {
  isSubtitleFile,
  readSubtitles,
  replaceWithSubtitles,
  restorePreviousTranscript,
  saveTiming,
  transcriptLang,
  uploadedText,
} from "../transcripts.ts";
import { type TimingState, timingPage } from "../views/timing.ts";
import { stillTiming } from "../views/timing-status.ts";
import { type TranscriptState, transcriptPage } from "../views/transcript.ts";
import { type EditorPages, queryOf, routeId, timingStatusOf } from "./shared.ts";

// A confirmed upload comes back as form text; an hour of subtitles is well under this.
const transcriptBodyLimit = 4 * 1024 * 1024;
// A subtitle file and the form's few fields (language, CSRF token).
const uploadLimits = { fileSize: 2 * 1024 * 1024, files: 1, fields: 20 };

/**
 * The transcript of an item: upload WebVTT/SRT (preview, then replace), or paste text and have it
 * timed against the speech (issue 11) or time it by hand.
 */
export function editorTranscriptRoutes(app: FastifyInstance, p: EditorPages): void {
  const { lang, db } = p;
  const deps = { db, jobs: p.jobs, now: p.now };
  const base = (id: number) => `/${lang}/editor/items/${id}/transcript`;

  const itemOf = async (request: FastifyRequest) => {
    const item = await findItem(db, routeId(request, "itemId", "item_not_found"));
    if (!item) throw new UserError("item_not_found");
    return item;
  };

  /** The master's clock, on which times are shown and typed (null before a master is probed). */
  const clockOf = async (itemId: number): Promise<ItemClock | null> =>
    (await itemById(db, p.now(), itemId))?.master ?? null;

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    o: Partial<TranscriptState> = {},
    { sentToWatch = false } = {},
  ) => {
    const item = await itemOf(request);
    const timing = await timingStatusOf(db, item.id);
    const state: TranscriptState = {
      item,
      clock: await clockOf(item.id),
      segments: await transcriptOf(db, item.id),
      preview: null,
      values: {},
      // The page reloads itself when the timing ends (client/alignment-watch.ts), at the same
      // address: "is being timed" is said only while it is.
      info: sentToWatch && stillTiming(timing) ? t(lang, "editor.transcript.aligning") : null,
      message: null,
      errors: {},
      failed: null,
      timing,
      timeZone: p.timeZone,
      undoAt: await undoReplacedAt(db, item.id),
      ...o,
    };
    return sendHtml(reply, status, transcriptPage(pageContext(lang, request, reply), state));
  };

  const showTiming = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    o: Partial<TimingState> = {},
  ) => {
    const item = await itemOf(request);
    const segments = await transcriptOf(db, item.id);
    const detail = await itemById(db, p.now(), item.id);
    const state: TimingState = {
      item,
      segments,
      player: detail ? playerHtml(lang, { ...detail, transcript: [] }, null) : html``,
      values: Object.fromEntries(
        segments.map((s) => [`start_${s.position}`, typedStart(s, detail?.master ?? null)]),
      ),
      info: null,
      message: null,
      errors: {},
      timing: await timingStatusOf(db, item.id),
      timeZone: p.timeZone,
      retimeLang: segments.some((s) => s.lang === lang) ? lang : (segments[0]?.lang ?? lang),
      clock: detail?.master ?? null,
      ...o,
    };
    return sendHtml(reply, status, timingPage(pageContext(lang, request, reply), state));
  };

  app.get("/items/:itemId/transcript", (request, reply) => {
    const done = queryOf(request).done;
    if (done === "replaced")
      return show(request, reply, 200, { info: t(lang, "editor.transcript.replaced") });
    if (done === "restored")
      return show(request, reply, 200, { info: t(lang, "editor.transcript.restored") });
    return show(request, reply, 200, {}, { sentToWatch: done === "aligning" });
  });

  // Step 1 of an upload: read the file and show what it holds; nothing is stored yet.
  const upload = async (request: FastifyRequest, reply: FastifyReply) => {
    const item = await itemOf(request);
    const values = { lang: formValue(request.body, "lang") };
    try {
      const text = uploadedText((request.body as Record<string, unknown> | undefined)?.file);
      const transcriptLanguage = transcriptLang(values.lang, "lang");
      if (!isSubtitleFile(text)) {
        // An as-delivered text as a file: into the text form, to be timed (or stored) from there.
        const loaded = { text, text_lang: transcriptLanguage };
        return show(request, reply, 200, { info: t(lang, "editor.transcript.text_loaded"), values: loaded });
      }
      // Checked against the master's length when it is known: a cue after its end is named here.
      const segments = readSubtitles(text, transcriptLanguage, item.durationSeconds);
      return show(request, reply, 200, { preview: { segments, text, lang: transcriptLanguage }, values });
    } catch (error) {
      const failure = formFailure(lang, error);
      // A parse error names its line; it is the file's problem, so it is shown at the file field.
      const errors = Object.keys(failure.errors).length ? failure.errors : { file: [failure.message] };
      return show(request, reply, failure.status, { ...failure, errors, values, failed: "upload" });
    }
  };
  // The workspace's only form that sends a file, so the only route in a scope that reads multipart.
  void app.register(async (files) => {
    await acceptFileForms(files, uploadLimits);
    files.post("/items/:itemId/transcript/upload", upload);
  });

  // Step 2: the editor confirmed the preview.
  app.post(
    "/items/:itemId/transcript/replace",
    { bodyLimit: transcriptBodyLimit },
    async (request, reply) => {
      const item = await itemOf(request);
      try {
        const text = formValue(request.body, "text");
        await replaceWithSubtitles(
          db,
          item,
          text,
          transcriptLang(formValue(request.body, "lang"), "lang"),
          p.now(),
        );
        return reply.redirect(`${base(item.id)}?done=replaced`, 303);
      } catch (error) {
        const failure = formFailure(lang, error);
        return show(request, reply, failure.status, {
          ...failure,
          errors: { file: [failure.message] },
          failed: "upload",
        });
      }
    },
  );

  // The transcript as it was before its last replacement; the current one takes its place there.
  app.post("/items/:itemId/transcript/restore", async (request, reply) => {
    const item = await itemOf(request);
    try {
      await restorePreviousTranscript(db, item.id, p.now());
      return reply.redirect(`${base(item.id)}?done=restored`, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, failure.status, { info: failure.message });
    }
  });

  app.post("/items/:itemId/transcript/text", { bodyLimit: transcriptBodyLimit }, async (request, reply) => {
    const item = await itemOf(request);
    const values = {
      text: formValue(request.body, "text"),
      text_lang: formValue(request.body, "text_lang"),
      // An unticked box sends nothing: stored untimed, as before timing was automatic.
      align: formValue(request.body, "align") === "on" ? "on" : "",
    };
    try {
      const textLang = transcriptLang(values.text_lang, "text_lang");
      if (values.align === "on") {
        await startAlignment(deps, { itemId: item.id, lang: textLang, text: values.text });
        return reply.redirect(`${base(item.id)}?done=aligning`, 303);
      }
      // Only that language's sentences are replaced: a bilingual transcript keeps the other one.
      await replaceLanguage(deps, item.id, textLang, values.text);
      return reply.redirect(`${base(item.id)}/timing?done=split`, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      // The service names the text's language `lang`, as the API does; this form's field is `text_lang`.
      const { lang: langProblems, ...others } = failure.errors;
      const errors = langProblems ? { ...others, text_lang: langProblems } : failure.errors;
      return show(request, reply, failure.status, { ...failure, errors, values, failed: "text" });
    }
  });

  app.get("/items/:itemId/transcript/timing", (request, reply) => {
    const done = queryOf(request).done;
    const info =
      done === "split"
        ? t(lang, "editor.timing.split")
        : done === "saved"
          ? t(lang, "editor.timing.saved")
          : null;
    return showTiming(request, reply, 200, { info });
  });

  app.post("/items/:itemId/transcript/timing", async (request, reply) => {
    const item = await itemOf(request);
    const typed = (position: number) => formValue(request.body, `start_${position}`);
    const retimeLang = formValue(request.body, "retime_lang");
    try {
      const clock = await clockOf(item.id);
      if (formValue(request.body, "retime") === "1") {
        await retimeAround(deps, item, { typed, lang: retimeLang }, clock);
        return reply.redirect(`${base(item.id)}?done=aligning`, 303);
      }
      await saveTiming(db, item, typed, clock);
      return reply.redirect(`${base(item.id)}/timing?done=saved`, 303);
    } catch (error) {
      const failure = formFailure(lang, error);
      const segments = await transcriptOf(db, item.id);
      const values = Object.fromEntries(segments.map((s) => [`start_${s.position}`, typed(s.position)]));
      return showTiming(request, reply, failure.status, {
        ...failure,
        values,
        ...(retimeLang ? { retimeLang } : {}),
      });
    }
  });
}
