import type { ClipFormat } from "../media/clip-output.ts";
import type { Rational } from "../media/timecode.ts";
import { numberFormat } from "../web/intl.ts";
import type { DownloadSource } from "./item-source.ts";

/**
 * What the page tells a user before they download: how long the clip is and roughly how big.
 * Pure, so the server's panel and the browser's clip selector give the same number.
 *
 * Assumptions (the cutter's settings in src/media/encoder-args decide the real size):
 * - the master as it is: its exact size; a clip of it: the master's average rate over the clip;
 * - MP4: x264 CRF 16 "visually lossless" lands near 0.25 bit per pixel per frame on camera
 *   footage (≈ 13 Mbit/s at 1080p25), plus AAC at 128 kbit/s per channel, stereo at most per track;
 * - MXF XDCAM HD422: 50 Mbit/s CBR above SD, 15 Mbit/s below (mpeg2DeliveryBitRate);
 * - ProRes 422 HQ (profile 3, what proresArgs writes): Apple's published 176 Mbit/s at 1920×1080
 *   29.97, i.e. ≈ 2.83 bits per pixel per frame;
 * - PCM (MXF, MOV, WAV): 48 kHz, 24-bit unless every master track is 16-bit (pcmArgs);
 * - MP3: 256 kbit/s;
 * - containers add about 1%.
 */

export type EstimateSource = {
  /** "mp4", "mov", "mxf"… as probed. */
  container: string;
  masterBytes: number;
  frameCount: number;
  rate: Rational;
  width: number;
  height: number;
  audio: { channels: number; bitDepth: number | null }[];
};

export type EstimateRequest = {
  format: ClipFormat;
  inFrame: number;
  outFrame: number;
  /** Positions among the master's audio tracks; null keeps them all. */
  audioTracks: number[] | null;
  /** The stored master sent as it is (whole item, original format, every track). */
  whole: boolean;
};

const MP4_BITS_PER_PIXEL = 0.25;
const PRORES_422_BITS_PER_PIXEL = 176_000_000 / (1920 * 1080 * (30000 / 1001));
const AAC_BITS_PER_CHANNEL = 128_000;
const MP3_BITS = 256_000;
const PCM_RATE = 48_000;
const CONTAINER_OVERHEAD = 1.01;
const WAV_HEADER_BYTES = 44;

export function frameSeconds(frames: number, rate: Rational): number {
  return (frames * rate.den) / rate.num;
}

/** Approximate bytes of the file a request produces; exact for the master sent as it is. */
export function estimateBytes(source: EstimateSource, request: EstimateRequest): number {
  if (request.whole) return source.masterBytes;
  const frames = Math.max(0, request.outFrame - request.inFrame);
  const seconds = frameSeconds(frames, source.rate);
  const tracks =
    request.audioTracks === null
      ? source.audio
      : request.audioTracks.flatMap((i) => (source.audio[i] ? [source.audio[i]] : []));
  const fps = source.rate.num / source.rate.den;
  const pixelRate = source.width * source.height * fps;
  const pcm = pcmBitRate(source, tracks);
  const aac = tracks.reduce((sum, t) => sum + Math.min(2, Math.max(1, t.channels)) * AAC_BITS_PER_CHANNEL, 0);
  let bitsPerSecond: number;
  switch (request.format) {
    case "original":
      // The master's own average rate: copied video, audio much as it was.
      return Math.round(source.frameCount > 0 ? (source.masterBytes * frames) / source.frameCount : 0);
    case "mp4":
      bitsPerSecond = pixelRate * MP4_BITS_PER_PIXEL + aac;
      break;
    case "mxf":
      bitsPerSecond = (source.height > 576 ? 50_000_000 : 15_000_000) + pcm;
      break;
    case "prores":
      bitsPerSecond = pixelRate * PRORES_422_BITS_PER_PIXEL + pcm;
      break;
    case "wav":
      return Math.round((pcm * seconds) / 8 + WAV_HEADER_BYTES);
    case "mp3":
      bitsPerSecond = tracks.length > 0 ? MP3_BITS : 0;
      break;
  }
  return Math.round(((bitsPerSecond * seconds) / 8) * CONTAINER_OVERHEAD);
}

function pcmBitRate(source: EstimateSource, tracks: EstimateSource["audio"]): number {
  const sixteen = source.audio.length > 0 && source.audio.every((t) => t.bitDepth === 16);
  const channels = tracks.reduce((sum, t) => sum + Math.max(1, t.channels), 0);
  return PCM_RATE * (sixteen ? 16 : 24) * channels;
}

/** What the estimate needs of a master, or null when it was not probed (yet). */
export function estimateSourceOf(source: DownloadSource): EstimateSource | null {
  const probe = source.master?.probe;
  const rate = probe?.video?.frameRate;
  if (!source.master || !probe || !rate || !(rate.num > 0) || !(rate.den > 0)) return null;
  // Catalogue rows written by hand may lack the frame count: the duration gives it.
  const frameCount = probe.frameCount ?? Math.round(((probe.durationSeconds ?? 0) * rate.num) / rate.den);
  return {
    container: probe.container ?? "",
    masterBytes: source.master.bytes,
    frameCount,
    rate,
    width: probe.video.width ?? 1920,
    height: probe.video.height ?? 1080,
    audio: (probe.audio ?? []).map((a) => ({ channels: a.channels ?? 2, bitDepth: a.bitDepth ?? null })),
  };
}

const units = {
  en: ["bytes", "kB", "MB", "GB", "TB"],
  fr: ["octets", "ko", "Mo", "Go", "To"],
} as const;

/** "12.3 MB" / "12,3 Mo": decimal units, as operating systems show file sizes. */
export function formatBytes(bytes: number, lang: "en" | "fr"): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units[lang].length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = numberFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    maximumFractionDigits: digits,
  }).format(value);
  return `${number} ${units[lang][unit]}`;
}

/** "2.04" s / "2,04" s: a clip's length in seconds, for readers who do not count in frames. */
export function formatSeconds(frames: number, rate: Rational, lang: "en" | "fr"): string {
  return numberFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(frameSeconds(frames, rate));
}
