import { once } from "node:events";
import { pipeline, type Readable, Transform } from "node:stream";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import contentDisposition from "content-disposition";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { acceptDownloadTerms, hasAcceptedDownloadTerms, type User } from "../accounts/store.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { canStreamClip } from "../media/clip-output.ts";
import { FileChunkStream } from "../storage/file-stream.ts";
import { ErrorBody } from "../web/api-schema.ts";
import { isEditor, requireUser } from "../web/guards.ts";
import { Id } from "../web/ids.ts";
import { sendStored } from "../web/serve-stored.ts";
import type { ClipMaker, FinishedClip } from "./clips.ts";
import { findDownloadSource } from "./item-source.ts";
import { type DownloadPlan, planDownload } from "./plan.ts";
import { type CachedClip, listDownloads, recordDownload, setDownloadBytes } from "./store.ts";
import { clipSubtitles, transcriptCues } from "./subtitles.ts";

const DownloadQuery = Type.Object({
  format: Type.Optional(
    Type.String({ description: "original | mp4 | mxf | prores | wav | mp3 (photos: original | web)" }),
  ),
  in: Type.Optional(
    Type.String({ description: "IN point: SMPTE timecode HH:MM:SS:FF on the master's clock, or seconds" }),
  ),
  out: Type.Optional(
    Type.String({ description: "OUT point (first frame after the clip): timecode or seconds" }),
  ),
  audio: Type.Optional(Type.String({ description: "all (default) or a track label: floor, en, fr" })),
});
const DownloadRow = Type.Object({
  id: Type.Integer(),
  mediaItemId: Type.Integer(),
  inFrame: Type.Union([Type.Integer(), Type.Null()]),
  outFrame: Type.Union([Type.Integer(), Type.Null()]),
  format: Type.String(),
  audio: Type.String(),
  fileName: Type.String(),
  bytes: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  itemTitleEn: Type.String(),
  itemTitleFr: Type.String(),
});
const Params = Type.Object({ id: Id });

/**
 * `GET|HEAD /api/v1/items/{id}/download`: the whole item or a frame-exact clip, with the
 * session cookie or a bearer token. Checks come first (log-in, usage terms, embargo, range);
 * then the file streams with HTTP Range so a broken download resumes. A clip not cut yet in a
 * fragmented MP4/MOV goes out as it is cut, without Range; its cached copy serves the next ones.
 */
