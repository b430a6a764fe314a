import etag from "@fastify/etag";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The answer is the same for every visitor without a session or token (catalogue pages and
     * their JSON): a shared cache (reverse proxy, CDN) may keep it for a short while.
     */
    sharedCache?: boolean;
  }
}

export type HttpCachePolicy = {
  /** How long a shared cache may answer with its copy without asking (HTTP_CACHE_MAX_AGE). */
  maxAgeSeconds: number;
  /** How much longer it may answer with its copy while it asks again (HTTP_CACHE_STALE_SECONDS). */
  staleSeconds: number;
};

/**
 * Cache headers and validators (issue 10: a crowd on the day of a summit is carried by a cache in
 * front). The rule, in order:
 * - an answer that sets a cookie is never public, whatever its route said;
 * - what a session or a token sees is `private, no-store` (web/security.ts sets it for logged-in
 *   requests; here also for a request that merely carries a session cookie or a token);
 * - a 200 to GET or HEAD on a route marked `sharedCache`, for a visitor without either, is
 *   `public, max-age, stale-while-revalidate`, with `Vary` naming what could change it.
 * Every text or JSON answer gets an `ETag` (@fastify/etag), and a matching `If-None-Match` a 304.
 * Must be registered after the cookie plugin (web/security.ts), whose hook writes Set-Cookie.
 */
export async function registerHttpCaching(app: FastifyInstance, policy: HttpCachePolicy): Promise<void> {
  const shared = `public, max-age=${policy.maxAgeSeconds}, stale-while-revalidate=${policy.staleSeconds}`;
  app.addHook("onSend", async (request, reply) => {
    const cacheControl = String(reply.getHeader("cache-control") ?? "");
    if (reply.hasHeader("set-cookie")) {
      if (!/\b(private|no-store)\b/.test(cacheControl)) reply.header("cache-control", "private, no-store");
      return;
    }
    if (cacheControl !== "" || request.routeOptions.config?.sharedCache !== true) return;
    if (!isAnonymous(request)) {
      reply.header("cache-control", "private, no-store");
      return;
    }
    if (reply.statusCode !== 200 || (request.method !== "GET" && request.method !== "HEAD")) return;
    reply.header("cache-control", shared);
    // A cookie (a session) or a token turns the answer private; the API's links follow
    // Accept-Language when no `lang` is asked for. Pages carry their language in the path.
    addVary(reply, isApi(request) ? ["Cookie", "Authorization", "Accept-Language"] : ["Cookie"]);
  });
  // After the hook above, which must see the status before a match turns it into a 304. A
  // logged-in page never matches an anonymous one: its frame holds the person's form token.
  await app.register(etag, { weak: true });
}

/** No session cookie (valid or not) and no token: the visitor every other anonymous one is. */
function isAnonymous(request: FastifyRequest): boolean {
  return request.user === null && request.sessionToken === undefined && !request.headers.authorization;
}

function isApi(request: FastifyRequest): boolean {
  return request.routeOptions.url?.startsWith("/api/") === true;
}

function addVary(reply: FastifyReply, names: string[]): void {
  const current = String(reply.getHeader("vary") ?? "");
  const missing = names.filter((name) => !new RegExp(`\\b${name}\\b`, "i").test(current));
  if (missing.length > 0) reply.header("vary", [current, ...missing].filter(Boolean).join(", "));
}
