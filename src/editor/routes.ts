import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { languages } from "../web/i18n.ts";
import { formPageFallback } from "./form-targets.ts";
import { editorGuard } from "./guard.ts";
import type { LiveControl } from "./live.ts";
import { editorApiRoutes } from "./routes/api.ts";
import { editorEventApi } from "./routes/api-events.ts";
import { editorItemApi } from "./routes/api-items.ts";
import { editorProgrammeApi } from "./routes/api-programme.ts";
import { editorDashboardRoutes } from "./routes/dashboard.ts";
import { editorEventRoutes } from "./routes/events.ts";
import { editorItemRoutes } from "./routes/items.ts";
import { editorLiveRoutes } from "./routes/live.ts";
import { editorProgrammeRoutes } from "./routes/programme.ts";
import type { EditorPages } from "./routes/shared.ts";
import { editorTranscriptRoutes } from "./routes/transcripts.ts";
import { editorUploadRoutes } from "./routes/upload.ts";
import { editorTimeZone } from "./zoned-time.ts";

/**
 * Editor workspace: events, programme, items, transcripts, embargo, publishing (role editor).
 * `live`: ingest's live items, handed in by the app (the editor does not import ingest).
 */
export function editorRoutes(deps: FeatureDeps, options: { live?: LiveControl } = {}) {
  return async (app: FastifyInstance) => {
    // Transcript files come as multipart forms; fields land in `request.body` like any form,
    // so the CSRF check reads `_csrf` from there. Only this plugin parses multipart.
    // An upload larger than the limit is the editor's mistake, not ours: say so in their language.
    app.setErrorHandler((error) => {
      if ((error as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE")
        throw new UserError("upload_too_large");
      throw error;
    });
    await app.register(multipart, {
      attachFieldsToBody: "keyValues",
      limits: { fileSize: 2 * 1024 * 1024, files: 1, fields: 20 },
    });
    await app.register(editorApiRoutes(deps));
    await app.register(editorEventApi(deps));
    await app.register(editorItemApi(deps));
    await app.register(editorProgrammeApi(deps));
    for (const lang of languages) {
      const pages: EditorPages = {
        db: deps.db,
        jobs: deps.jobs,
        now: deps.now,
        lang,
        timeZone: editorTimeZone,
        config: deps.config,
        live: options.live ?? null,
      };
      await app.register(
        async (scope) => {
          scope.addHook("onRequest", editorGuard(lang));
          scope.setNotFoundHandler(formPageFallback(scope));
          editorDashboardRoutes(scope, pages);
          editorEventRoutes(scope, pages);
          editorProgrammeRoutes(scope, pages);
          editorItemRoutes(scope, pages);
          editorLiveRoutes(scope, pages);
          editorTranscriptRoutes(scope, pages);
          editorUploadRoutes(scope, pages);
        },
        { prefix: `/${lang}/editor` },
      );
    }
  };
}
