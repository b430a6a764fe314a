import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  clipDuration,
  type EstimateSource,
  estimateBytes,
  formatBytes,
} from "../../src/downloads/estimate.ts";
import { type ClipFormat, clipFormats } from "../../src/media/formats.ts";
import { probeMaster } from "../../src/media/probe.ts";
import { xdcamMaster } from "../helpers/media.ts";
import { HEAVY, prepareCut, useTempDir } from "../media/cut-setup.ts";

const dir = useTempDir();

/** The size the download panel announces, from the master's probe and the cutter's settings. */
const hd: EstimateSource = {
  container: "mxf",
  masterBytes: 3_750_000_000,
  frameCount: 15_000, // 10 minutes at 25 fps
  rate: { num: 25, den: 1 },
  width: 1920,
  height: 1080,
  audio: [
    { channels: 1, bitDepth: 24 },
    { channels: 1, bitDepth: 24 },
  ],
};
const clip = { inFrame: 250, outFrame: 1000, audioTracks: null, whole: false }; // 30 s

describe("download size estimate", () => {
  it("is exact for the master sent as it is, and proportional for a clip of it", () => {
    expect(estimateBytes(hd, { ...clip, format: "original", whole: true })).toBe(3_750_000_000);
    expect(estimateBytes(hd, { ...clip, format: "original" })).toBe(187_500_000);
  });

  it("is close to the size of the file a real cut writes, for every format", { timeout: HEAVY }, async () => {
    const master = await xdcamMaster({ seconds: 4 });
    const info = await probeMaster(master.path);
    const source: EstimateSource = {
      container: info.container,
      masterBytes: statSync(master.path).size,
      frameCount: info.frameCount,
      rate: info.video.frameRate,
      width: info.video.width,
      height: info.video.height,
      audio: info.audio.map((a) => ({ channels: a.channels, bitDepth: a.bitDepth })),
    };
    // 2 s from the middle: the smart cut encodes the ends, copies the rest.
    const range = { inFrame: 25, outFrame: 75, audioTracks: null, whole: false };
    // How close each format can be promised: constant rates (XDCAM, PCM, MP3) closely; ProRes
    // and x264 CRF spend bits by picture content (the test pattern is easier than camera
    // footage), so for them the estimate only has to be within a factor of 2 or 3.
    const within: Record<ClipFormat, number> = {
      original: 1.1,
      mxf: 1.1,
      wav: 1.02,
      mp3: 1.05,
      prores: 2,
      mp4: 3,
    };
    for (const format of clipFormats) {
      const cut = await prepareCut(dir(), master, {
        inFrame: range.inFrame,
        outFrame: range.outFrame,
        format,
      });
      await cut.run();
      const real = statSync(cut.output).size;
      const estimate = estimateBytes(source, { ...range, format });
      // The factor between the two, whichever is larger.
      const factor = Math.max(estimate / real, real / estimate);
      expect(factor, `${format}: estimated ${estimate}, cut ${real}`).toBeLessThan(within[format]);
    }
  });

  it("keeps only the chosen sound tracks, and 16-bit masters stay 16-bit", () => {
    expect(estimateBytes(hd, { ...clip, format: "wav", audioTracks: [1] })).toBe((1_152_000 * 30) / 8 + 44);
    const sixteen = { ...hd, audio: [{ channels: 2, bitDepth: 16 }] };
    expect(estimateBytes(sixteen, { ...clip, format: "wav" })).toBe((48_000 * 16 * 2 * 30) / 8 + 44);
    const silent = { ...hd, audio: [] };
    expect(estimateBytes(silent, { ...clip, format: "mp3" })).toBe(0);
  });

  it("reads SD masters at the SD MPEG-2 rate", () => {
    const sd = { ...hd, width: 720, height: 576, audio: [] };
    expect(estimateBytes(sd, { ...clip, format: "mxf" })).toBe(Math.round((15e6 * 30 * 1.01) / 8));
  });

  it("writes sizes and seconds as each language does", () => {
    expect(formatBytes(512, "en")).toBe("512 bytes");
    expect(formatBytes(1_234_567, "en")).toBe("1.2 MB");
    expect(formatBytes(1_234_567, "fr")).toBe("1,2 Mo");
    expect(formatBytes(187_500_000, "fr")).toBe("188 Mo");
    expect(formatBytes(3_750_000_000, "en")).toBe("3.8 GB");
    expect(clipDuration(51, { num: 25, den: 1 }, "en")).toBe("0:02.04");
    expect(clipDuration(51, { num: 25, den: 1 }, "fr")).toBe("0:02,04");
    expect(clipDuration(30, { num: 30000, den: 1001 }, "en")).toBe("0:01.00");
    expect(clipDuration(3162, { num: 25, den: 1 }, "en")).toBe("2:06.48");
    expect(clipDuration(93_750, { num: 25, den: 1 }, "fr")).toBe("1:02:30,00");
  });
});
