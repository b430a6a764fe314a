/**
 * Real broadcast-like masters made with ffmpeg, cached by their parameters in .test-data/media-cache
 * so only the first run pays for them. Every picture shows its frame number (drawtext over testsrc2,
 * which itself changes every frame) and every audio track beeps for one frame at the start of each
 * second, so tests can check which frame they got and that sound stays in sync.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runFfmpeg } from "../../src/media/ffmpeg.ts";
import type { Rational } from "../../src/media/timecode.ts";

export const MEDIA_CACHE = fileURLToPath(new URL("../../.test-data/media-cache/", import.meta.url));

export interface TestMaster {
  path: string;
  width: number;
  height: number;
  rate: Rational;
  frameCount: number;
  startTimecode: string;
  audioTracks: number;
  /** Frames between keyframes as encoded (1 for all-intra). */
  gop: number;
}

// Bump when a recipe changes, so caches made by the old recipe are not reused.
const RECIPE_VERSION = 1;
const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
const BEEP_HZ = 1000;

/** Each second starts with one frame of 1 kHz tone: the onset marks that second's first frame. */
export function beepSeconds(durationSeconds: number): number[] {
  return Array.from({ length: Math.ceil(durationSeconds) }, (_, second) => second);
}

async function cached(
  name: string,
  params: object,
  ext: string,
  make: (path: string) => Promise<unknown>,
): Promise<string> {
  const key = createHash("sha256")
    .update(JSON.stringify({ RECIPE_VERSION, name, params }))
    .digest("hex")
    .slice(0, 12);
  const path = join(MEDIA_CACHE, `${name}-${key}.${ext}`);
  if (existsSync(path)) return path;
  await mkdir(MEDIA_CACHE, { recursive: true });
  // Written beside its final name and renamed, so a run killed midway never leaves a half file.
  // Recipes name their intermediate files after the temporary one, so they go with it.
  const scratch = `.${randomUUID()}`;
  const temporary = join(MEDIA_CACHE, `${scratch}.${ext}`);
  try {
    await make(temporary);
    await rename(temporary, path);
  } finally {
    const leftovers = (await readdir(MEDIA_CACHE)).filter((name) => name.startsWith(scratch));
    await Promise.all(leftovers.map((name) => rm(join(MEDIA_CACHE, name), { force: true })));
  }
  return path;
}

/** Bits of the frame number drawn along the bottom of a picture by `frameCode` (up to frame 1023). */
export const FRAME_CODE_BITS = 10;

/**
 * The frame number as a row of black and white blocks across the bottom ninth of the picture,
 * least significant bit on the left: a browser reads it from a canvas and a test from decoded
 * pixels, at any size the preview ladder scales it to, through any encoder. The strip is drawn on
 * its own and laid over the picture: `geq` over the whole picture (copying every other pixel
 * through) took 45 s for 28 s of 720p, a third of the slowest test file.
 */
function codedSource(
  picture: string,
  width: number,
  height: number,
  rate: Rational,
  seconds: number,
): string {
  const top = Math.ceil((height * 8) / 9 / 2) * 2;
  const bit = `mod(floor(N/pow(2\\,floor(X*${FRAME_CODE_BITS}/W)))\\,2)`;
  const strip = `color=c=black:size=${width}x${height - top}:rate=${rate.num}/${rate.den}:duration=${seconds},format=yuv420p,geq=lum='if(${bit}\\,235\\,16)':cb=128:cr=128`;
  return `${strip}[strip];${picture},format=yuv420p[picture];[picture][strip]overlay=x=0:y=${top}:eof_action=endall`;
}

/** The frame numbers `codedSource` drew on every picture of a file, in order. */
export async function frameCodesOf(file: string): Promise<number[]> {
  const bits = FRAME_CODE_BITS;
  const { stdout } = await runFfmpeg([
    // Every decoded picture once: no frame repeated or dropped to keep a constant rate.
    ...["-i", file, "-map", "0:v:0", "-fps_mode", "passthrough"],
    // The strip's middle rows, averaged down to one grey pixel a bit.
    ...["-vf", `crop=iw:ih/18:0:ih*17/18,scale=${bits}:1:flags=area,format=gray`],
    ...["-f", "rawvideo", "-"],
  ]);
  const codes: number[] = [];
  for (let offset = 0; offset + bits <= stdout.length; offset += bits) {
    let n = 0;
    for (let i = 0; i < bits; i++) if (stdout[offset + i]! > 128) n += 2 ** i;
    codes.push(n);
  }
  return codes;
}

