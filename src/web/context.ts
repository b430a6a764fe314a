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
  let token: string | undefined;
  return {
    lang,
    user: request.user,
    url: request.url,
    // Made when a form first asks for it: making one sets a cookie, and a page that sets a cookie
    // may not be kept by a shared cache (web/http-cache.ts). Anonymous catalogue pages have no form.
    get csrfToken() {
      token ??= reply.generateCsrf();
      return token;
    },
  };
}

/** The same page in the other language: `/en/login?x=1` → `/fr/login?x=1`. */
export function switchLanguagePath(url: string, to: Lang): string {
  return url.replace(/^\/(en|fr)(?=\/|\?|$)/, `/${to}`);
}
