/** Ways for the cutting tests to look at a clip the way a journalist would: its pictures and its sound. */
import { expect } from "vitest";
import { runFfmpeg, runFfprobeJson, stderrMessages } from "../../src/media/ffmpeg.ts";
import { probeMaster } from "../../src/media/probe.ts";
import { timecodeAtFrame } from "../../src/media/timecode.ts";
import type { TestMaster } from "../helpers/media.ts";

export interface DecodedPictures {
  /** MD5 of every decoded picture, in display order: equal hashes mean identical frames. */
  hashes: string[];
  /** What the decoder complained about: a picture referring to a missing one shows up here. */
  errors: string[];
}

const masterPictures = new Map<string, Promise<DecodedPictures>>();

export async function decodePictures(path: string): Promise<DecodedPictures> {
  const { stdout, stderr } = await runFfmpeg(["-i", path, "-map", "0:v:0", "-f", "framemd5", "-"]);
  return {
    hashes: stdout
      .toString("utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => line.split(",").at(-1)?.trim() ?? ""),
    errors: stderrMessages(stderr),
  };
}

/** Masters never change, so each test worker decodes each one once. */
function decodeMaster(path: string): Promise<DecodedPictures> {
  let decoded = masterPictures.get(path);
  if (decoded === undefined) {
    decoded = decodePictures(path);
    masterPictures.set(path, decoded);
  }
  return decoded;
}

/** Luma planes of the given display-order frames, in the order asked. */
export async function lumaFrames(
  path: string,
  frames: number[],
  width: number,
  height: number,
): Promise<Buffer[]> {
  const sorted = [...new Set(frames)].sort((a, b) => a - b);
  const select = sorted.map((n) => `eq(n\\,${n})`).join("+");
  const { stdout } = await runFfmpeg([
    ...["-i", path, "-map", "0:v:0", "-vf", `select='${select}'`, "-fps_mode", "passthrough"],
    ...["-pix_fmt", "gray", "-f", "rawvideo", "-"],
  ]);
  const size = width * height;
  expect(stdout.length, `frames ${sorted.join(",")} of ${path}`).toBe(sorted.length * size);
  return frames.map((frame) => {
    const at = sorted.indexOf(frame);
    return stdout.subarray(at * size, (at + 1) * size);
  });
}

/** Peak signal-to-noise ratio of two 8-bit pictures, in dB (Infinity when identical). */
export function psnr(a: Buffer, b: Buffer): number {
  if (a.length !== b.length || a.length === 0)
    throw new Error(`frame sizes differ: ${a.length} vs ${b.length}`);
  let squared = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    squared += d * d;
  }
  return squared === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255 * a.length) / squared);
}

const SAMPLE_RATE = 48_000;

/**
 * Seconds from the start of each audio track to each beep's first loud sample. All tracks are
 * decoded in one pass, side by side as the channels of one stream.
 */
export async function trackOnsets(path: string, tracks: number): Promise<number[][]> {
  const inputs = Array.from({ length: tracks }, (_, i) => `[0:a:${i}]`).join("");
  const merge =
    tracks === 1
      ? ["-map", "0:a:0"]
      : ["-filter_complex", `${inputs}amerge=inputs=${tracks}[all]`, "-map", "[all]"];
  const { stdout } = await runFfmpeg([
    "-i",
    path,
    ...merge,
    "-ac",
    String(tracks),
    "-ar",
    String(SAMPLE_RATE),
    "-f",
    "f32le",
    "-",
  ]);
  const samples = new Float32Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 4));
  return Array.from({ length: tracks }, (_, track) => {
    const onsets: number[] = [];
    let quietSince = -SAMPLE_RATE;
    for (let i = track, n = 0; i < samples.length; i += tracks, n++) {
      if (Math.abs(samples[i] ?? 0) > 0.05) {
        if (n - quietSince > SAMPLE_RATE / 10) onsets.push(n / SAMPLE_RATE);
        quietSince = n;
      }
    }
    return onsets;
  });
}

/** Beep onsets of a file's first audio stream (a clip of one track, a WAV or an MP3). */
export async function beepOnsets(path: string): Promise<number[]> {
  return (await trackOnsets(path, 1))[0] ?? [];
}

