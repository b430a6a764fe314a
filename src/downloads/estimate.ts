import { formatDuration } from "../media/clock.ts";
import {
  AAC_BITS_PER_CHANNEL,
  aacChannels,
  MP3_BITS,
  PCM_SAMPLE_RATE,
  pcmBitDepth,
} from "../media/encoder-args/audio.ts";
import { type ClipFormat, deliveryFormat } from "../media/formats.ts";
import type { Rational } from "../media/timecode.ts";
import { numberFormat } from "../web/intl.ts";
import type { DownloadSource } from "./item-source.ts";

/**
 * What the page tells a user before they download: how long the clip is and roughly how big.
 * Pure, so the server's panel and the browser's clip selector give the same number.
 *
 * Video bit rates come from the format's entry in media/formats.ts (beside the encoder that
 * makes them); the sound's from the rates media/encoder-args/audio.ts writes (PCM, AAC per
 * channel, MP3). The master as it is: its exact size; a clip of it in its own format: the
 * master's average rate over the clip. Containers add about 1%.
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
  const definition = deliveryFormat(request.format);
  if (definition.audioBitRate === "master") {
    // The master's own average rate: copied video, audio much as it was.
    return Math.round(source.frameCount > 0 ? (source.masterBytes * frames) / source.frameCount : 0);
  }
  const picture = {
    width: source.width,
    height: source.height,
    framesPerSecond: source.rate.num / source.rate.den,
  };
  const video = definition.videoBitRate?.(picture) ?? 0;
  const sound = soundBitRate(definition.audioBitRate, source, tracks);
  // WAV's header is a fixed 44 bytes; other containers grow with their content.
  if (definition.muxer(source) === "wav") return Math.round((sound * seconds) / 8 + WAV_HEADER_BYTES);
  return Math.round((((video + sound) * seconds) / 8) * CONTAINER_OVERHEAD);
}

function soundBitRate(
  codec: "pcm" | "aac" | "mp3",
  source: EstimateSource,
  tracks: EstimateSource["audio"],
): number {
  switch (codec) {
    case "pcm":
      return pcmBitRate(source, tracks);
    case "aac":
      return tracks.reduce((sum, t) => sum + aacChannels(t) * AAC_BITS_PER_CHANNEL, 0);
    case "mp3":
      return tracks.length > 0 ? MP3_BITS : 0;
  }
}

function pcmBitRate(source: EstimateSource, tracks: EstimateSource["audio"]): number {
  const channels = tracks.reduce((sum, t) => sum + Math.max(1, t.channels), 0);
  return PCM_SAMPLE_RATE * pcmBitDepth(source.audio) * channels;
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

/**
 * A clip's length the way every length is written (media/clock.ts), to the hundredth since a
 * clip is cut to the frame: "0:02.04", in French "0:02,04".
 */
export function clipDuration(frames: number, rate: Rational, lang: "en" | "fr"): string {
  return formatDuration(frameSeconds(frames, rate), { decimals: 2, lang });
}
