import { once } from "node:events";
import { rm } from "node:fs/promises";
import { pipeline } from "node:stream";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import contentDisposition from "content-disposition";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { acceptDownloadTerms, hasAcceptedDownloadTerms, type User } from "../../accounts/store.ts";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { canStreamClip } from "../../media/clip-output.ts";
import { clipFormats } from "../../media/formats.ts";
import { byteCounter } from "../../storage/byte-counter.ts";
import { ErrorBody } from "../../web/api-schema.ts";
import { isEditor, requireUser } from "../../web/guards.ts";
import { Id } from "../../web/ids.ts";
import { requestSignal } from "../../web/request-signal.ts";
import { sendStored } from "../../web/serve-stored.ts";
import type { ClipAnswer, ClipMaker, LocalMaster } from "../clips.ts";
import { subtitleFileName } from "../file-name.ts";
import { type DownloadSource, findDownloadSource } from "../item-source.ts";
import { createLiveClips, findLiveRecording, type LiveRecording } from "../live-clip.ts";
import { type DownloadPlan, type DownloadQuery as PlanQuery, photoSizes, planDownload } from "../plan.ts";
import { type CachedClip, listDownloads, recordDownload, setDownloadBytes } from "../store.ts";
import { clipSubtitles, transcriptCues } from "../subtitles.ts";

