import { aacArgs, mp3Args, pcmArgs } from "./encoder-args/audio.ts";
import { deliveryH264Args } from "./encoder-args/h264.ts";
import { mpeg2Args, mpeg2DeliveryBitRate, XDCAM_GOP } from "./encoder-args/mpeg2.ts";
import { proresArgs } from "./encoder-args/prores.ts";
import type { AudioTrack, MasterInfo, VideoInfo } from "./probe.ts";

/**
 * The download formats: everything the portal knows about each, in one entry. Lists, the API's
 * schema, file names, content types, size estimates and the cutter's choices are derived from
 * here, so adding a format is one entry plus its two labels (`downloads.format.<id>` in
 * web/i18n/downloads.*.json). See "Add a download format" in docs/ARCHITECTURE.md.
 */

/** The containers clips are written in; clip-output.ts knows each one's muxer arguments. */
export type Muxer = "mp4" | "mov" | "mxf" | "wav" | "mp3";

export type AudioLayout =
  /** Every track of the master as its own stream, as broadcast containers carry them. */
  | "tracks"
  /** All tracks as the channels of one stream: WAV holds a single stream. */
  | "merged"
  /** The first track alone, downmixed to stereo at most: MP3. */
  | "first";

/** What a size estimate knows of the master (downloads/estimate.ts). */
export interface EstimatePicture {
  width: number;
  height: number;
  framesPerSecond: number;
}

export interface DeliveryFormat {
  /** Sound formats are offered only for masters with sound; video formats only for video. */
  kind: "video" | "sound";
  muxer(info: Pick<MasterInfo, "container">): Muxer;
  audio: AudioLayout;
  audioCodec(tracks: AudioTrack[], info: Pick<MasterInfo, "container">): string[];
  /** Whether the master's video already is this format, so its frames can be copied. */
  alreadyIn(info: Pick<MasterInfo, "container" | "video">): boolean;
  /** The encoder when the video must be re-encoded (null for sound, and for "original", always copied). */
  videoEncoder: ((video: VideoInfo) => string[]) | null;
  /**
   * Video bits per second, for the size estimate; null for sound, and for "original", which
   * takes the master's own rate.
   */
  videoBitRate: ((picture: EstimatePicture) => number) | null;
  /** How the sound is counted in the estimate. */
  audioBitRate: "pcm" | "aac" | "mp3" | "master";
}

// x264 at CRF 16 (deliveryH264Args) lands near 0.25 bit per pixel per frame on camera footage
// (≈ 13 Mbit/s at 1080p25).
const H264_CRF16_BITS_PER_PIXEL = 0.25;
// ProRes 422 HQ (proresArgs): Apple's published 176 Mbit/s at 1920×1080 29.97.
const PRORES_HQ_BITS_PER_PIXEL = 176_000_000 / (1920 * 1080 * (30000 / 1001));

/** The master's own wrapper; an MP4 (or anything else) master's clip is an MP4. */
function originalMuxer(info: Pick<MasterInfo, "container">): Muxer {
  return info.container === "mxf" ? "mxf" : info.container === "mov" ? "mov" : "mp4";
}

const pixelRate = (p: EstimatePicture) => p.width * p.height * p.framesPerSecond;

export const deliveryFormats = {
  original: {
    kind: "video",
    muxer: originalMuxer,
    audio: "tracks",
    // MP4 players expect AAC; a master with PCM in MP4 is rare and still gets AAC.
    audioCodec: (tracks, info) => (originalMuxer(info) === "mp4" ? aacArgs(tracks) : pcmArgs(tracks)),
    alreadyIn: () => true,
    videoEncoder: null,
    videoBitRate: null,
    audioBitRate: "master",
  },
  mp4: {
    kind: "video",
    muxer: () => "mp4",
    audio: "tracks",
    audioCodec: aacArgs,
    alreadyIn: ({ container, video }) =>
      video.codec === "h264" &&
      video.pixelFormat === "yuv420p" &&
      (container === "mp4" || container === "mov"),
    videoEncoder: deliveryH264Args,
    videoBitRate: (p) => pixelRate(p) * H264_CRF16_BITS_PER_PIXEL,
    audioBitRate: "aac",
  },
  mxf: {
    kind: "video",
    muxer: () => "mxf",
    audio: "tracks",
    audioCodec: pcmArgs,
    alreadyIn: ({ container, video }) =>
      video.codec === "mpeg2video" && video.pixelFormat === "yuv422p" && container === "mxf",
    videoEncoder: (video) => mpeg2Args(video, XDCAM_GOP, mpeg2DeliveryBitRate(video), "422"),
    videoBitRate: (p) => mpeg2DeliveryBitRate(p),
    audioBitRate: "pcm",
  },
  prores: {
    kind: "video",
    muxer: () => "mov",
    audio: "tracks",
    audioCodec: pcmArgs,
    alreadyIn: ({ container, video }) => video.codec === "prores" && container === "mov",
    videoEncoder: proresArgs,
    videoBitRate: (p) => pixelRate(p) * PRORES_HQ_BITS_PER_PIXEL,
    audioBitRate: "pcm",
  },
  wav: {
    kind: "sound",
    muxer: () => "wav",
    audio: "merged",
    audioCodec: pcmArgs,
    alreadyIn: () => false,
    videoEncoder: null,
    videoBitRate: null,
    audioBitRate: "pcm",
  },
  mp3: {
    kind: "sound",
    muxer: () => "mp3",
    audio: "first",
    audioCodec: mp3Args,
    alreadyIn: () => false,
    videoEncoder: null,
    videoBitRate: null,
    audioBitRate: "mp3",
  },
} satisfies Record<string, DeliveryFormat>;

export type ClipFormat = keyof typeof deliveryFormats;

/** Every format, in the order the download menu lists them. */
export const clipFormats = Object.keys(deliveryFormats) as ClipFormat[];

export function deliveryFormat(format: ClipFormat): DeliveryFormat {
  return deliveryFormats[format];
}

/**
 * The formats that make sense for a master: no video formats for sound alone, no sound formats
 * without sound. The download menu and the ninjs renditions offer the same list.
 */
export function formatsForMaster(master: { hasVideo: boolean; hasSound: boolean }): ClipFormat[] {
  return clipFormats.filter((format) => {
    if (format === "original") return true;
    return deliveryFormats[format].kind === "sound" ? master.hasSound : master.hasVideo;
  });
}

export function isClipFormat(value: string): value is ClipFormat {
  return Object.hasOwn(deliveryFormats, value);
}

/** File extension and content type of each container. */
export const muxerFiles: Record<Muxer, { extension: string; contentType: string }> = {
  mp4: { extension: "mp4", contentType: "video/mp4" },
  mov: { extension: "mov", contentType: "video/quicktime" },
  mxf: { extension: "mxf", contentType: "application/mxf" },
  wav: { extension: "wav", contentType: "audio/wav" },
  mp3: { extension: "mp3", contentType: "audio/mpeg" },
};

/** "mp4", "mov"… for a clip of this master in this format. */
export function clipFile(format: ClipFormat, info: Pick<MasterInfo, "container">) {
  return muxerFiles[deliveryFormats[format].muxer(info)];
}
