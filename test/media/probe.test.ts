import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorruptMedia, NotAVideo } from "../../src/media/errors.ts";
import { probeMaster } from "../../src/media/probe.ts";
import {
  emptyFile,
  h264Master,
  jpegNamedMxf,
  proresMaster,
  truncatedMp4,
  xdcamMaster,
} from "../helpers/media.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pressroom-probe-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function firstPart(path: string, fraction: number, name: string): Promise<string> {
  const bytes = await readFile(path);
  const part = join(dir, name);
  await writeFile(part, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return part;
}

describe("probeMaster", () => {
  it("describes an H.264 MP4 master: long-GOP, 25 fps, timecode, AAC track", async () => {
    const master = await h264Master();
    const info = await probeMaster(master.path);
    expect(info.container).toBe("mp4");
    expect(info.video).toMatchObject({
      codec: "h264",
      profile: "High",
      pixelFormat: "yuv420p",
      width: 640,
      height: 360,
      frameRate: { num: 25, den: 1 },
      allIntra: false,
    });
    expect(info.frameCount).toBe(150);
    expect(info.durationSeconds).toBeCloseTo(6, 2);
    expect(info.startTimecode).toBe("01:00:00:00");
    expect(info.audio).toEqual([
      expect.objectContaining({ codec: "aac", channels: 1, sampleRate: 48_000, bitDepth: null }),
    ]);
  });

  it("keeps 29.97 as the exact fraction and its drop-frame timecode", async () => {
    const info = await probeMaster((await h264Master({ rate: "29.97" })).path);
    expect(info.video.frameRate).toEqual({ num: 30000, den: 1001 });
    expect(info.frameCount).toBe(180);
    expect(info.startTimecode).toBe("00:58:59;00");
  });

  it("describes an XDCAM HD422 MXF: interlaced 4:2:2 MPEG-2, 10:00:00:00, 24-bit mono tracks", async () => {
    for (const tracks of [2, 8] as const) {
      const info = await probeMaster((await xdcamMaster({ tracks })).path);
      expect(info.container).toBe("mxf");
      expect(info.video).toMatchObject({
        codec: "mpeg2video",
        profile: "4:2:2",
        pixelFormat: "yuv422p",
        width: 1920,
        height: 1080,
        fieldOrder: "tff",
        bitRate: 50_000_000,
        allIntra: false,
      });
      expect(info.frameCount).toBe(100);
      expect(info.startTimecode).toBe("10:00:00:00");
      expect(info.audio).toHaveLength(tracks);
      for (const track of info.audio) {
        expect(track).toMatchObject({ codec: "pcm_s24le", channels: 1, sampleRate: 48_000, bitDepth: 24 });
      }
    }
  });

  it("sees ProRes as all-intra, so it can be cut by copy alone", async () => {
    const info = await probeMaster((await proresMaster()).path);
    expect(info.container).toBe("mov");
    expect(info.video).toMatchObject({ codec: "prores", pixelFormat: "yuv422p10le", allIntra: true });
    expect(info.startTimecode).toBe("10:00:00:00");
    expect(info.audio.map((a) => a.bitDepth)).toEqual([24, 24]);
  });

  it("rejects a photo named .mxf, and an empty file, as not a video", async () => {
    await expect(probeMaster(await jpegNamedMxf())).rejects.toThrow(NotAVideo);
    await expect(probeMaster(await emptyFile())).rejects.toMatchObject({
      code: "NotAVideo",
      params: { reason: "empty" },
    });
  });

  it("rejects a truncated upload whose header still claims the full length", async () => {
    await expect(probeMaster(await truncatedMp4())).rejects.toThrow(CorruptMedia);
  });

  it("rejects an MP4 cut off before its index was written", async () => {
    const headless = await firstPart((await h264Master()).path, 0.5, "headless.mp4");
    await expect(probeMaster(headless)).rejects.toMatchObject({ code: "CorruptMedia" });
  });

  it("rejects an MXF cut off in the middle of its essence", async () => {
    const partial = await firstPart((await xdcamMaster()).path, 0.7, "partial.mxf");
    await expect(probeMaster(partial)).rejects.toThrow(CorruptMedia);
  });
});
