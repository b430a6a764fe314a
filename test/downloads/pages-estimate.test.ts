import { describe, expect, it } from "vitest";
import {
  type EstimateSource,
  estimateBytes,
  formatBytes,
  formatSeconds,
} from "../../src/downloads/estimate.ts";

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

  it("counts the bit rates of the conversions", () => {
    // 50 Mbit/s video + 2 × 48 kHz × 24 bit, 30 s, 1% container.
    expect(estimateBytes(hd, { ...clip, format: "mxf" })).toBe(
      Math.round(((50e6 + 2_304_000) * 30 * 1.01) / 8),
    );
    // ProRes 422 HQ at 1080p25 ≈ 146.8 Mbit/s (Apple: 147), with the PCM and the container ≈ 150.6.
    const prores = estimateBytes(hd, { ...clip, format: "prores" });
    expect(prores / 30 / 125_000).toBeCloseTo(150.6, 1);
    // H.264 CRF 16 ≈ 13 Mbit/s at 1080p25, plus AAC 128 kbit/s per mono track.
    const mp4 = estimateBytes(hd, { ...clip, format: "mp4" });
    expect(mp4).toBe(Math.round(((1920 * 1080 * 25 * 0.25 + 256_000) * 30 * 1.01) / 8));
    expect(estimateBytes(hd, { ...clip, format: "wav" })).toBe((2_304_000 * 30) / 8 + 44);
    expect(estimateBytes(hd, { ...clip, format: "mp3" })).toBe(Math.round((256_000 * 30 * 1.01) / 8));
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
    expect(formatSeconds(51, { num: 25, den: 1 }, "en")).toBe("2.04");
    expect(formatSeconds(51, { num: 25, den: 1 }, "fr")).toBe("2,04");
    expect(formatSeconds(30, { num: 30000, den: 1001 }, "en")).toBe("1.00");
  });
});