export interface ClipExpectation {
  master: TestMaster;
  clip: string;
  inFrame: number;
  outFrame: number;
  /** Frames expected to be the master's own, bit for bit. */
  copiedFrames: number;
  /**
   * "timestamps": sound is placed by its presentation time, as players of fragmented MP4 do;
   * the AAC encoder's priming samples then sit before zero, since ffmpeg reads no edit list in
   * fragments. "samples" (default): by decoded samples from the start of the track.
   */
  soundClock?: "samples" | "timestamps";
}

/**
 * What a journalist would check: the clip has exactly OUT - IN frames, decodes without a
 * complaint, starts on frame IN and ends on OUT - 1 (identical where copied, PSNR >= 45 dB where
 * re-encoded, and clearly not the neighbouring frame), carries the master's timecode at IN, and
 * every track's beeps fall where they fell in the master relative to the picture.
 */
export async function expectFaithfulClip(expected: ClipExpectation): Promise<void> {
  const { master, clip, inFrame, outFrame } = expected;
  const [info, pictures, masterPicture] = await Promise.all([
    probeMaster(clip),
    decodePictures(clip),
    decodeMaster(master.path),
  ]);
  expect(info.startTimecode).toBe(timecodeAtFrame(master.startTimecode, inFrame, master.rate));
  expect(pictures.errors).toEqual([]);
  expect(pictures.hashes).toHaveLength(outFrame - inFrame);
  const identical = pictures.hashes.filter((hash, i) => hash === masterPicture.hashes[inFrame + i]).length;
  expect(identical).toBe(expected.copiedFrames);
  expect(info.audio).toHaveLength(master.audioTracks);
  await Promise.all([expectSameFrames(expected), expectSoundInSync(expected)]);
}

/** First and last pictures: the master's IN and OUT - 1, and measurably not their neighbours. */
async function expectSameFrames(expected: ClipExpectation): Promise<void> {
  const { master, clip, inFrame, outFrame } = expected;
  const ends = [
    { clipFrame: 0, masterFrame: inFrame },
    { clipFrame: outFrame - inFrame - 1, masterFrame: outFrame - 1 },
  ];
  const inMaster = (n: number): boolean => n >= 0 && n < master.frameCount;
  const wanted = ends.flatMap(({ masterFrame: m }) => [m - 1, m, m + 1]).filter(inMaster);
  const [pictures, originals] = await Promise.all([
    lumaFrames(
      clip,
      ends.map((e) => e.clipFrame),
      master.width,
      master.height,
    ),
    lumaFrames(master.path, wanted, master.width, master.height),
  ]);
  ends.forEach(({ clipFrame, masterFrame }, i) => {
    const picture = pictures[i]!;
    const original = originals[wanted.indexOf(masterFrame)]!;
    expect(
      psnr(picture, original),
      `clip frame ${clipFrame} against master frame ${masterFrame}`,
    ).toBeGreaterThanOrEqual(45);
    for (const neighbour of [masterFrame - 1, masterFrame + 1].filter(inMaster)) {
      expect(psnr(picture, originals[wanted.indexOf(neighbour)]!)).toBeLessThan(40);
    }
  });
}

async function expectSoundInSync(expected: ClipExpectation): Promise<void> {
  const { master, clip, inFrame, outFrame } = expected;
  const seconds = (frame: number): number => (frame * master.rate.den) / master.rate.num;
  // The master beeps at every whole second of its own time.
  const beeps: number[] = [];
  for (let s = Math.ceil(seconds(inFrame) - 1e-9); s < seconds(outFrame) - 0.01; s++)
    beeps.push(s - seconds(inFrame));
  const [tracks, starts] = await Promise.all([
    trackOnsets(clip, master.audioTracks),
    expected.soundClock === "timestamps" ? audioStartTimes(clip) : [],
  ]);
  tracks.forEach((decoded, track) => {
    const onsets = decoded.map((onset) => onset + (starts[track] ?? 0));
    expect(onsets, `track ${track}`).toHaveLength(beeps.length);
    onsets.forEach((onset, i) => {
      expect(Math.abs(onset - (beeps[i] ?? 0)), `track ${track} beep ${i}`).toBeLessThan(0.002);
    });
  });
}

async function audioStartTimes(path: string): Promise<number[]> {
  const probe = (await runFfprobeJson(["-select_streams", "a", "-show_streams", path])) as {
    streams: { start_time?: string }[];
  };
  return probe.streams.map((stream) => Number(stream.start_time ?? 0));
}
