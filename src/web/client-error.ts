import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ConnectionError } from "fastify";
import type { UserErrorCode } from "../core/errors.ts";
import { errorMessage } from "./error-handler.ts";
import { html } from "./html.ts";
import { isLang, type Lang, languageFromHeader } from "./i18n.ts";

/**
 * What Node refuses before the app sees a request: a URL or headers over its 16 KB limit (a
 * search of thousands of words pasted into the address), a request that never finished, bytes
 * that are not HTTP. Fastify's own answer is another JSON shape, in English only; this one is
 * the API's error shape, or a short page for /en and /fr pages, in the language the request's
 * first bytes name (its path, else its Accept-Language header, when they were read).
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  // A connection reset: nobody is left to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code]: [number, UserErrorCode] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "request_header_too_large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "request_timeout"]
        : [400, "bad_request"];
  // Node gives the bytes it had read as a Buffer (Fastify's type says otherwise).
  const raw: unknown = error.rawPacket;
  const start = Buffer.isBuffer(raw) ? raw.subarray(0, 8192).toString("latin1") : "";
  const path = /^[A-Z]+ (\/[^ ?]*)/.exec(start)?.[1] ?? "";
  const prefix = path.split("/")[1];
  const page = isLang(prefix);
  const lang: Lang = page ? prefix : languageFromHeader(/\r\naccept-language: *([^\r\n]*)/i.exec(start)?.[1]);
  const message = errorMessage(lang, code);
  const body = page
    ? String(
        html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${message}</title></head><body><main><h1>${message}</h1><p><a href="/${lang}">Pressroom</a></p></main></body></html>`,
      )
    : JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    const head = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      `Content-Type: ${page ? "text/html" : "application/json"}; charset=utf-8`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      `Content-Language: ${lang}`,
      "Cache-Control: no-store",
      "Connection: close",
    ];
    socket.write(`${head.join("\r\n")}\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
