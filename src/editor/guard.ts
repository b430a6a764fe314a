import type { FastifyReply, FastifyRequest } from "fastify";
import { requireEditor } from "../web/guards.ts";
import type { Lang } from "../web/i18n.ts";

/**
 * Runs before every route of the workspace, on the server: nobody reaches a page, a form
 * or an asset of it without the editor role. Someone not logged in is sent to log in and
 * brought back; a media user gets the 403 page in the page's language.
 */
export function editorGuard(lang: Lang) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.user) {
      // A form posted after the session ended cannot be replayed by a redirect: back to the page
      // of what it was about (its item, event or issue), else the workspace.
      // The log-in page then says that what was sent was not saved (`ended`).
      const reading = request.method === "GET" || request.method === "HEAD";
      const back = reading ? request.url : pageOfForm(request.url, lang);
      return reply.redirect(
        `/${lang}/login?returnTo=${encodeURIComponent(back)}${reading ? "" : "&ended=1"}`,
        303,
      );
    }
    requireEditor(request);
  };
}

/** `/en/editor/items/9/transcript/text` → `/en/editor/items/9`: the path up to its last id. */
function pageOfForm(url: string, lang: Lang): string {
  const parts = (url.split("?")[0] ?? "").split("/");
  for (let n = parts.length; n > 3; n--)
    if (/^\d+$/.test(parts[n - 1] ?? "")) return parts.slice(0, n).join("/");
  return `/${lang}/editor`;
}
