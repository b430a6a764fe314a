import { existsSync } from "node:fs";
import { type RunOptions, runFfmpeg } from "../media/ffmpeg.ts";

/**
 * The demo masters: 720p25 HD colour bars with a small moving test pattern (bars alone would
 * look frozen in a player), SMPTE timecode burned in and recorded, H.264 + AAC. Bars keep the
 * files small: a full-frame moving pattern costs ten times the bytes.
 */
export const videoFormat = { width: 1280, height: 720, frameRate: 25, startTimecode: "10:00:00:00" } as const;

export const demoFont = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

/** Whether this machine can burn text into pictures (drawtext needs a font file). */
export function fontAvailable(font = demoFont): boolean {
  return existsSync(font);
}

export type VideoMasterInput = {
  seconds: number;
  /** The speech track; without it, a quiet room tone (B-roll has natural sound, not silence). */
  wavPath: string | null;
  /** A file holding the caption drawn top left (a file, so no text needs filter escaping). */
  captionFile: string | null;
  font: string | null;
  output: string;
};

/** ffmpeg arguments for one master; pure, so the recipe can be read and tested without running it. */
export function videoMasterArgs(input: VideoMasterInput): string[] {
  const { width, height, frameRate, startTimecode } = videoFormat;
  const seconds = input.seconds.toFixed(3);
  const bars = `smptehdbars=size=${width}x${height}:rate=${frameRate}:duration=${seconds}`;
  const motion = `testsrc2=size=${width / 4}x${height / 4}:rate=${frameRate}:duration=${seconds}`;
  const sound = input.wavPath
    ? ["-i", input.wavPath]
    : ["-f", "lavfi", "-i", `anoisesrc=color=brown:amplitude=0.02:sample_rate=48000:duration=${seconds}`];
  return [
    ...["-f", "lavfi", "-i", bars, "-f", "lavfi", "-i", motion],
    ...sound,
    ...["-filter_complex", `[0:v][1:v]overlay=x=W-w-32:y=32,${pictureFilters(input)}[v]`],
    ...["-map", "[v]", "-map", "2:a", "-t", seconds],
    // Small files: the demo shows the workflow, not picture quality.
    ...["-c:v", "libx264", "-preset", "ultrafast", "-crf", "28", "-pix_fmt", "yuv420p"],
    // Closed two-second GOPs, as broadcasters deliver, so partial downloads have keyframes to cut at.
    ...["-g", String(2 * frameRate), "-keyint_min", String(2 * frameRate), "-sc_threshold", "0"],
    ...["-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-ac", "2"],
    // The timecode track matches the burned-in one, so a cut's timecode can be checked by eye.
    ...["-timecode", startTimecode, "-movflags", "+faststart", "-f", "mp4", input.output],
  ];
}

function pictureFilters(input: VideoMasterInput): string {
  if (!input.font) return "null";
  const { frameRate, startTimecode, height } = videoFormat;
  const font = `fontfile=${input.font}`;
  const timecode =
    `drawtext=${font}:timecode='${startTimecode.replaceAll(":", "\\:")}':rate=${frameRate}` +
    `:fontsize=${Math.round(height / 10)}:fontcolor=white:box=1:boxcolor=black@0.7:boxborderw=14` +
    ":x=(w-tw)/2:y=h-th-48";
  if (!input.captionFile) return timecode;
  const caption =
    `drawtext=${font}:textfile=${input.captionFile}:expansion=none:fontsize=${Math.round(height / 28)}` +
    ":fontcolor=white:box=1:boxcolor=black@0.7:boxborderw=10:x=32:y=32";
  return `${timecode},${caption}`;
}

export async function renderVideoMaster(input: VideoMasterInput, options: RunOptions = {}): Promise<void> {
  await runFfmpeg(videoMasterArgs(input), options);
}
