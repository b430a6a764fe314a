import { describe, expect, it } from "vitest";
import { runFfprobeJson } from "../../src/media/ffmpeg.ts";
import { probeMaster } from "../../src/media/probe.ts";
import { h264Master, xdcamMaster } from "../helpers/media.ts";
import { beepOnsets, expectFaithfulClip } from "./clip-check.ts";
import { HEAVY, prepareCut, useTempDir } from "./cut-setup.ts";

const dir = useTempDir();

describe("cutClip into delivery formats", { timeout: HEAVY }, () => {
  it("writes an H.264 MP4 with AAC from an XDCAM master", async () => {
    const master = await xdcamMaster();
    const { output, run } = await prepareCut(dir(), master, { inFrame: 13, outFrame: 47, format: "mp4" });
    expect(await run()).toMatchObject({ method: "reencode", frames: 34 });
    const info = await probeMaster(output);
    expect(info.container).toBe("mp4");
    expect(info.video).toMatchObject({ codec: "h264", pixelFormat: "yuv420p", width: 1920, height: 1080 });
    expect(info.audio.map((a) => a.codec)).toEqual(["aac", "aac"]);
    await expectFaithfulClip({ master, clip: output, inFrame: 13, outFrame: 47, copiedFrames: 0 });
  });

  it("smart-cuts an MP4 from an H.264 MP4 master instead of re-encoding it all", async () => {
    const master = await h264Master();
    const { output, run } = await prepareCut(dir(), master, { inFrame: 51, outFrame: 101, format: "mp4" });
    expect(await run()).toMatchObject({ method: "smart", encodedFrames: 49 });
    await expectFaithfulClip({ master, clip: output, inFrame: 51, outFrame: 101, copiedFrames: 1 });
  });

  it("smart-cuts an XDCAM MXF from an XDCAM master", async () => {
    const master = await xdcamMaster();
    const { output, run } = await prepareCut(dir(), master, { inFrame: 13, outFrame: 47, format: "mxf" });
    expect(await run()).toMatchObject({ method: "smart", encodedFrames: 12 });
    await expectFaithfulClip({ master, clip: output, inFrame: 13, outFrame: 47, copiedFrames: 22 });
  });

  it("writes an MPEG-2 4:2:2 MXF from an H.264 master", async () => {
    const master = await h264Master();
    const { output, run } = await prepareCut(dir(), master, { inFrame: 51, outFrame: 99, format: "mxf" });
    await run();
    const info = await probeMaster(output);
    expect(info.container).toBe("mxf");
    expect(info.video).toMatchObject({ codec: "mpeg2video", profile: "4:2:2", pixelFormat: "yuv422p" });
    expect(info.audio.map((a) => [a.codec, a.bitDepth])).toEqual([["pcm_s24le", 24]]);
    await expectFaithfulClip({ master, clip: output, inFrame: 51, outFrame: 99, copiedFrames: 0 });
  });

  it("writes a Broadcast WAV holding every track as a channel, stamped with the timecode at IN", async () => {
    const master = await xdcamMaster({ tracks: 8 });
    const { output, run } = await prepareCut(dir(), master, { inFrame: 13, outFrame: 63, format: "wav" });
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
    const { output, run } = await prepareCut(dir(), master, { inFrame: 60, outFrame: 110, format: "mp3" });
    await run();
    const onsets = await beepOnsets(output);
    expect(onsets).toHaveLength(2);
    expect(onsets[0]).toBeCloseTo(0.6, 2);
  });
});
