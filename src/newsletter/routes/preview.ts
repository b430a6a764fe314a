import type { FastifyInstance, FastifyRequest } from "fastify";
import { unsubscribeUrl } from "../../accounts/profile.ts";
import { countSubscribers } from "../../accounts/store.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { requireEditor } from "../../web/guards.ts";
import { isLang, languages } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { newsletterMail } from "../message.ts";
import { sendTest } from "../sending.ts";
import { previewView } from "../views/preview.ts";
import { newsletterPath } from "../views/shared.ts";
import { issueOf, type NewsletterPageDeps } from "./shared.ts";

export function previewRoutes(app: FastifyInstance, deps: NewsletterPageDeps): void {
  // The preview shows the mail with the editor's own unsubscribe link in it.
  const links = (request: FastifyRequest) => ({
    publicUrl: deps.config.publicUrl,
    unsubscribeUrl: unsubscribeUrl(deps, requireEditor(request)),
  });

  for (const lang of languages) {
    app.get(newsletterPath(lang, ":id", "preview"), async (request, reply) => {
      const issue = await issueOf(deps, request);
      const tested = (request.query as Record<string, string | undefined>).tested === "1";
      const subscribers = await countSubscribers(deps.db);
      const mails = {
        en: newsletterMail(issue, "en", links(request)),
        fr: newsletterMail(issue, "fr", links(request)),
      };
      const ctx = pageContext(lang, request, reply);
      return sendHtml(reply, 200, previewView(ctx, issue, mails, subscribers.en + subscribers.fr, tested));
    });

    // The message's HTML alone, for the frame: its inline styles need their own policy.
    app.get(newsletterPath(lang, ":id", "preview", ":version"), async (request, reply) => {
      const version = (request.params as { version: string }).version;
      if (!isLang(version)) throw new UserError("not_found");
      const issue = await issueOf(deps, request);
      return reply
        .header(
          "content-security-policy",
          "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox",
        )
        .header("x-frame-options", "SAMEORIGIN")
        .type("text/html; charset=utf-8")
        .send(newsletterMail(issue, version, links(request)).html);
    });

    app.post(newsletterPath(lang, ":id", "test"), async (request, reply) => {
      const issue = await issueOf(deps, request);
      await sendTest(deps, issue, requireEditor(request));
      return reply.redirect(`${newsletterPath(lang, issue.id, "preview")}?tested=1`, 303);
    });
  }
}
