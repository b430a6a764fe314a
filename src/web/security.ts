import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { UserError } from "../core/errors.ts";

// Nothing here needs the camera, microphone, location or payments; the player may go fullscreen.
const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=(), fullscreen=(self)";

/** Cookies, CSRF tokens, security headers and the per-IP rate limiter, for every route. */
export async function registerSecurity(
  app: FastifyInstance,
  options: { cookieSecret: string; secureCookies: boolean },
): Promise<void> {
  await app.register(cookie, { secret: options.cookieSecret });
  await app.register(csrf, {
    // `__Host-` on https: only this origin, over https, can set it (issue 8).
    cookieKey: options.secureCookies ? "__Host-csrf" : "_csrf",
    cookieOpts: { path: "/", sameSite: "lax", httpOnly: true, secure: options.secureCookies, signed: true },
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        mediaSrc: ["'self'", "blob:"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    // The same as CSP frame-ancestors 'none', for browsers that only know this header.
    xFrameOptions: { action: "deny" },
    // HSTS only means something, and is only safe to send, over https.
    strictTransportSecurity: options.secureCookies ? { maxAge: 31_536_000 } : false,
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("permissions-policy", PERMISSIONS_POLICY);
    // What a logged-in person sees is theirs: no shared cache may keep it, nor the browser's
    // back-forward history on a shared computer. Routes that set their own policy (static
    // files, public previews) keep it.
    if (request.user && !reply.hasHeader("cache-control")) reply.header("cache-control", "private, no-store");
    // Pages differ with the session (the header names who is logged in, forms carry tokens).
    if (String(reply.getHeader("content-type") ?? "").startsWith("text/html")) {
      const vary = String(reply.getHeader("vary") ?? "");
      if (!/\bcookie\b/i.test(vary)) reply.header("vary", vary ? `${vary}, Cookie` : "Cookie");
    }
  });
  // Limits are set per route (account forms and API); the counters live in this process.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new UserError("too_many_attempts", { count: Math.max(1, Math.ceil(context.ttl / 60_000)) }),
  });
}
