import { randomBytes } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import contentDisposition from "content-disposition";
import type { FastifyReply, FastifyRequest } from "fastify";
import parseRange from "range-parser";
import type { ObjectStat, Storage } from "../storage/storage.ts";

export type ServeOptions = {
  contentType: string;
  /** Set for downloads: the browser saves the file under this name. */
  downloadName?: string;
  cacheControl?: string;
};

/**
 * Sends a stored object as RFC 9110 says: HEAD, a single range (`bytes=0-99`, `bytes=-100`,
 * `bytes=100-`), several ranges as multipart/byteranges, 416 for ranges past the end,
 * If-Range so a resumed download never mixes two versions, If-None-Match for caches, and the
 * whole object otherwise.
 */
export async function sendStored(
  request: FastifyRequest,
  reply: FastifyReply,
  storage: Storage,
  key: string,
  stat: ObjectStat,
  options: ServeOptions,
) {
  const etag = `"${stat.size.toString(36)}-${stat.modifiedAt.getTime().toString(36)}"`;
  reply.header("accept-ranges", "bytes");
  reply.header("etag", etag);
  reply.header("last-modified", stat.modifiedAt.toUTCString());
  if (options.cacheControl) reply.header("cache-control", options.cacheControl);
  if (options.downloadName) reply.header("content-disposition", contentDisposition(options.downloadName));
  if (request.headers["if-none-match"] === etag) return reply.status(304).send();

  const ranges = requestedRanges(request, stat.size, etag);
  const body = request.method === "HEAD" ? null : storage;
  if (ranges === "unsatisfiable") {
    return reply.status(416).header("content-range", `bytes */${stat.size}`).send();
  }
  if (ranges === null) {
    reply.header("content-type", options.contentType).header("content-length", stat.size);
    return reply
      .status(200)
      .send(body ? await storage.read(key, undefined, { sink: reply.raw }) : headBody());
  }
  if (ranges.length === 1) {
    const range = ranges[0]!;
    reply
      .status(206)
      .header("content-type", options.contentType)
      .header("content-range", `bytes ${range.start}-${range.end}/${stat.size}`)
      .header("content-length", range.end - range.start + 1);
    return reply.send(body ? await storage.read(key, range, { sink: reply.raw }) : headBody());
  }
  const boundary = randomBytes(12).toString("hex");
  const parts = ranges.map((range) => ({
    range,
    head: `\r\n--${boundary}\r\nContent-Type: ${options.contentType}\r\nContent-Range: bytes ${range.start}-${range.end}/${stat.size}\r\n\r\n`,
  }));
  const tail = `\r\n--${boundary}--\r\n`;
  const length = parts.reduce(
    (sum, p) => sum + Buffer.byteLength(p.head) + p.range.end - p.range.start + 1,
    Buffer.byteLength(tail),
  );
  reply
    .status(206)
    .header("content-type", `multipart/byteranges; boundary=${boundary}`)
    .header("content-length", length);
  if (!body) return reply.send(headBody());
  const out = new PassThrough();
  void (async () => {
    try {
      for (const part of parts) {
        out.write(part.head);
        for await (const chunk of (await storage.read(key, part.range)) as Readable) {
          if (!out.write(chunk)) await new Promise((resolve) => out.once("drain", resolve));
        }
      }
      out.end(tail);
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return reply.send(out);
}

/**
 * The answer to HEAD: an empty stream, so the Content-Length already set (that of the GET) goes
 * out as it is; with no body at all, Fastify would announce 0 bytes.
 */
function headBody(): Readable {
  return Readable.from([]);
}

/** null: send everything (no Range, an unusable header, or If-Range for another version). */
function requestedRanges(
  request: FastifyRequest,
  size: number,
  etag: string,
): parseRange.Ranges | "unsatisfiable" | null {
  const header = request.headers.range;
  if (!header) return null;
  const ifRange = request.headers["if-range"];
  if (ifRange && ifRange !== etag) return null;
  const parsed = parseRange(size, header, { combine: true });
  if (parsed === -1) return "unsatisfiable";
  if (parsed === -2 || parsed.type !== "bytes") return null;
  return parsed;
}
