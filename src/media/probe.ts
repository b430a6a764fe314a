import { stat } from "node:fs/promises";
import { CorruptMedia, NotAVideo } from "./errors.ts";
import { type RunOptions, runFfmpeg, runFfprobeJson, ToolFailed } from "./ffmpeg.ts";
import type { Rational } from "./timecode.ts";

export type FieldOrder = "progressive" | "tff" | "bff" | "unknown";

export interface VideoInfo {
  /** Index among all the file's streams, as ffmpeg's `-map 0:N` counts. */
  streamIndex: number;
  codec: string;
  profile: string | null;
  /** The H.264 level as ffprobe gives it (40 for 4.0); an encoder reproducing the master needs it. */
  level: number | null;
  pixelFormat: string;
  width: number;
  height: number;
  sampleAspectRatio: string | null;
  frameRate: Rational;
  fieldOrder: FieldOrder;
  bitRate: number | null;
  /** Frames a decoder holds back to reorder B-frames (the SPS's num_reorder_frames for H.264). */
  reorderDelay: number;
  /** Every frame is a keyframe (ProRes, DNxHD, AVC-Intra): any frame can start a stream copy. */
  allIntra: boolean;
  colorRange: string | null;
  colorSpace: string | null;
  colorPrimaries: string | null;
  colorTransfer: string | null;
}

export interface AudioTrack {
  streamIndex: number;
  codec: string;
  channels: number;
  sampleRate: number;
  bitDepth: number | null;
  language: string | null;
}

export interface MasterInfo {
  /** "mxf", "mov", "mp4", or ffmpeg's name for anything else it reads. */
  container: string;
  video: VideoInfo;
  audio: AudioTrack[];
  durationSeconds: number;
  frameCount: number;
  /** Presentation time of the first frame; seeks and audio cuts are measured from it. */
  startSeconds: number;
  /** The timecode shown on the first frame, "HH:MM:SS:FF" or "HH:MM:SS;FF"; null if none is recorded. */
  startTimecode: string | null;
}

interface ProbeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  level?: number;
  pix_fmt?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  has_b_frames?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  field_order?: string;
  bit_rate?: string;
  nb_frames?: string;
  duration?: string;
  start_time?: string;
  channels?: number;
  sample_rate?: string;
  bits_per_sample?: number;
  bits_per_raw_sample?: string;
  color_range?: string;
  color_space?: string;
  color_primaries?: string;
  color_transfer?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string; tags?: Record<string, string> };
}

// A handful of packets tells intra-only from long-GOP without reading the file.
const INTRA_SAMPLE = 24;

export async function probeMaster(path: string, options: RunOptions = {}): Promise<MasterInfo> {
  const size = (await stat(path)).size;
  if (size === 0) throw new NotAVideo("the file is empty", { reason: "empty" });
  const [probe, keyframeFlags] = await Promise.all([
    runFfprobeJson(["-show_format", "-show_streams", path], options).catch(rejectUnreadable),
    runFfprobeJson(
      [
        "-select_streams",
        "v:0",
        "-read_intervals",
        `%+#${INTRA_SAMPLE}`,
        "-show_entries",
        "packet=flags",
        path,
      ],
      options,
    ).catch(rejectUnreadable),
  ]);
  const output = probe as ProbeOutput;
  const streams = output.streams ?? [];
  const stream = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  const formatName = output.format?.format_name ?? "unknown";
  // An image demuxer means a still picture, whatever the file is called.
  if (stream === undefined || /_pipe$|^image2/.test(formatName)) {
    throw new NotAVideo("the file holds no video stream", { format: formatName });
  }
  const frameRate = parseRate(stream.avg_frame_rate) ?? parseRate(stream.r_frame_rate);
  const durationSeconds = Number(stream.duration ?? output.format?.duration);
  if (frameRate === null || !(durationSeconds > 0)) {
    throw new NotAVideo("the video has no frame rate or duration", { format: formatName });
  }
  const frameCount =
    stream.nb_frames !== undefined && Number(stream.nb_frames) > 0
      ? Number(stream.nb_frames)
      : Math.round((durationSeconds * frameRate.num) / frameRate.den);
  if (frameCount < 2) throw new NotAVideo("a single picture is not a video", { format: formatName });

  const packets = (keyframeFlags as { packets?: { flags?: string }[] }).packets ?? [];
  const info: MasterInfo = {
    container: containerName(formatName, output.format?.tags),
    video: {
      streamIndex: stream.index ?? 0,
      codec: stream.codec_name ?? "unknown",
      profile: stream.profile ?? null,
      level: stream.level !== undefined && stream.level > 0 ? stream.level : null,
      pixelFormat: stream.pix_fmt ?? "unknown",
      width: stream.width ?? 0,
      height: stream.height ?? 0,
      sampleAspectRatio: stream.sample_aspect_ratio ?? null,
      frameRate,
      fieldOrder: fieldOrder(stream.field_order),
      bitRate: numberOrNull(stream.bit_rate),
      reorderDelay: stream.has_b_frames ?? 0,
      allIntra: packets.length > 1 && packets.every((p) => p.flags?.startsWith("K") === true),
      colorRange: known(stream.color_range),
      colorSpace: known(stream.color_space),
      colorPrimaries: known(stream.color_primaries),
      colorTransfer: known(stream.color_transfer),
    },
    audio: streams.filter((s) => s.codec_type === "audio").map(audioTrack),
    durationSeconds,
    frameCount,
    startSeconds: Number(stream.start_time ?? 0) || 0,
    startTimecode: findTimecode(stream, streams, output.format?.tags),
  };
  await checkLastSecondDecodes(path, info, options);
  return info;
}