export function downloadsApi(deps: FeatureDeps, clips: ClipMaker) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    async function prepare(request: FastifyRequest, id: number, query: Record<string, string | undefined>) {
      const user = requireUser(request);
      if (!(await hasAcceptedDownloadTerms(deps.db, user.id))) throw new UserError("download_terms_required");
      const source = await findDownloadSource(deps.db, id);
      if (!source) throw new UserError("item_not_found");
      return { user, source, plan: planDownload(source, query, { now: deps.now(), editor: isEditor(user) }) };
    }

    app.route({
      method: ["GET", "HEAD"],
      url: "/api/v1/items/:id/download",
      schema: {
        tags: ["downloads"],
        summary: "Download an item, whole or as a frame-exact clip",
        params: Params,
        querystring: DownloadQuery,
        response: { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
      handler: async (request, reply) => {
        const { user, source, plan } = await prepare(request, request.params.id, request.query);
        let key: string;
        let contentType: string;
        if (plan.kind === "stored") {
          ({ key, contentType } = plan);
        } else {
          const abandon = (give: () => void) => {
            request.raw.once("close", () => {
              if (!reply.raw.writableFinished) give();
            });
          };
          let clip: CachedClip | null;
          if (request.method === "HEAD") {
            clip = await clips.cached(plan);
            // Answering HEAD must not cost a cut: the size is unknown until the clip is made.
            if (!clip && canStreamClip(plan.format, plan.info)) return streamHeaders(reply, plan).send();
          } else if (wantsWhole(request)) {
            const delivery = await clips.getFirst(source, plan, abandon);
            if (delivery.kind === "stream")
              return sendStreamed(request, reply, user, source.itemId, plan, delivery.stream);
            if (delivery.kind === "file")
              return sendFinished(reply, user, source.itemId, plan, delivery.file);
            clip = delivery.clip;
          } else {
            clip = null;
          }
          // A range of a clip not cut yet: the whole clip first, then the part asked for.
          clip ??= await clips.get(source, plan, abandon);
          ({ storageKey: key, contentType } = clip);
        }
        const stat = await deps.storage.stat(key);
        if (!stat) throw new UserError("not_ready");
        if (request.method === "GET" && startsAtZero(request))
          await record(reply, user, source.itemId, plan, () => stat.size);
        return sendStored(request, reply, deps.storage, key, stat, {
          contentType,
          downloadName: plan.fileName,
          cacheControl: "private, no-store",
        });
      },
    });

    app.get(
      "/api/v1/items/:id/subtitles",
      {
        schema: {
          tags: ["downloads"],
          summary: "Subtitles from the transcript, timed to the clip",
          params: Params,
          querystring: Type.Object({
            format: Type.Optional(Type.Union([Type.Literal("srt"), Type.Literal("vtt")])),
            in: Type.Optional(Type.String()),
            out: Type.Optional(Type.String()),
          }),
          response: { 200: Type.String(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const query = { ...request.query, format: "mp4" };
        const { plan, source } = await prepare(request, request.params.id, query);
        const format = request.query.format ?? "srt";
        const cues = await transcriptCues(deps.db, source.itemId);
        const [from, to, name] =
          plan.kind === "cut"
            ? [
                framesToSeconds(plan, plan.inFrame),
                framesToSeconds(plan, plan.outFrame),
                plan.fileName.replace(/\.\w+$/, ""),
              ]
            : [0, Number.POSITIVE_INFINITY, `item-${source.itemId}`];
        reply.header("content-disposition", `attachment; filename="${name}.${format}"`);
        reply.type(format === "vtt" ? "text/vtt; charset=utf-8" : "application/x-subrip; charset=utf-8");
        return clipSubtitles(cues, from, to, format);
      },
    );

    app.post(
      "/api/v1/me/download-terms",
      {
        schema: {
          tags: ["downloads"],
          summary: "Accept the usage terms (once per account)",
          response: { 204: Type.Null(), 401: ErrorBody },
        },
      },
      async (request, reply) => {
        await acceptDownloadTerms(deps.db, requireUser(request).id, deps.now());
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/v1/me/downloads",
      {
        schema: {
          tags: ["downloads"],
          summary: "My downloads, newest first",
          response: { 200: Type.Object({ downloads: Type.Array(DownloadRow) }), 401: ErrorBody },
        },
      },
      async (request) => {
        const rows = await listDownloads(deps.db, requireUser(request).id);
        return { downloads: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
      },
    );
  };

  /**
   * A clip as ffmpeg writes it: no length and no ranges yet (the next request gets the cached
   * file, with both). Headers wait for the first bytes, so a cut failing at once still gets an
   * error response; a failure later breaks the response off, never ends it as if complete.
   */
  async function sendStreamed(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    itemId: number,
    plan: CutPlan,
    stream: Readable,
  ) {
    request.raw.once("close", () => {
      if (!reply.raw.writableFinished) stream.destroy();
    });
    await once(stream, "readable");
    let sent = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sent += chunk.length;
        callback(null, chunk);
      },
    });
    // Errors reach the response through `counted`; the callback only keeps them from being thrown.
    pipeline(stream, counted, () => {});
    await record(reply, user, itemId, plan, () => sent);
    return streamHeaders(reply, plan).send(counted);
  }

  /**
   * A clip just cut, from its work file while it is copied into storage: whole, with its length
   * (a range of it comes from the cache, like the next requests).
   */
  async function sendFinished(
    reply: FastifyReply,
    user: User,
    itemId: number,
    plan: CutPlan,
    file: FinishedClip,
  ) {
    reply.raw.once("close", file.release);
    reply.raw.once("finish", file.release);
    // A client gone while the clip was cut: its close has passed, nobody will read the file.
    if (reply.raw.destroyed) file.release();
    try {
      await record(reply, user, itemId, plan, () => file.bytes);
      // Read the way stored files are sent (reused buffers); it closes the handle when done,
      // which the clip maker's own close after release then leaves as it is.
      const body = new FileChunkStream(file.handle, { start: 0, end: file.bytes, sink: reply.raw });
      return streamHeaders(reply, plan).header("content-length", file.bytes).send(body);
    } catch (error) {
      file.release();
      throw error;
    }
  }

  async function record(
    reply: FastifyReply,
    user: User,
    itemId: number,
    plan: DownloadPlan,
    size: () => number,
  ) {
    const id = await recordDownload(deps.db, {
      userId: user.id,
      mediaItemId: itemId,
      inFrame: plan.kind === "cut" ? plan.inFrame : null,
      outFrame: plan.kind === "cut" ? plan.outFrame : null,
      format: plan.format,
      audio: plan.kind === "cut" ? plan.audio : "all",
      fileName: plan.fileName,
      bytes: null,
      createdAt: deps.now(),
    });
    // What reached the client, known when the response ends: all of it once the response
    // finished, and no more than the socket carried when the client left early.
    const save = (sent: number) =>
      setDownloadBytes(deps.db, id, sent).catch((error: unknown) =>
        deps.log.error({ err: error }, "download bytes"),
      );
    let finished = false;
    reply.raw.once("finish", () => {
      finished = true;
      void save(size());
    });
    reply.raw.once("close", () => {
      if (!finished) void save(Math.min(size(), reply.raw.socket?.bytesWritten ?? 0));
    });
  }
}

type CutPlan = Extract<DownloadPlan, { kind: "cut" }>;

function streamHeaders(reply: FastifyReply, plan: CutPlan): FastifyReply {
  return reply
    .status(200)
    .header("content-type", plan.contentType)
    .header("content-disposition", contentDisposition(plan.fileName))
    .header("cache-control", "private, no-store")
    .header("accept-ranges", "none");
}

/** No Range, or one from the first byte on (what players send first): the clip can stream. */
function wantsWhole(request: FastifyRequest): boolean {
  const range = request.headers.range;
  return !range || /^bytes=0-$/.test(range.trim());
}

/** A resumed download (Range from a later byte) is the same download, not a new one. */
function startsAtZero(request: FastifyRequest): boolean {
  const range = request.headers.range;
  return !range || /^bytes=0-/.test(range);
}

function framesToSeconds(plan: Extract<DownloadPlan, { kind: "cut" }>, frame: number): number {
  const rate = plan.info.video.frameRate;
  return (frame * rate.den) / rate.num;
}
