import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type ErrorParams, fromMediaError, UserError, type UserErrorCode } from "../core/errors.ts";
import { MediaError } from "../media/errors.ts";
import { html } from "./html.ts";
import { en, isLang, type Lang, languageFromHeader, tDynamic } from "./i18n.ts";
import { page } from "./layout.ts";
import { validationFields } from "./validation-messages.ts";

/** The message for an error code in `lang`, e.g. "That code has expired. Ask for a new code." */
export function errorMessage(lang: Lang, code: UserErrorCode, params: ErrorParams = {}): string {
  // A transcript's problem is itself a sentence to translate, placed in the general message.
  if (code === "transcript_invalid" && typeof params.problem === "string") {
    const problem = tDynamic(lang, `error.transcript.${params.problem}`, params);
    return tDynamic(lang, `error.${code}`, { ...params, problem });
  }
  return tDynamic(lang, `error.${code}`, params);
}

/**
 * The language of the answer: the page's own for /en and /fr pages; for the API, Accept-Language,
 * or when a client sends none (a script with a token), the language of the account it acts for.
 */
export function requestLanguage(request: FastifyRequest): Lang {
  const prefix = request.url.split("/")[1]?.split("?")[0];
  if (isLang(prefix)) return prefix;
  const header = request.headers["accept-language"];
  if (!header && request.user && isLang(request.user.language)) return request.user.language;
  return languageFromHeader(header);
}

/**
 * Turns every error into an answer in one place: API clients get
 * `{"error": {"code", "message", "fields"?}}`, browsers a page in their language.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | UserError | MediaError, request, reply) => {
    if ("validation" in error && error.validation && error.validationContext !== "params") {
      // Said here, where the client's language is known: what each field allows.
      const fields = validationFields(error.validation, requestLanguage(request));
      return respond(request, reply, 400, "invalid_input", {}, fields);
    }
    const known = toUserError(error);
    if (!known) {
      request.log.error({ err: error }, "Unhandled error");
      return respond(request, reply, 500, "internal", {});
    }
    return respond(request, reply, known.status, known.code, known.params, known.fields);
  });
  app.setNotFoundHandler((request, reply) => respond(request, reply, 404, "not_found", {}));
}

function toUserError(error: FastifyError | UserError | MediaError): UserError | null {
  if (error instanceof UserError) return error;
  if (error instanceof MediaError) return fromMediaError(error);
  if (error.code === "FST_CSRF_INVALID_TOKEN" || error.code === "FST_CSRF_MISSING_SECRET") {
    return new UserError("csrf_failed");
  }
  // An id that cannot exist (`/api/v1/items/2147483648`, `/abc`) is an address that does not.
  if (error.validation && error.validationContext === "params") return new UserError("not_found");
  if (error.statusCode === 415 || error.statusCode === 400) return new UserError("invalid_input");
  // Fastify's and its plugins' refusals of what the client sent (a body over the limit): the
  // client's mistake, said without internals. Multipart forms say their own (web/file-form.ts).
  if (error.statusCode === 413) return new UserError("request_too_large");
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new UserError("bad_request");
  }
  return null;
}

/** The form token of the error page's frame; none when the request failed before cookies were read. */
function csrfTokenFor(reply: FastifyReply): string {
  try {
    return reply.generateCsrf();
  } catch {
    return "";
  }
}

function respond(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: UserErrorCode | "internal",
  params: ErrorParams,
  fields: Record<string, string[]> = {},
) {
  const lang = requestLanguage(request);
  const api = request.url.startsWith("/api/")
    ? !browsing(request)
    : !request.headers.accept?.includes("text/html");
  // A program has no page to be missing nor a form to reload: some refusals are worded for it.
  const apiKey = `error.${code}_api`;
  const message =
    code === "internal"
      ? tDynamic(lang, "error.internal", params)
      : api && apiKey in en
        ? tDynamic(lang, apiKey, params)
        : errorMessage(lang, code, params);
  if (api) {
    const body = apiErrorBody(lang, code, message, fields, params);
    // A 401 names the scheme that would open it (RFC 9110), and why a token was refused (RFC 6750).
    if (status === 401)
      reply.header("www-authenticate", code === "invalid_token" ? 'Bearer error="invalid_token"' : "Bearer");
    return reply.status(status).type("application/json").send(body);
  }
  const ctx = { lang, user: request.user ?? null, csrfToken: csrfTokenFor(reply), url: request.url };
  // A download refused to a browser (a clip form, a link of "My downloads") leads back to its item.
  const item = /^\/api\/v1\/items\/(\d+)\//.exec(request.url)?.[1];
  const back = item
    ? html`<a href="/${lang}/items/${item}#download">${tDynamic(lang, "error.back_to_item")}</a>`
    : html`<a href="/${lang}">${tDynamic(lang, "nav.home")}</a>`;
  return reply
    .status(status)
    .type("text/html")
    .send(page(ctx, message, html`<h1>${message}</h1><p>${back}</p>`));
}

/**
 * The API's error, `{"error": {"code", "message", "fields"?}}`, with each field's message keys
 * translated (the schema's sentences, from validationFields, are already; a key not in the
 * catalogue is kept as it is).
 */
export function apiErrorBody(
  lang: Lang,
  code: UserErrorCode | "internal",
  message: string,
  fields: Record<string, string[]>,
  params: ErrorParams,
) {
  const translated = Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, v.map((key) => tDynamic(lang, key, params))]),
  );
  return { error: { code, message, ...(Object.keys(fields).length ? { fields: translated } : {}) } };
}

/**
 * A browser that opened an API address itself (a GET form such as the live clip's, a download
 * link): it shows a page, not JSON. Programs, and curl's default of any type, get JSON.
 */
function browsing(request: FastifyRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (request.headers["sec-fetch-dest"] === "document") return true;
  return /^\s*text\/html/i.test(request.headers.accept ?? "");
}