/**
 * A truncated upload keeps a header that promises the whole duration; decoding only the last
 * second finds the missing end in a fraction of a second, whatever the file's length.
 */
async function checkLastSecondDecodes(path: string, info: MasterInfo, options: RunOptions): Promise<void> {
  const { frameRate, streamIndex } = info.video;
  const tailStart = Math.max(0, info.frameCount - Math.round(frameRate.num / frameRate.den));
  const seek = info.startSeconds + (tailStart * frameRate.den) / frameRate.num;
  let decoded = 0;
  try {
    await runFfmpeg(["-ss", seek.toFixed(6), "-i", path, "-map", `0:${streamIndex}`, "-f", "null", "-"], {
      ...options,
      onProgress: (frames) => {
        decoded = frames;
      },
    });
  } catch (error) {
    if (error instanceof ToolFailed) throw new CorruptMedia("the end of the video cannot be decoded");
    throw error;
  }
  // One frame of slack: containers round their duration, decoders do not.
  if (decoded < info.frameCount - tailStart - 1) {
    throw new CorruptMedia("the video stops before its announced end", {
      expectedFrames: info.frameCount - tailStart,
      decodedFrames: decoded,
    });
  }
}

function rejectUnreadable(error: unknown): never {
  if (!(error instanceof ToolFailed)) throw error;
  // An MP4 whose index never arrived is a damaged video, not some other kind of file.
  if (/moov atom not found/.test(error.stderr)) throw new CorruptMedia("the video's index is missing");
  throw new NotAVideo("the file is not a video ffmpeg can read");
}

function findTimecode(
  video: ProbeStream,
  streams: ProbeStream[],
  formatTags: Record<string, string> | undefined,
): string | null {
  const candidates = [video.tags?.timecode, ...streams.map((s) => s.tags?.timecode), formatTags?.timecode];
  return candidates.find((tc) => tc !== undefined && /^\d\d:\d\d:\d\d[:;]\d\d$/.test(tc)) ?? null;
}

function audioTrack(stream: ProbeStream): AudioTrack {
  const rawBits = Number(stream.bits_per_raw_sample);
  const bits =
    stream.bits_per_sample !== undefined && stream.bits_per_sample > 0 ? stream.bits_per_sample : rawBits;
  const language = stream.tags?.language;
  return {
    streamIndex: stream.index ?? 0,
    codec: stream.codec_name ?? "unknown",
    channels: stream.channels ?? 0,
    sampleRate: Number(stream.sample_rate ?? 0),
    bitDepth: bits > 0 ? bits : null,
    language: language === undefined || language === "und" ? null : language,
  };
}

function containerName(formatName: string, tags: Record<string, string> | undefined): string {
  if (formatName === "mxf") return "mxf";
  if (formatName.startsWith("mov,mp4")) return tags?.major_brand?.trim() === "qt" ? "mov" : "mp4";
  return formatName;
}

function fieldOrder(value: string | undefined): FieldOrder {
  // The second letter is the field shown first ("tb": top coded first, bottom shown first).
  if (value === "progressive") return "progressive";
  if (value === "tt" || value === "bt") return "tff";
  if (value === "bb" || value === "tb") return "bff";
  return "unknown";
}

export function parseRate(text: string | undefined): Rational | null {
  const [num, den] = (text ?? "").split("/").map(Number);
  if (num === undefined || den === undefined || !(num > 0) || !(den > 0)) return null;
  return { num, den };
}

function numberOrNull(text: string | undefined): number | null {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

function known(value: string | undefined): string | null {
  return value === undefined || value === "unknown" ? null : value;
}
