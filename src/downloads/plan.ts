import { createHash } from "node:crypto";
import { utcLabel } from "../catalogue/access.ts";
import { isAvailable } from "../catalogue/types.ts";
import { fromMediaError, UserError } from "../core/errors.ts";
import { type ClipRangeContext, parseClipPoint, resolveClipRange } from "../media/clip-range.ts";
import { MediaError } from "../media/errors.ts";
import type { ClipFormat } from "../media/formats.ts";
import { clipFile, isClipFormat } from "../media/formats.ts";
import type { MasterInfo } from "../media/probe.ts";
import { timecodeAtFrame } from "../media/timecode.ts";
import { clipFileName, fullFileName } from "./file-name.ts";
import type { DownloadSource } from "./item-source.ts";

export const photoSizes = ["original", "web"] as const;

export type DownloadQuery = { format?: string; in?: string; out?: string; last?: string; audio?: string };

/** What to send: a stored file as it is (full master, photo), or a clip to cut (or take from the cache). */
export type DownloadPlan =
  | { kind: "stored"; key: string; contentType: string; fileName: string; format: string }
  | {
      kind: "cut";
      info: MasterInfo;
      inFrame: number;
      outFrame: number;
      format: ClipFormat;
      /** Master audio tracks to keep, by position among the audio tracks; null keeps all. */
      audioTracks: number[] | null;
      audio: string;
      contentType: string;
      fileName: string;
      cacheKey: string;
      /**
       * A live clip (downloads/live-clip.ts) is cut from a stretch of the recording joined from
       * a later piece: its frames there are the recording's less this many. Absent: 0.
       */
      offsetFrames?: number;
    };

const photoContentTypes: Record<string, string> = {
  jpg: "image/jpeg",
  png: "image/png",
  tif: "image/tiff",
};

/**
 * Checks a download request against the item (available, processed, in range) before
 * anything is cut, and decides how to serve it. Every refusal is a translated UserError.
 */
export function planDownload(
  source: DownloadSource,
  query: DownloadQuery,
  options: { now: Date; editor: boolean },
): DownloadPlan {
  checkAccess(source, options);
  if (source.status !== "ready" || !source.master) throw new UserError("not_ready");
  const format = query.format ?? "original";

  if (source.mediaType === "photo") {
    if (!(photoSizes as readonly string[]).includes(format))
      throw new UserError(isClipFormat(format) ? "photo_format" : "unknown_format", { value: format });
    const web = format === "web" && source.webPhotoKey !== null;
    const key = web && source.webPhotoKey ? source.webPhotoKey : source.master.storageKey;
    // The web size is always a JPEG; an original's extension comes from its format as read.
    const ext = web ? "jpg" : ({ jpeg: "jpg", png: "png", tiff: "tif" }[source.photoFormat ?? ""] ?? "jpg");
    return {
      kind: "stored",
      key,
      format,
      contentType: photoContentTypes[ext] ?? "application/octet-stream",
      fileName: fullFileName(source, format, ext),
    };
  }

  if (!isClipFormat(format)) throw new UserError("unknown_format", { value: format });
  const clipFormat = format;
  const info = source.master.probe;
  if (!info) throw new UserError("not_ready");
  const audioTracks = selectAudio(source, query.audio);
  const partial = Boolean(query.in || query.out || query.last);
  if (!partial && clipFormat === "original" && audioTracks === null) {
    // From the container we probed, never from the name it was uploaded under (issue 8: a
    // master named `x;filename=evil.html;"ext.html` must not download as an HTML file).
    const file = clipFile("original", info);
    return {
      kind: "stored",
      key: source.master.storageKey,
      format,
      contentType: file.contentType,
      fileName: fullFileName(source, format, file.extension),
    };
  }
  const context = {
    rate: info.video.frameRate,
    startTimecode: info.startTimecode,
    frameCount: info.frameCount,
  };
  const first = timecodeAtFrame(info.startTimecode, 0, info.video.frameRate);
  const last = timecodeAtFrame(info.startTimecode, info.frameCount, info.video.frameRate);
  const { inText, outText } = clipPoints(query, context, first, last);
  const inPoint = pointFrame(inText, "in", context);
  if (pointFrame(outText, "out", context) <= inPoint) throw new UserError("out_before_in");
  const { inFrame, outFrame } = resolveClipRange(inText, outText, context);
  const file = clipFile(clipFormat, info);
  const audio = query.audio?.trim() || "all";
  const cacheKey = createHash("sha256")
    .update(
      JSON.stringify([
        source.itemId,
        source.master.storageKey,
        source.master.bytes,
        inFrame,
        outFrame,
        clipFormat,
        audioTracks,
      ]),
    )
    .digest("hex");
  return {
    kind: "cut",
    info,
    inFrame,
    outFrame,
    format: clipFormat,
    audioTracks,
    audio,
    contentType: file.contentType,
    fileName: partial
      ? clipFileName(source, info, inFrame, outFrame, clipFormat, file.extension)
      : fullFileName(source, format, file.extension),
    cacheKey,
  };
}

/** Drafts are for editors; an embargoed item for nobody else until it lifts (the same for recordings and lives). */
export function checkAccess(
  source: Pick<DownloadSource, "publishedAt" | "embargoUntil">,
  options: { now: Date; editor: boolean },
): void {
  if (!options.editor && source.publishedAt === null) throw new UserError("item_not_found");
  if (!options.editor && !isAvailable(source, options.now)) {
    throw new UserError("embargoed", { until: source.embargoUntil ? utcLabel(source.embargoUntil) : "" });
  }
}

/**
 * IN and OUT as typed, defaulting to the first frame and the end; `last=30` (seconds) is the last
 * 30 s up to the end (of the recording, or of what a live has received), IN and OUT ignored.
 */
export function clipPoints(
  query: DownloadQuery,
  context: ClipRangeContext,
  first: string,
  end: string,
): { inText: string; outText: string } {
  const last = query.last?.trim();
  if (last) {
    const seconds = Number(last.replace(/s$/, "").replace(",", "."));
    const frames = Math.round((seconds * context.rate.num) / context.rate.den);
    if (!Number.isFinite(seconds) || frames < 1) throw new UserError("invalid_last", { value: last });
    const inFrame = Math.max(0, context.frameCount - frames);
    return { inText: timecodeAtFrame(context.startTimecode, inFrame, context.rate), outText: end };
  }
  return { inText: query.in?.trim() || first, outText: query.out?.trim() || end };
}

/**
 * A typed IN or OUT as a frame; a point that is no time, or further than any video runs, is
 * refused at its field (`in`, `out`), as the API names a schema's refusals.
 */
export function pointFrame(text: string, field: "in" | "out", context: ClipRangeContext): number {
  try {
    return parseClipPoint(text, context);
  } catch (error) {
    if (!(error instanceof MediaError)) throw error;
    const known = fromMediaError(error);
    throw new UserError(known.code, known.params, { [field]: [`error.${known.code}`] });
  }
}

/** `audio=all` (or absent) keeps every track; a label (floor, en, fr…) keeps the tracks the editors gave it. */
function selectAudio(source: DownloadSource, audio: string | undefined): number[] | null {
  const wanted = audio?.trim();
  if (!wanted || wanted === "all") return null;
  const labels = source.master!.audioLabels;
  const tracks = labels.filter((l) => l.label === wanted).map((l) => l.index);
  if (tracks.length === 0) {
    const choices = ["all", ...new Set(labels.map((l) => l.label).filter((l) => l !== ""))].join(", ");
    throw new UserError("unknown_audio", { value: wanted, choices });
  }
  return tracks;
}
