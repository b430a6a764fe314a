import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { UserError } from "../errors.ts";

/** Cookies, CSRF tokens, security headers and the per-IP rate limiter, for every route. */
export async function registerSecurity(
  app: FastifyInstance,
  options: { cookieSecret: string; secureCookies: boolean },
): Promise<void> {
  await app.register(cookie, { secret: options.cookieSecret });
  await app.register(csrf, {
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
    // HSTS only means something, and is only safe to send, over https.
    strictTransportSecurity: options.secureCookies ? { maxAge: 31_536_000 } : false,
  });
  // Limits are set per route (account forms and API); the counters live in this process.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new UserError("too_many_attempts", { minutes: Math.max(1, Math.ceil(context.ttl / 60_000)) }),
  });
}
