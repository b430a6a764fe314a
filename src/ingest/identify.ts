import { stat } from "node:fs/promises";
import path from "node:path";
import { statusReason } from "../catalogue/status-reason.ts";
import type { MediaType, StatusReason } from "../catalogue/types.ts";
import { fromMediaError, UserError } from "../core/errors.ts";
import { MediaError } from "../media/errors.ts";
import type { FfmpegTools } from "../media/ffmpeg.ts";
import type { PhotoInfo } from "../media/photo.ts";
import { type MasterInfo, probeMaster } from "../media/probe.ts";
import { refusalOf } from "./accept-rules.ts";

export type Identified =
  | { mediaType: "video"; bytes: number; info: MasterInfo }
  | { mediaType: "photo"; bytes: number; photo: PhotoInfo };

const photoExtensions = new Set([".jpg", ".jpeg", ".png", ".tif", ".tiff"]);

/** What a file's name says it is; its content has the last word (identifyMaster). */
export function mediaTypeByName(name: string): "photo" | "video" {
  return photoExtensions.has(path.extname(name).toLowerCase()) ? "photo" : "video";
}

/**
 * What an uploaded file is, read from its content: a master we accept, a photo, or a UserError
 * saying why not. The name only chooses which reader to try, so a JPEG called .mxf is refused.
 */
export async function identifyMaster(
  file: string,
  originalName: string,
  expected?: MediaType,
  tools?: FfmpegTools,
): Promise<Identified> {
  const bytes = (await stat(file)).size;
  if (bytes === 0) throw new UserError("empty_upload");
  const isPhotoName = photoExtensions.has(path.extname(originalName).toLowerCase());
  if (expected === "audio") throw new UserError("unsupported_media", { detail: "audio-only items" });
  if (isPhotoName || expected === "photo") {
    if (expected === "video") throw new UserError("not_a_video");
    // Loaded on the first photo, not at start: sharp and exifr cost the web process ~20 MB.
    const { readPhoto } = await import("../media/photo.ts");
    return { mediaType: "photo", bytes, photo: await readPhoto(file).catch(throwAsUserError) };
  }
  const info = await probeMaster(file, { tools }).catch(throwAsUserError);
  const refusal = refusalOf(info);
  if (refusal) throw new UserError("unsupported_media", { detail: refusal });
  return { mediaType: "video", bytes, info };
}

/** The media module's errors become the user-facing codes, with their detail for the message. */
export function throwAsUserError(error: unknown): never {
  throw error instanceof MediaError ? fromMediaError(error) : error;
}

/** A refusal as the editors read it in the item's status, in their language (status-reason.ts). */
export function reasonOf(error: UserError): StatusReason {
  return statusReason(`error.${error.code}`, error.params);
}
