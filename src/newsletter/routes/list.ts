import type { FastifyInstance } from "fastify";
import { countSubscribers } from "../../accounts/store.ts";
import { pageContext } from "../../web/context.ts";
import { requireEditor } from "../../web/guards.ts";
import { languages } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { createDraft } from "../compose.ts";
import { listIssues } from "../deliveries-store.ts";
import { issueListView } from "../views/list.ts";
import { newsletterPath } from "../views/shared.ts";
import type { NewsletterPageDeps } from "./shared.ts";

export function listRoutes(app: FastifyInstance, deps: NewsletterPageDeps): void {
  for (const lang of languages) {
    app.get(newsletterPath(lang), async (request, reply) => {
      const [issues, subscribers] = await Promise.all([
        listIssues(deps.db, deps.now()),
        countSubscribers(deps.db),
      ]);
      return sendHtml(reply, 200, issueListView(pageContext(lang, request, reply), issues, subscribers));
    });

    app.post(newsletterPath(lang), async (request, reply) => {
      const id = await createDraft(deps, requireEditor(request));
      return reply.redirect(newsletterPath(lang, id, "edit"), 303);
    });
  }
}
