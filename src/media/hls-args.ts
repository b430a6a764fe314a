import type { MasterInfo, VideoInfo } from "./probe.ts";
import { displayAspect } from "./thumbnails-args.ts";

/** One rung of the preview ladder. */
export interface HlsVariant {
  /** Also its folder: "720p". */
  name: string;
  width: number;
  height: number;
  /** bits per second */
  videoBitrate: number;
}

// Three rungs cover a phone on a train and a desk screen; more only slows ingest.
const rungs: { height: number; bitrate: number }[] = [
  { height: 1080, bitrate: 5_000_000 },
  { height: 720, bitrate: 2_800_000 },
  { height: 360, bitrate: 800_000 },
  { height: 240, bitrate: 400_000 },
];
const MAX_VARIANTS = 3;
const SEGMENT_SECONDS = 4;
const KEYFRAME_SECONDS = 2;
const AUDIO_BITRATE = "128k";

/** At most 1080p, never upscaled, at least two variants (a tiny master gets itself and its half). */
export function hlsLadder(video: Pick<VideoInfo, "width" | "height" | "sampleAspectRatio">): HlsVariant[] {
  const aspect = displayAspect(video);
  const top = Math.min(1080, even(video.height));
  const heights = rungs.map((r) => r.height).filter((h) => h <= top);
  if (heights[0] !== top) heights.unshift(top);
  if (heights.length < 2) heights.push(even(top / 2));
  return heights.slice(0, MAX_VARIANTS).map((height) => ({
    name: `${height}p`,
    width: even(height * aspect),
    height,
    videoBitrate: bitrateFor(height),
  }));
}

/** The filters and output options of the HLS ladder, fed from `picture` (a decoded, deinterlaced label). */
export function hlsOutput(
  info: MasterInfo,
  ladder: HlsVariant[],
  outDir: string,
  picture: string,
): { filters: string[]; args: string[] } {
  const n = ladder.length;
  const filters = [
    `${picture}split=${n}${ladder.map((_, i) => `[s${i}]`).join("")}`,
    ...ladder.map((v, i) => `[s${i}]scale=${v.width}:${v.height},setsar=1[v${i}]`),
  ];
  const audio = previewAudio(info);
  if (audio) filters.push(`${audio}asplit=${n}${ladder.map((_, i) => `[a${i}]`).join("")}`);
  const maps = ladder.flatMap((_, i) => ["-map", `[v${i}]`, ...(audio ? ["-map", `[a${i}]`] : [])]);
  const bitrates = ladder.flatMap((v, i) => [
    `-b:v:${i}`,
    String(v.videoBitrate),
    `-maxrate:v:${i}`,
    String(Math.round(v.videoBitrate * 1.5)),
    `-bufsize:v:${i}`,
    String(v.videoBitrate * 2),
  ]);
  // Each rung carries its own copy of the audio: an audio-only variant would let players pick silence.
  const streamMap = ladder.map((v, i) => `v:${i},${audio ? `a:${i},` : ""}name:${v.name}`).join(" ");
  const args = [
    ...maps,
    // The master's timecode and tags mean nothing in a preview, and its timecode track upsets the mp4 muxer.
    ...["-map_metadata", "-1", "-map_chapters", "-1"],
    // High profile, 8-bit 4:2:0: what every browser decodes in hardware.
    ...["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p", ...bitrates],
    // A keyframe every 2 s, not at scene cuts, so every segment of every rung starts at the same time.
    ...["-force_key_frames", `expr:gte(t,n_forced*${KEYFRAME_SECONDS})`, "-sc_threshold", "0"],
    ...(audio ? ["-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ac", "2", "-ar", "48000"] : []),
    ...["-f", "hls", "-hls_time", String(SEGMENT_SECONDS), "-hls_playlist_type", "vod"],
    ...["-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4"],
    ...["-hls_segment_filename", `${outDir}/%v/seg_%05d.m4s`, "-master_pl_name", "master.m3u8"],
    ...["-var_stream_map", streamMap, `${outDir}/%v/index.m3u8`],
  ];
  return { filters, args };
}

/**
 * Broadcast masters carry one mono track per channel: the first two mono tracks become the
 * preview's left and right; otherwise the first track, downmixed to stereo by the encoder.
 */
function previewAudio(info: MasterInfo): string | null {
  const [first, second] = info.audio;
  if (!first) return null;
  if (first.channels === 1 && second?.channels === 1) {
    return `[0:${first.streamIndex}][0:${second.streamIndex}]amerge=inputs=2,`;
  }
  return `[0:${first.streamIndex}]`;
}

function bitrateFor(height: number): number {
  const rung = rungs.find((r) => r.height <= height) ?? rungs.at(-1)!;
  return Math.round((rung.bitrate * height) / rung.height);
}

function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}