const DownloadQuery = Type.Object({
  format: Type.Optional(
    Type.String({ description: `${clipFormats.join(" | ")} (photos: ${photoSizes.join(" | ")})` }),
  ),
  in: Type.Optional(
    Type.String({
      description:
        "IN point: SMPTE timecode HH:MM:SS:FF on the master's clock (a live item: the recording's, while it is live too), or seconds from its start",
    }),
  ),
  out: Type.Optional(
    Type.String({ description: "OUT point (first frame after the clip): timecode or seconds" }),
  ),
  last: Type.Optional(
    Type.String({
      description:
        'The last N seconds up to the end ("30" or "30s"; in and out are then ignored). On a live item: up to the live edge, what has been received so far',
    }),
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
 * then the file streams with HTTP Range so a broken download resumes. A clip not cut yet in
 * MP4/MOV or MXF goes out as it is cut, without Range; its cached copy serves the next ones.
 */
export function downloadsApi(deps: FeatureDeps, clips: ClipMaker) {
  const liveClips = createLiveClips(deps);
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    async function requester(request: FastifyRequest, id: number) {
      const user = requireUser(request);
      if (!(await hasAcceptedDownloadTerms(deps.db, user.id))) throw new UserError("download_terms_required");
      const source = await findDownloadSource(deps.db, id);
      if (!source) throw new UserError("item_not_found");
      return { user, source };
    }

    async function prepare(request: FastifyRequest, id: number, query: Record<string, string | undefined>) {
      const { user, source } = await requester(request, id);
      return { user, source, plan: planDownload(source, query, { now: deps.now(), editor: isEditor(user) }) };
    }

    /**
     * A clip of a live item with no processed master yet, cut from the pieces received
     * (live-clip.ts); null when the item's master is to be used after all (it became ready
     * while the request was being looked at, and its pieces went).
     */
    async function sendLiveClip(
      request: FastifyRequest,
      reply: FastifyReply,
      user: User,
      source: DownloadSource,
      recording: LiveRecording,
    ) {
      const query = request.query as PlanQuery;
      const live = await liveClips.plan(source, recording, query, {
        now: deps.now(),
        editor: isEditor(user),
      });
      const folder = await clips.scratchFolder();
      let cacheKey: string | null = null;
      try {
        const { plan, local } = await liveClips.prepare(live, folder);
        cacheKey = plan.cacheKey;
        return await sendCut(request, reply, user, source, plan, local);
      } catch (error) {
        if (cacheKey === null && (await findDownloadSource(deps.db, source.itemId))?.status === "ready")
          return null;
        throw error;
      } finally {
        // The joined stretch is kept until no cut of this clip reads it.
        const remove = () => rm(folder, { recursive: true, force: true });
        void (cacheKey === null ? remove() : clips.settled(cacheKey).then(remove)).catch((error: unknown) =>
          deps.log.warn({ err: error }, "live clip work folder not removed"),
        );
      }
    }

    /** A clip to cut (or in the cache): as it is cut for the request that starts the cut, else the cached file. */
    async function sendCut(
      request: FastifyRequest,
      reply: FastifyReply,
      user: User,
      source: DownloadSource,
      plan: CutPlan,
      local?: LocalMaster,
    ) {
      let clip: CachedClip | null = null;
      if (request.method === "HEAD") {
        clip = await clips.cached(plan);
        // Answering HEAD must not cost a cut: the size is unknown until the clip is made.
        if (!clip && canStreamClip(plan.format, plan.info)) return clipHeaders(reply, plan).send();
      }
      // A range of a clip not cut yet: the whole clip first, then the part asked for.
      const signal = requestSignal(reply);
      const fresh = request.method === "GET" && wantsWhole(request);
      const answer = clip
        ? { kind: "cached" as const, clip }
        : await clips.clipFor(source, plan, { signal, fresh, ...(local ? { local } : {}) });
      if (answer.kind === "fresh") return sendFresh(reply, user, source.itemId, plan, answer);
      return sendStoredDownload(request, reply, user, source.itemId, plan, answer.clip.storageKey);
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
        const { user, source } = await requester(request, request.params.id);
        const recording = await findLiveRecording(deps.db, source);
        if (recording) {
          const sent = await sendLiveClip(request, reply, user, source, recording);
          if (sent !== null) return sent;
        }
        const { plan } = await prepare(request, request.params.id, request.query);
        if (plan.kind === "stored")
          return sendStoredDownload(request, reply, user, source.itemId, plan, plan.key);
        return sendCut(request, reply, user, source, plan);
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
        // An empty file would look like a download that went wrong: say why there is none.
        if (cues.length === 0) throw new UserError("no_subtitles");
        const clip =
          plan.kind === "cut" && (plan.inFrame > 0 || plan.outFrame < plan.info.frameCount) ? plan : null;
        const [from, to] =
          plan.kind === "cut"
            ? [framesToSeconds(plan, plan.inFrame), framesToSeconds(plan, plan.outFrame)]
            : [0, Number.POSITIVE_INFINITY];
        const name = subtitleFileName(source, clip, format);
        reply.header("content-disposition", contentDisposition(name));
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

  /** A stored file (a whole master, a photo, a cached clip), with ranges; recorded when it starts at byte 0. */
  async function sendStoredDownload(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    itemId: number,
    plan: DownloadPlan,
    key: string,
  ) {
    const stat = await deps.storage.stat(key);
    if (!stat) throw new UserError("not_ready");
    if (request.method === "GET" && startsAtZero(request)) {
      // Sent whole when the response finished; otherwise what this response put on its
      // connection (responses on one connection follow each other, so the counter's growth
      // since now is this response's: its head and the part of the file that went out).
      const socket = reply.raw.socket;
      const before = socket?.bytesWritten ?? 0;
      await record(reply, user, itemId, plan, (finished) =>
        finished ? stat.size : Math.min(stat.size, (socket?.bytesWritten ?? before) - before),
      );
    }
    return sendStored(request, reply, deps.storage, key, stat, {
      contentType: plan.contentType,
      downloadName: plan.fileName,
      cacheControl: "private, no-store",
    });
  }

  /**
   * A clip for the request that started its cut: as ffmpeg writes it (no length and no ranges
   * yet: the next request gets the cached file, with both), or the finished work file with its
   * length. A streamed clip's headers wait for its first bytes, so a cut failing at once still
   * gets an error response; a failure later breaks the response off, never ends it as if complete.
   */
  async function sendFresh(
    reply: FastifyReply,
    user: User,
    itemId: number,
    plan: CutPlan,
    fresh: Extract<ClipAnswer, { kind: "fresh" }>,
  ) {
    if (fresh.length === null) await once(fresh.body, "readable");
    const counter = byteCounter();
    // Errors reach the response through `counter`; the callback only keeps them from being thrown.
    pipeline(fresh.body, counter, () => {});
    // What this response's body handed to the connection, less what still waits in its buffer.
    await record(reply, user, itemId, plan, (finished) =>
      finished ? counter.bytes : Math.max(0, counter.bytes - reply.raw.writableLength),
    );
    const headers = clipHeaders(reply, plan);
    if (fresh.length !== null) headers.header("content-length", fresh.length);
    return headers.send(counter);
  }

  /** Records the download now; its size when the response ends: `sent(finished)`. */
  async function record(
    reply: FastifyReply,
    user: User,
    itemId: number,
    plan: DownloadPlan,
    sent: (finished: boolean) => number,
  ) {
    const id = await recordDownload(deps.db, {
      userId: user.id,
      mediaItemId: itemId,
      // On the recording's frames (a live clip is cut from a stretch of it).
      inFrame: plan.kind === "cut" ? plan.inFrame + (plan.offsetFrames ?? 0) : null,
      outFrame: plan.kind === "cut" ? plan.outFrame + (plan.offsetFrames ?? 0) : null,
      format: plan.format,
      audio: plan.kind === "cut" ? plan.audio : "all",
      fileName: plan.fileName,
      bytes: null,
      createdAt: deps.now(),
    });
    const save = (finished: boolean) =>
      setDownloadBytes(deps.db, id, sent(finished)).catch((error: unknown) =>
        deps.log.error({ err: error }, "download bytes"),
      );
    let finished = false;
    reply.raw.once("finish", () => {
      finished = true;
      void save(true);
    });
    reply.raw.once("close", () => {
      if (!finished) void save(false);
    });
  }
}

type CutPlan = Extract<DownloadPlan, { kind: "cut" }>;

function clipHeaders(reply: FastifyReply, plan: CutPlan): FastifyReply {
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
