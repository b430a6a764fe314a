import type { FastifyInstance } from "fastify";
import { pageContext } from "../../web/context.ts";
import { languages } from "../../web/i18n.ts";
import { sendHtml } from "../../web/reply.ts";
import { termsView } from "../views/terms.ts";

export function termsRoutes(app: FastifyInstance): void {
  for (const lang of languages) {
    app.get(`/${lang}/terms`, async (request, reply) => {
      return sendHtml(reply, 200, termsView(pageContext(lang, request, reply)));
    });
  }
}
