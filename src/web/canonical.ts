import type { FastifyInstance } from "fastify";
import { safeReturnTo } from "./return-to.ts";

/**
 * One address per page: `/fr/` and `/en/search/?q=x` are answered with a permanent redirect to
 * `/fr` and `/en/search?q=x` (issue 10), for pages and API alike. Only GET and HEAD: a form or
 * API call posted to a trailing-slash address stays a 404, as a redirect would turn it into a GET.
 */
export function redirectTrailingSlashes(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    if (request.method !== "GET" && request.method !== "HEAD") return;
    const target = withoutTrailingSlash(request.url);
    if (target !== null) return reply.redirect(target, 301);
  });
}

/**
 * The address without the slashes that end its path, query kept; null when it has none, or when
 * what is left would not be a path on this site. Stripping `//evil.example/` leaves
 * `//evil.example`, which a browser reads as another host; the same check as "return to" addresses
 * (web/return-to.ts: dot segments, backslashes, control characters) refuses it, and that
 * address stays a 404 rather than becoming an open redirect.
 */
export function withoutTrailingSlash(url: string): string | null {
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path === "/" || !path.endsWith("/")) return null;
  const query = queryAt === -1 ? "" : url.slice(queryAt);
  const target = safeReturnTo(`${path.replace(/\/+$/, "") || "/"}${query}`, "");
  return target === "" ? null : target;
}
