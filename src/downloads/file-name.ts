import type { ClipFormat } from "../media/clip-output.ts";
import type { MasterInfo } from "../media/probe.ts";
import { timecodeAtFrame } from "../media/timecode.ts";
import type { DownloadSource } from "./item-source.ts";

/** ASCII, lower-case, dashes: safe in every file system and editing system. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

function base(source: DownloadSource): string {
  const title = slugify(source.titleEn || source.titleFr) || `item-${source.itemId}`;
  return source.eventSlug ? `${slugify(source.eventSlug)}_${title}` : title;
}

/** "summit_press-conference_10-00-05-12_10-00-45-12_mp4.mp4": event, item, IN–OUT timecodes, format. */
export function clipFileName(
  source: DownloadSource,
  info: MasterInfo,
  inFrame: number,
  outFrame: number,
  format: ClipFormat,
  ext: string,
): string {
  // Colons and semicolons are not allowed in Windows file names.
  const tc = (frame: number) =>
    timecodeAtFrame(info.startTimecode, frame, info.video.frameRate).replace(/[:;]/g, "-");
  return `${base(source)}_${tc(inFrame)}_${tc(outFrame)}_${format}.${ext}`;
}

export function fullFileName(source: DownloadSource, format: string, ext: string): string {
  return `${base(source)}_full_${format}.${ext}`;
}
