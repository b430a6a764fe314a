import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { editorFirst } from "../web/guards.ts";
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
    await app.register(async (api) => {
      // Every route here is an editor's, and who is asking is known from the headers: anyone else
      // gets the 401 or 403 before the body is read or checked against the route's schema.
      api.addHook("onRequest", editorFirst);
      await api.register(editorApiRoutes(deps));
      await api.register(editorEventApi(deps));
      await api.register(editorItemApi(deps));
      await api.register(editorProgrammeApi(deps));
    });
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