function pictureSource(
  width: number,
  height: number,
  rate: Rational,
  seconds: number,
  coded = false,
): string {
  const size = `${width}x${height}`;
  const picture = `testsrc2=size=${size}:rate=${rate.num}/${rate.den}:duration=${seconds}`;
  const source = coded ? codedSource(picture, width, height, rate, seconds) : picture;
  if (!existsSync(FONT)) return source;
  const fontSize = Math.round(height / 8);
  return `${source},drawtext=fontfile=${FONT}:text='%{frame_num}':fontsize=${fontSize}:fontcolor=white:box=1:boxcolor=black:x=20:y=20`;
}

function audioInputs(seconds: number): string[] {
  const tone = `if(lt(mod(t\\,1)\\,0.04)\\,0.5*sin(2*PI*${BEEP_HZ}*t)\\,0)`;
  return ["-f", "lavfi", "-i", `aevalsrc='${tone}':s=48000:d=${seconds}`];
}

/** One mono track per output track, all cut from the same beeping source. */
function audioMaps(tracks: number): string[] {
  if (tracks === 1) return ["-map", "1:a"];
  const labels = Array.from({ length: tracks }, (_, i) => `[a${i}]`);
  return [
    "-filter_complex",
    `[1:a]asplit=${tracks}${labels.join("")}`,
    ...labels.flatMap((label) => ["-map", label]),
  ];
}

export interface H264Options {
  width?: number;
  height?: number;
  rate?: "25" | "29.97";
  seconds?: number;
  /** Remove x264's SEI, as a master from another encoder would lack it. */
  withoutEncoderInfo?: boolean;
  /** Draw each frame's number as blocks a test can read back (frameCodesOf; pages read it from a canvas). */
  frameCode?: boolean;
}

/** x264 High, closed GOP of 2 s with 3 B-frames and AAC audio, in MP4: what most newsrooms upload. */
export async function h264Master(options: H264Options = {}): Promise<TestMaster> {
  const { width = 640, height = 360, seconds = 6 } = options;
  const ntsc = options.rate === "29.97";
  const rate = ntsc ? { num: 30000, den: 1001 } : { num: 25, den: 1 };
  const gop = ntsc ? 60 : 50;
  // 29.97 starts a second before a minute that drops labels ;00 and ;01.
  const startTimecode = ntsc ? "00:58:59;00" : "01:00:00:00";
  const coded = options.frameCode === true;
  // Only coded masters name the option, so the others keep their cached files.
  // `coded: 2`: the strip is laid over the picture since the recipe changed (same pixels, new files).
  const params = { width, height, rate, seconds, gop, startTimecode, ...(coded ? { coded: 2 } : {}) };
  const encode = (output: string) =>
    runFfmpeg([
      ...["-f", "lavfi", "-i", pictureSource(width, height, rate, seconds, coded)],
      ...audioInputs(seconds),
      ...["-map", "0:v", "-map", "1:a"],
      ...["-c:v", "libx264", "-preset", "faster", "-crf", "18", "-pix_fmt", "yuv420p"],
      ...["-g", String(gop), "-keyint_min", String(gop), "-sc_threshold", "0", "-bf", "3"],
      ...["-c:a", "aac", "-b:a", "192k", "-timecode", startTimecode, output],
    ]);
  const path = options.withoutEncoderInfo
    ? await cached("h264-no-sei", params, "mp4", async (output) => {
        const withSei = `${output}.sei.mp4`;
        await encode(withSei);
        // SEI NAL units (type 6) are where x264 writes its settings.
        const strip = ["-bsf:v", "filter_units=remove_types=6", "-timecode", startTimecode];
        await runFfmpeg(["-i", withSei, "-map", "0:v", "-map", "0:a", "-c", "copy", ...strip, output]);
      })
    : await cached("h264", params, "mp4", encode);
  const frameCount = Math.round((seconds * rate.num) / rate.den);
  return { path, width, height, rate, frameCount, startTimecode, audioTracks: 1, gop };
}

