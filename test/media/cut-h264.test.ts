import { describe, expect, it } from "vitest";
import { h264Master, type TestMaster } from "../helpers/media.ts";
import { expectFaithfulClip } from "./clip-check.ts";
import { HEAVY, prepareCut, useTempDir } from "./cut-setup.ts";

const dir = useTempDir();

async function cutOriginal(master: TestMaster, inFrame: number, outFrame: number) {
  const cut = await prepareCut(dir(), master, { inFrame, outFrame, format: "original" });
  return { output: cut.output, result: await cut.run() };
}

// Keyframes of the 6-second master are at frames 0, 50 and 100.
describe("cutClip original from an H.264 MP4 (closed 2 s GOPs, 3 B-frames)", { timeout: HEAVY }, () => {
  it("copies a clip that starts and ends on keyframes, re-encoding nothing", async () => {
    const master = await h264Master();
    const { output, result } = await cutOriginal(master, 50, 100);
    expect(result).toMatchObject({
      method: "copy",
      frames: 50,
      encodedFrames: 0,
      startTimecode: "01:00:02:00",
    });
    await expectFaithfulClip({ master, clip: output, inFrame: 50, outFrame: 100, copiedFrames: 50 });
  });

  it("re-encodes only up to the next keyframe when IN is just after one", async () => {
    const master = await h264Master();
    const { output, result } = await cutOriginal(master, 51, 101);
    expect(result.method).toBe("smart");
    expect(result.encodedFrames).toBeLessThanOrEqual(49);
    await expectFaithfulClip({
      master,
      clip: output,
      inFrame: 51,
      outFrame: 101,
      copiedFrames: 50 - result.encodedFrames,
    });
  });

  it("re-encodes a single frame when IN is just before a keyframe, and the tail when OUT is", async () => {
    const master = await h264Master();
    const { output, result } = await cutOriginal(master, 49, 99);
    expect(result.method).toBe("smart");
    await expectFaithfulClip({
      master,
      clip: output,
      inFrame: 49,
      outFrame: 99,
      copiedFrames: 50 - result.encodedFrames,
    });
    expect(result.encodedFrames).toBeLessThan(10);
  });

  it("re-encodes a range with no keyframe in it, still frame-exact", async () => {
    const master = await h264Master();
    const { output, result } = await cutOriginal(master, 60, 90);
    expect(result).toMatchObject({ method: "reencode", encodedFrames: 30 });
    await expectFaithfulClip({ master, clip: output, inFrame: 60, outFrame: 90, copiedFrames: 0 });
  });

  it("cuts a 29.97 master with drop-frame timecode", async () => {
    const master = await h264Master({ rate: "29.97" });
    const { output, result } = await cutOriginal(master, 35, 125);
    expect(result.method).toBe("smart");
    // 00:58:59;00 + 35 frames crosses into a minute whose labels ;00 and ;01 are skipped.
    expect(result.startTimecode).toBe("00:59:00;07");
    await expectFaithfulClip({
      master,
      clip: output,
      inFrame: 35,
      outFrame: 125,
      copiedFrames: 90 - result.encodedFrames,
    });
  });
});

describe("cutClip original from an H.264 master it cannot reproduce", { timeout: HEAVY }, () => {
  it("re-encodes the whole range, still frame-exact, and says why", async () => {
    const master = await h264Master({ withoutEncoderInfo: true });
    const { output, result } = await cutOriginal(master, 51, 101);
    expect(result).toMatchObject({
      method: "reencode",
      encodedFrames: 50,
      note: "the master was not encoded by x264",
    });
    await expectFaithfulClip({ master, clip: output, inFrame: 51, outFrame: 101, copiedFrames: 0 });
  });

  it("still copies a range that needs no re-encoding", async () => {
    const master = await h264Master({ withoutEncoderInfo: true });
    const { output, result } = await cutOriginal(master, 50, 100);
    expect(result.method).toBe("copy");
    await expectFaithfulClip({ master, clip: output, inFrame: 50, outFrame: 100, copiedFrames: 50 });
  });
});
