import fs from "node:fs";
import path from "node:path";
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { languages } from "../web/i18n.ts";
import { editorGuard } from "./guard.ts";
import { dashboardPage } from "./pages/dashboard.ts";
import { eventPages } from "./pages/events.ts";
import { itemPages } from "./pages/items.ts";
import { programmePages } from "./pages/programme.ts";
import type { EditorPages } from "./pages/shared.ts";
import { transcriptPages } from "./pages/transcripts.ts";
import { uploadPages } from "./upload/routes.ts";
import { editorTimeZone } from "./zoned-time.ts";

const stylesheet = fs.readFileSync(path.join(import.meta.dirname, "editor.css"), "utf8");

/** Editor workspace: events, programme, items, transcripts, embargo, publishing (role editor). */
export function editorRoutes(deps: FeatureDeps) {
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
    for (const lang of languages) {
      const pages: EditorPages = { db: deps.db, now: deps.now, lang, timeZone: editorTimeZone };
      await app.register(
        async (scope) => {
          scope.addHook("onRequest", editorGuard(lang));
          scope.get("/editor.css", async (_request, reply) =>
            reply
              .type("text/css; charset=utf-8")
              .header("cache-control", "private, max-age=3600")
              .send(stylesheet),
          );
          dashboardPage(scope, pages);
          eventPages(scope, pages);
          programmePages(scope, pages);
          itemPages(scope, pages);
          transcriptPages(scope, pages);
          uploadPages(scope, pages);
        },
        { prefix: `/${lang}/editor` },
      );
    }
  };
}
