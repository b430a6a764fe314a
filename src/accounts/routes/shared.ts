import type { FastifyRequest } from "fastify";
import type { RateLimits } from "../../core/config.ts";
import type { FeatureDeps } from "../../core/deps.ts";
import type { Lang } from "../../web/i18n.ts";
import { safeReturnTo } from "../../web/return-to.ts";

export type PagesOptions = { lang: Lang; secureCookies: boolean; limits: RateLimits };

/** What a page route needs to know beyond its language. */
export function pageOptions(deps: FeatureDeps, lang: Lang): PagesOptions {
  return { lang, secureCookies: deps.config.secureCookies, limits: deps.config.rateLimits };
}

/** Per-IP limit on a form's POST; the route's own per-account limits come on top. */
export function limitedRoute(options: PagesOptions) {
  return { config: { rateLimit: { max: options.limits.authPerIpPerMinute, timeWindow: "1 minute" } } };
}

export function returnToOf(request: FastifyRequest, lang: Lang): string {
  const query = request.query as Record<string, unknown>;
  const body = request.body as Record<string, unknown> | undefined;
  return safeReturnTo(body?.returnTo ?? query.returnTo, `/${lang}`);
}
