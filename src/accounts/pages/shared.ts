import type { FastifyReply, FastifyRequest } from "fastify";
import type { RateLimits } from "../../config.ts";
import { UserError } from "../../errors.ts";
import { errorMessage } from "../../web/error-handler.ts";
import type { FieldErrors } from "../../web/form.ts";
import type { Lang } from "../../web/i18n.ts";
import { safeReturnTo } from "../../web/return-to.ts";
import type { AccountsDeps } from "../deps.ts";

export type PagesOptions = { lang: Lang; secureCookies: boolean; limits: RateLimits };
export type PageDeps = AccountsDeps;

export function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.status(status).type("text/html; charset=utf-8").send(body);
}

/** Per-IP limit on a form's POST; the route's own per-account limits come on top. */
export function limitedRoute(options: PagesOptions) {
  return { config: { rateLimit: { max: options.limits.authPerIpPerMinute, timeWindow: "1 minute" } } };
}

/** A form's failure as what the page shows: a summary message and the problems per field. */
export function formFailure(
  lang: Lang,
  error: unknown,
): { message: string; errors: FieldErrors; status: number } {
  if (!(error instanceof UserError)) throw error;
  return {
    message: errorMessage(lang, error.code, error.params),
    errors: error.fields,
    status: error.status,
  };
}

export function returnToOf(request: FastifyRequest, lang: Lang): string {
  const query = request.query as Record<string, unknown>;
  const body = request.body as Record<string, unknown> | undefined;
  return safeReturnTo(body?.returnTo ?? query.returnTo, `/${lang}`);
}

export function withQuery(path: string, params: Record<string, string>): string {
  return `${path}?${new URLSearchParams(params).toString()}`;
}
