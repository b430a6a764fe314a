import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { UserError } from "../core/errors.ts";

/** What a form that sends a file may hold (busboy's limits). */
export type FileFormLimits = { fileSize: number; files: number; fields: number };

/** The fields of a file form: text fields as strings, the file as its bytes. */
export type FileFormBody = Record<string, string | Buffer>;

/**
 * Multipart forms, for the routes of `app` only: register it in a scope that holds just the routes
 * taking a file. Every other route has no parser for multipart and refuses it unread (415), so
 * a multipart body cannot reach a JSON API route's schema or fail in its parsing.
 *
 * The form is read before validation and the CSRF check, into `request.body` like any form (so
 * `_csrf` is found there). Whatever stops the reading (a body cut short, a broken part, a limit)
 * is in what the client sent: it is refused in its words, never a 500.
 */
export async function acceptFileForms(app: FastifyInstance, limits: FileFormLimits): Promise<void> {
  await app.register(multipart, { limits });
  app.addHook("preValidation", async (request, reply) => {
    if (!request.isMultipart()) return;
    try {
      request.body = await readFileForm(request);
    } catch (error) {
      // A refusal at a limit leaves the rest of the body unread, and the parser no longer reads
      // it: on a kept-alive connection the next request would wait behind it until the
      // keep-alive timeout. Closed, as Fastify closes after a body it could not parse.
      if (!request.raw.readableEnded) reply.header("connection", "close");
      throw refusal(error);
    }
  });
}

async function readFileForm(request: FastifyRequest): Promise<FileFormBody> {
  const body: FileFormBody = {};
  for await (const part of request.parts()) {
    // Read whole before the next part: busboy waits for a file until it is consumed.
    const value = part.type === "file" ? await part.toBuffer() : String(part.value);
    // The first value of a repeated field counts, as in query strings (web/bad-input.ts).
    if (!Object.hasOwn(body, part.fieldname)) body[part.fieldname] = value;
  }
  return body;
}

/** The plugin's limits by their codes; anything else (busboy's own errors, an early end) is unreadable. */
function refusal(error: unknown): UserError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "FST_REQ_FILE_TOO_LARGE") return new UserError("upload_too_large");
  // A second file is not a large one: the form takes one.
  if (code === "FST_FILES_LIMIT") return new UserError("upload_one_file");
  if (code === "FST_FIELDS_LIMIT" || code === "FST_PARTS_LIMIT") return new UserError("request_too_large");
  return new UserError("bad_request");
}
