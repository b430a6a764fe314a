import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClipFormat, cutClip } from "../../src/media/cut.ts";
import { TimecodeOutOfRange, UnsupportedMedia } from "../../src/media/errors.ts";
import { runFfprobeJson } from "../../src/media/ffmpeg.ts";
import { indexKeyframes } from "../../src/media/keyframes.ts";
import { probeMaster } from "../../src/media/probe.ts";
import { h264Master, proresMaster, type TestMaster, xdcamMaster } from "../helpers/media.ts";
import { beepOnsets, expectFaithfulClip, trackOnsets } from "./clip-check.ts";

// Cutting and then decoding 1080i takes seconds, and many more on a machine busy with other suites.
const HEAVY = 120_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pressroom-cut-formats-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cut(
  master: TestMaster,
  inFrame: number,
  outFrame: number,
  format: ClipFormat,
  signal?: AbortSignal,
) {
  const [info, index] = await Promise.all([probeMaster(master.path), indexKeyframes(master.path)]);
  const output = join(dir, `${format}-${inFrame}-${outFrame}.${format}`);
  const progress: number[] = [];
  const options = {
    master: master.path,
    info,
    index,
    inFrame,
    outFrame,
    format,
    output,
    tempDir: dir,
    signal,
    onProgress: (fraction: number) => progress.push(fraction),
  };
  return { output, info, index, progress, run: () => cutClip(options) };
}

describe("cutClip original from a ProRes MOV (all-intra)", { timeout: HEAVY }, () => {
  it("copies every frame bit for bit, wherever IN and OUT fall", async () => {
    const master = await proresMaster();
    const { output, run } = await cut(master, 13, 61, "original");
    expect(await run()).toMatchObject({
      method: "copy",
      frames: 48,
      encodedFrames: 0,
      startTimecode: "10:00:00:13",
    });
    await expectFaithfulClip({ master, clip: output, inFrame: 13, outFrame: 61, copiedFrames: 48 });
    expect((await probeMaster(output)).audio.map((a) => a.codec)).toEqual(["pcm_s24le", "pcm_s24le"]);
  });
});

describe("cutClip into delivery formats", { timeout: HEAVY }, () => {
  it("writes an H.264 MP4 with AAC from an XDCAM master", async () => {
    const master = await xdcamMaster();
    const { output, run } = await cut(master, 13, 47, "mp4");
    expect(await run()).toMatchObject({ method: "reencode", frames: 34 });
    const info = await probeMaster(output);
    expect(info.container).toBe("mp4");
    expect(info.video).toMatchObject({ codec: "h264", pixelFormat: "yuv420p", width: 1920, height: 1080 });
    expect(info.audio.map((a) => a.codec)).toEqual(["aac", "aac"]);
    await expectFaithfulClip({ master, clip: output, inFrame: 13, outFrame: 47, copiedFrames: 0 });
  });

  it("writes an MPEG-2 4:2:2 MXF from an H.264 master", async () => {
    const master = await h264Master();
    const { output, run } = await cut(master, 51, 99, "mxf");
    await run();
    const info = await probeMaster(output);
    expect(info.container).toBe("mxf");
    expect(info.video).toMatchObject({ codec: "mpeg2video", profile: "4:2:2", pixelFormat: "yuv422p" });
    expect(info.audio.map((a) => [a.codec, a.bitDepth])).toEqual([["pcm_s24le", 24]]);
    await expectFaithfulClip({ master, clip: output, inFrame: 51, outFrame: 99, copiedFrames: 0 });
  });

  it("writes ProRes 422 with PCM from an H.264 master, reporting its progress", async () => {
    const master = await h264Master();
    const { output, run, progress } = await cut(master, 49, 101, "prores");
    await run();
    expect(progress.at(-1)).toBe(1);
    expect(
      progress.every((fraction, i) => fraction >= 0 && fraction <= 1 && fraction >= (progress[i - 1] ?? 0)),
    ).toBe(true);
    const info = await probeMaster(output);
    expect(info.video).toMatchObject({ codec: "prores", profile: "Standard", allIntra: true });
    await expectFaithfulClip({ master, clip: output, inFrame: 49, outFrame: 101, copiedFrames: 0 });
  });

  it("writes a Broadcast WAV holding every track as a channel, stamped with the timecode at IN", async () => {
    const master = await xdcamMaster({ tracks: 8 });
    const { output, run } = await cut(master, 13, 63, "wav");
    expect(await run()).toMatchObject({ frames: 50, startTimecode: "10:00:00:13" });
    const probe = (await runFfprobeJson(["-show_streams", "-show_format", output])) as {
      streams: { codec_name: string; channels: number; duration: string }[];
      format: { tags?: Record<string, string> };
    };
    expect(probe.streams).toHaveLength(1);
    expect(probe.streams[0]).toMatchObject({ codec_name: "pcm_s24le", channels: 8 });
    expect(Number(probe.streams[0]?.duration)).toBeCloseTo(2, 4);
    // Samples since midnight at 10:00:00:13.
    expect(probe.format.tags?.time_reference).toBe(String((36_000 * 25 + 13) * 1920));
    // IN is 13 frames into second 0: the next beep is 12 frames (0.48 s) in.
    expect((await beepOnsets(output))[0]).toBeCloseTo(0.48, 2);
  });

  it("writes an MP3 of the first track, in sync with IN", async () => {
    const master = await h264Master();
    const { output, run } = await cut(master, 60, 110, "mp3");
    await run();
    const onsets = await beepOnsets(output);
    expect(onsets).toHaveLength(2);
    expect(onsets[0]).toBeCloseTo(0.6, 2);
  });
});

describe("cutClip with a choice of audio tracks", { timeout: HEAVY }, () => {
  it("keeps only the tracks asked for, in sync", async () => {
    const master = await xdcamMaster({ tracks: 8 });
    const [info, index] = await Promise.all([probeMaster(master.path), indexKeyframes(master.path)]);
    const output = join(dir, "tracks.mxf");
    await cutClip({
      master: master.path,
      info,
      index,
      inFrame: 13,
      outFrame: 63,
      format: "original",
      output,
      tempDir: dir,
      audioTracks: [2, 5],
    });
    const clip = await probeMaster(output);
    expect(clip.audio).toHaveLength(2);
    for (const onsets of await trackOnsets(output, 2)) expect(onsets[0]).toBeCloseTo(0.48, 2);
  });
});

describe("cutClip refuses what it cannot do", { timeout: HEAVY }, () => {
  it("rejects a range outside the video, or reversed", async () => {
    const master = await h264Master();
    await expect((await cut(master, 100, 151, "original")).run()).rejects.toThrow(TimecodeOutOfRange);
    await expect((await cut(master, -1, 10, "original")).run()).rejects.toThrow(TimecodeOutOfRange);
    await expect((await cut(master, 20, 20, "original")).run()).rejects.toMatchObject({
      code: "TimecodeOutOfRange",
    });
  });

  it("rejects a sound format for a video without sound", async () => {
    const master = await h264Master();
    const { run, info } = await cut(master, 0, 10, "wav");
    info.audio = [];
    await expect(run()).rejects.toThrow(UnsupportedMedia);
  });

  it("stops when the download is abandoned and leaves neither clip nor temporary files", async () => {
    const master = await xdcamMaster();
    const controller = new AbortController();
    const { output, run } = await cut(master, 1, 99, "prores", controller.signal);
    const cutting = run();
    setTimeout(() => controller.abort(new Error("client went away")), 150);
    await expect(cutting).rejects.toThrow("client went away");
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
    expect((await readdir(dir)).filter((name) => name.startsWith("cut-"))).toEqual([]);
  });
});
