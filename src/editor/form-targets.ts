import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { UserError } from "../core/errors.ts";

/**
 * A form shown again with its errors has the address it was posted to ("/en/editor/events",
 * "/fr/editor/items/9/transcript/text"); reloaded or opened from the history, that address was a
 * 404 (found by hand). A GET of an address that only takes POST goes to the page of its form: the
 * same address with "/new" for a "create" form, else the nearest address above it that is a page.
 * Anything else is the workspace's 404, as before.
 */
export function formPageFallback(scope: FastifyInstance) {
  const page = (url: string): boolean => scope.findRoute({ method: "GET", url }) !== null;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?")[0] ?? "";
    if (request.method !== "GET" || scope.findRoute({ method: "POST", url: path }) === null)
      throw new UserError("not_found");
    if (page(`${path}/new`)) return reply.redirect(`${path}/new`, 303);
    const parts = path.split("/");
    for (let n = parts.length - 1; n >= 3; n--) {
      const above = parts.slice(0, n).join("/");
      if (page(above)) return reply.redirect(above, 303);
    }
    throw new UserError("not_found");
  };
}
