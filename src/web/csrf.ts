import type { FastifyInstance, FastifyRequest } from "fastify";
import { UserError } from "../core/errors.ts";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * What a route may say about CSRF in its config: `csrf: "signed-link"` for the RFC 8058
 * one-click unsubscribe, which mail providers POST without any token; its signed link is the
 * authorisation. Every other route that changes something is checked.
 */
export type CsrfConfig = { csrf?: "signed-link" };

/**
 * One rule for every request that changes something, decided on the route that will run (its
 * pattern), never on the URL as spelled: `/%61pi/v1/…` is routed to `/api/v1/…` and checked as
 * such (issue 8).
 *
 * - Pages (HTML forms) need the CSRF token of the form (`@fastify/csrf-protection`, double
 *   submit with a signed cookie).
 * - The JSON API needs what no cross-site form or simple request can send: a JSON body, an
 *   `X-Requested-With` or `Authorization` header, or the `Tus-Resumable` header of resumable
 *   uploads. Each of those needs a CORS preflight, which we never grant. This holds whether or
 *   not a session cookie came with the request, so log-in, sign-up and verify, which set a
 *   session, cannot be posted from another site either (log-in CSRF).
 */
export function registerCsrfRule(app: FastifyInstance): void {
  const ruleOf = (request: FastifyRequest): "none" | "api" | "form" => {
    const route = request.routeOptions.url;
    // No route: the answer is a 404, and nothing runs.
    if (safeMethods.has(request.method) || route === undefined) return "none";
    if ((request.routeOptions.config as CsrfConfig).csrf === "signed-link") return "none";
    return route === "/api" || route.startsWith("/api/") ? "api" : "form";
  };
  // The API's rule needs only the headers: it runs before the body is even read.
  app.addHook("onRequest", async (request) => {
    if (ruleOf(request) === "api" && !sentByOurClient(request)) throw new UserError("csrf_failed");
  });
  // A form's token is in its body.
  app.addHook("preHandler", async (request, reply) => {
    if (ruleOf(request) !== "form") return;
    // The plugin's check calls `next` when the token is good, and sends the refusal otherwise.
    let passed = false;
    app.csrfProtection.call(app, request, reply, () => {
      passed = true;
    });
    if (!passed) return reply;
  });
}

/** A JSON body or a header outside the CORS safelist: both need a preflight from another site. */
function sentByOurClient(request: FastifyRequest): boolean {
  const type = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return true;
  const h = request.headers;
  return Boolean(h["x-requested-with"] || h.authorization || h["tus-resumable"]);
}
