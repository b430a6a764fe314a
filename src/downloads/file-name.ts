import { slugify } from "../catalogue/slugify.ts";
import type { ClipFormat } from "../media/formats.ts";
import type { MasterInfo } from "../media/probe.ts";
import { timecodeAtFrame } from "../media/timecode.ts";
import type { DownloadSource } from "./item-source.ts";

function base(source: DownloadSource): string {
  const title = slugify(source.titleEn || source.titleFr, 60) || `item-${source.itemId}`;
  return source.eventSlug ? `${slugify(source.eventSlug, 60)}_${title}` : title;
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
  return `${base(source)}_${range(info, inFrame, outFrame)}_${format}.${ext}`;
}

export function fullFileName(source: DownloadSource, format: string, ext: string): string {
  return `${base(source)}_full_${format}.${ext}`;
}

/**
 * Subtitles beside a download: named as the clip they are timed to, without a video format
 * ("summit_press-conference_10-00-05-12_10-00-45-12.srt"), or "…_full.srt" for the whole item.
 */
export function subtitleFileName(
  source: DownloadSource,
  clip: { info: MasterInfo; inFrame: number; outFrame: number } | null,
  ext: "srt" | "vtt",
): string {
  return `${base(source)}_${clip ? range(clip.info, clip.inFrame, clip.outFrame) : "full"}.${ext}`;
}

function range(info: MasterInfo, inFrame: number, outFrame: number): string {
  // Colons and semicolons are not allowed in Windows file names.
  const tc = (frame: number) =>
    timecodeAtFrame(info.startTimecode, frame, info.video.frameRate).replace(/[:;]/g, "-");
  return `${tc(inFrame)}_${tc(outFrame)}`;
}