export interface XdcamOptions {
  tracks?: 2 | 8;
  seconds?: number;
}

/**
 * XDCAM HD422-like: MPEG-2 4:2:2 50 Mbit/s CBR, 1080i25 top field first, GOP 12 with 2 B-frames,
 * open GOP (ffmpeg's default), MXF OP1a, mono 24-bit PCM tracks, timecode 10:00:00:00.
 */
export async function xdcamMaster(options: XdcamOptions = {}): Promise<TestMaster> {
  const { tracks = 2, seconds = 4 } = options;
  const rate = { num: 25, den: 1 };
  const startTimecode = "10:00:00:00";
  const path = await cached("xdcam", { tracks, seconds }, "mxf", (output) =>
    runFfmpeg([
      ...["-f", "lavfi", "-i", `${pictureSource(1920, 1080, rate, seconds)},setfield=tff`],
      ...audioInputs(seconds),
      ...["-map", "0:v", ...audioMaps(tracks)],
      ...xdcamVideoArgs(),
      ...["-c:a", "pcm_s24le", "-timecode", startTimecode, "-f", "mxf", output],
    ]),
  );
  const frameCount = seconds * 25;
  return { path, width: 1920, height: 1080, rate, frameCount, startTimecode, audioTracks: tracks, gop: 12 };
}

function xdcamVideoArgs(): string[] {
  return [
    ...["-c:v", "mpeg2video", "-pix_fmt", "yuv422p", "-profile:v", "0", "-level:v", "2"],
    ...["-b:v", "50M", "-minrate", "50M", "-maxrate", "50M", "-bufsize", "17825792"],
    ...["-rc_init_occupancy", "17825792", "-g", "12", "-bf", "2"],
    ...["-flags", "+ilme+ildct", "-top", "1", "-field_order", "tt"],
    ...["-intra_vlc", "1", "-non_linear_quant", "1", "-qmax", "28", "-dc", "10"],
  ];
}

export interface ProresOptions {
  width?: number;
  height?: number;
  seconds?: number;
}

/** ProRes 422 (all-intra) with 24-bit PCM in MOV, as edit suites export. */
export async function proresMaster(options: ProresOptions = {}): Promise<TestMaster> {
  const { width = 640, height = 360, seconds = 3 } = options;
  const rate = { num: 25, den: 1 };
  const startTimecode = "10:00:00:00";
  const path = await cached("prores", { width, height, seconds }, "mov", (output) =>
    runFfmpeg([
      ...["-f", "lavfi", "-i", pictureSource(width, height, rate, seconds)],
      ...audioInputs(seconds),
      ...["-map", "0:v", ...audioMaps(2)],
      ...["-c:v", "prores_ks", "-profile:v", "2", "-pix_fmt", "yuv422p10le"],
      ...["-c:a", "pcm_s24le", "-timecode", startTimecode, output],
    ]),
  );
  return { path, width, height, rate, frameCount: seconds * 25, startTimecode, audioTracks: 2, gop: 1 };
}

/** A photo uploaded with a video's name: decodes as one image, has no duration worth the name. */
export function jpegNamedMxf(): Promise<string> {
  return cached("jpeg-as", {}, "mxf", async (output) => {
    const jpeg = `${output}.jpg`;
    await runFfmpeg(["-f", "lavfi", "-i", "testsrc2=size=640x360", "-frames:v", "1", jpeg]);
    await rename(jpeg, output);
  });
}

/** An upload cut off at 60%: the header (moved to the front) still describes all six seconds. */
export function truncatedMp4(): Promise<string> {
  return cached("truncated", {}, "mp4", async (output) => {
    const whole = `${output}.whole.mp4`;
    await runFfmpeg([
      ...["-f", "lavfi", "-i", pictureSource(640, 360, { num: 25, den: 1 }, 6)],
      ...["-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-movflags", "+faststart", whole],
    ]);
    const { size } = await stat(whole);
    await rename(whole, output);
    await truncate(output, Math.floor(size * 0.6));
  });
}

export function emptyFile(): Promise<string> {
  return cached("empty", {}, "mp4", (output) => writeFile(output, ""));
}
