import type { FastifyInstance } from "fastify";
import { pageContext } from "../../web/context.ts";
import { languages } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { deliveryCounts } from "../deliveries-store.ts";
import { problemDeliveries } from "../sending.ts";
import { type IssueState, issueView } from "../views/issue.ts";
import { newsletterPath } from "../views/shared.ts";
import { issueOf, type NewsletterPageDeps } from "./shared.ts";

export function issueRoutes(app: FastifyInstance, deps: NewsletterPageDeps): void {
  for (const lang of languages) {
    app.get(newsletterPath(lang, ":id"), async (request, reply) => {
      const issue = await issueOf(deps, request);
      const state: IssueState =
        issue.status === "draft"
          ? { kind: "draft" }
          : {
              kind: "sending",
              counts: await deliveryCounts(deps.db, issue.id, deps.now()),
              problems: await problemDeliveries(deps.db, issue.id, deps.now()),
            };
      return sendHtml(reply, 200, issueView(pageContext(lang, request, reply), issue, state));
    });
  }
}
