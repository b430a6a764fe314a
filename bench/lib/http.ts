import { createWriteStream } from "node:fs";
import http from "node:http";

export interface Timed {
  status: number;
  /** Request sent → response headers. */
  headersMs: number;
  /** Request sent → first byte of the body. */
  firstByteMs: number;
  /** Request sent → last byte of the body. */
  totalMs: number;
  bytes: number;
  headers: http.IncomingHttpHeaders;
}

/**
 * One GET on a fresh connection, the body read as fast as it comes and thrown away (or written to
 * `saveTo`). Only 127.0.0.1 is allowed: the bench sends no traffic anywhere else.
 */
export function timedGet(
  url: string,
  options: {
    headers?: Record<string, string>;
    saveTo?: string;
    timeoutMs?: number;
    signal?: AbortSignal;
  } = {},
): Promise<Timed> {
  const target = new URL(url);
  if (target.hostname !== "127.0.0.1")
    throw new Error(`the bench only talks to 127.0.0.1, not ${target.host}`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let headersMs = Number.NaN;
    let firstByteMs = Number.NaN;
    let bytes = 0;
    const request = http.get(
      target,
      { agent: false, headers: options.headers ?? {}, signal: options.signal },
      (response) => {
        headersMs = performance.now() - started;
        const file = options.saveTo ? createWriteStream(options.saveTo) : null;
        response.on("data", (chunk: Buffer) => {
          if (bytes === 0) firstByteMs = performance.now() - started;
          bytes += chunk.length;
          if (file && !file.write(chunk)) {
            response.pause();
            file.once("drain", () => response.resume());
          }
        });
        response.once("end", () => {
          const totalMs = performance.now() - started;
          const done = () =>
            resolve({
              status: response.statusCode ?? 0,
              headersMs,
              firstByteMs: bytes === 0 ? totalMs : firstByteMs,
              totalMs,
              bytes,
              headers: response.headers,
            });
          if (file) file.end(done);
          else done();
        });
        response.once("error", reject);
      },
    );
    request.setTimeout(options.timeoutMs ?? 600_000, () =>
      request.destroy(new Error(`${url}: no answer within ${(options.timeoutMs ?? 600_000) / 1000} s`)),
    );
    request.once("error", reject);
  });
}

/** A body's text, for error messages. */
export async function getText(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
  return { status: response.status, text: await response.text() };
}
