import type { FastifyReply, FastifyRequest } from "fastify";
import type { Lang } from "./i18n.ts";
import type { User } from "./user.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The logged-in account, resolved once per request from the session cookie. */
    user: User | null;
    sessionToken: string | undefined;
  }
}

/** What every page template needs to draw the frame: language, who is logged in, the CSRF token. */
export type PageContext = {
  lang: Lang;
  user: User | null;
  csrfToken: string;
  /** The path and query of this page, for the language switch and "return to" links. */
  url: string;
};

export function pageContext(lang: Lang, request: FastifyRequest, reply: FastifyReply): PageContext {
  return { lang, user: request.user, csrfToken: reply.generateCsrf(), url: request.url };
}

/** The same page in the other language: `/en/login?x=1` → `/fr/login?x=1`. */
export function switchLanguagePath(url: string, to: Lang): string {
  return url.replace(/^\/(en|fr)(?=\/|\?|$)/, `/${to}`);
}
