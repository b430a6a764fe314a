import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { acceptDownloadTerms, hasAcceptedDownloadTerms } from "../../accounts/store.ts";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { isEditor } from "../../web/guards.ts";
import { languages } from "../../web/i18n.ts";
import { parseId } from "../../web/ids.ts";
import { sendHtml } from "../../web/reply.ts";
import { checkDownloadForm, formQuery, readDownloadForm } from "../download-form.ts";
import { findDownloadSource, itemClocks } from "../item-source.ts";
import { listDownloads } from "../store.ts";
import { myDownloadsPage } from "../views/mine.ts";

/**
 * The page routes of downloads. The item page's panel (panel.ts) submits here; this checks
 * the request as the API will and sends the browser on to the API URL that streams the file,
 * or back to the item page, with what was typed, to show what is wrong.
 */
export async function downloadPages(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  for (const lang of languages) {
    const login = (reply: FastifyReply, back: string) =>
      reply.redirect(`/${lang}/login?returnTo=${encodeURIComponent(back)}`, 303);

    app.get<{ Params: { id: string } }>(`/${lang}/items/:id/download`, async (request, reply) => {
      const id = itemId(request);
      const itemPage = `/${lang}/items/${id}`;
      const user = request.user;
      if (!user) return login(reply, `${itemPage}#download`);
      const source = await findDownloadSource(deps.db, id);
      const editor = isEditor(user);
      // An item media users cannot see is not found here either, rather than a round trip to a 404.
      if (!source || (!editor && (source.publishedAt === null || source.publishedAt > deps.now())))
        throw new UserError("item_not_found");
      // The panel shows the terms to accept; nothing is checked before that.
      if (!(await hasAcceptedDownloadTerms(deps.db, user.id)))
        return reply.redirect(`${itemPage}#download`, 303);
      const form = readDownloadForm(request.query) ?? readDownloadForm({ range: "full" })!;
      const back = `${itemPage}?${formQuery(form)}#download`;
      const query = request.query as Record<string, unknown>;
      if (query.estimate) return reply.redirect(back, 303);
      const check = checkDownloadForm(lang, source, form, { now: deps.now(), editor });
      if (!check.ok) return reply.redirect(back, 303);
      const subtitles = query.subtitles === "srt" || query.subtitles === "vtt" ? query.subtitles : null;
      if (subtitles) {
        const params = new URLSearchParams({ format: subtitles });
        if (check.query.in && check.query.out) {
          params.set("in", check.query.in);
          params.set("out", check.query.out);
        }
        return reply.redirect(`/api/v1/items/${id}/subtitles?${params}`, 303);
      }
      return reply.redirect(`/api/v1/items/${id}/download?${new URLSearchParams(check.query)}`, 303);
    });

    app.post<{ Params: { id: string } }>(`/${lang}/items/:id/download-terms`, async (request, reply) => {
      const id = itemId(request);
      if (!request.user) return login(reply, `/${lang}/items/${id}#download`);
      await acceptDownloadTerms(deps.db, request.user.id, deps.now());
      return reply.redirect(`/${lang}/items/${id}#download`, 303);
    });

    app.get(`/${lang}/downloads`, async (request, reply) => {
      if (!request.user) return login(reply, `/${lang}/downloads`);
      const rows = await listDownloads(deps.db, request.user.id);
      const clocks = await itemClocks(deps.db, [...new Set(rows.map((r) => r.mediaItemId))]);
      return sendHtml(reply, 200, myDownloadsPage(pageContext(lang, request, reply), rows, clocks));
    });
  }
}

function itemId(request: FastifyRequest<{ Params: { id: string } }>): number {
  const id = parseId(request.params.id);
  if (id === null) throw new UserError("item_not_found");
  return id;
}
