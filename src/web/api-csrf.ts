import type { FastifyRequest } from "fastify";
import { UserError } from "../errors.ts";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A page on another site can make a user's browser POST a form with our cookie, but not
 * with `Content-Type: application/json` nor with a custom header such as
 * `X-Requested-With`: both need a CORS preflight, which we never grant. So an API
 * request that changes something and rides on the session cookie must carry one of
 * them. The HTML forms use their own CSRF tokens. Resumable uploads (tus) send their bytes as
 * `application/offset+octet-stream` with a `Tus-Resumable` header, a custom header that needs the
 * same preflight; it is accepted on the uploads endpoint only.
 */
export async function guardCookieApiRequests(request: FastifyRequest): Promise<void> {
  if (!request.url.startsWith("/api/") || safeMethods.has(request.method) || !request.sessionToken) return;
  if (request.headers["content-type"]?.toLowerCase().startsWith("application/json")) return;
  if (request.headers["x-requested-with"]) return;
  if (request.headers["tus-resumable"] && request.url.startsWith("/api/v1/uploads")) return;
  throw new UserError("csrf_failed");
}
