import { describe, expect, it } from "vitest";
import { probeMaster } from "../../src/media/probe.ts";
import { type TestMaster, xdcamMaster } from "../helpers/media.ts";
import { expectFaithfulClip } from "./clip-check.ts";
import { HEAVY, prepareCut, useTempDir } from "./cut-setup.ts";

const dir = useTempDir();

async function cutOriginal(master: TestMaster, inFrame: number, outFrame: number) {
  const cut = await prepareCut(dir(), master, { inFrame, outFrame, format: "original" });
  return { output: cut.output, result: await cut.run() };
}

// I-frames every 12 frames (0, 12, 24, ...); each after the first has 2 leading B-frames
// predicted from the GOP before, so a naive copy from an I-frame shows broken pictures.
describe("cutClip original from an XDCAM HD422 MXF (open GOP, 1080i25)", { timeout: HEAVY }, () => {
  it("copies from an I-frame by dropping its leading B-frames and closing the GOP", async () => {
    const master = await xdcamMaster();
    const { output, result } = await cutOriginal(master, 12, 48);
    expect(result).toMatchObject({ method: "smart", frames: 36, startTimecode: "10:00:00:12" });
    // OUT on an I-frame: the frames before it are B-frames stored after it, so the tail is re-encoded.
    expect(result.encodedFrames).toBe(2);
    await expectFaithfulClip({ master, clip: output, inFrame: 12, outFrame: 48, copiedFrames: 34 });
  });

  it("re-encodes the head when IN is just after an I-frame", async () => {
    const master = await xdcamMaster();
    const { output, result } = await cutOriginal(master, 13, 47);
    expect(result).toMatchObject({ method: "smart", frames: 34 });
    expect(result.encodedFrames).toBe(11 + 1);
    await expectFaithfulClip({ master, clip: output, inFrame: 13, outFrame: 47, copiedFrames: 22 });
  });

  it("re-encodes one frame when IN is just before an I-frame, keeps all 8 tracks in sync", async () => {
    const master = await xdcamMaster({ tracks: 8 });
    const { output, result } = await cutOriginal(master, 11, 49);
    expect(result).toMatchObject({ method: "smart", frames: 38, encodedFrames: 1 });
    await expectFaithfulClip({ master, clip: output, inFrame: 11, outFrame: 49, copiedFrames: 37 });
  });

  it("re-encodes a short range whose copy would not reach the next I-frame, still exact", async () => {
    const master = await xdcamMaster();
    const { output, result } = await cutOriginal(master, 11, 20);
    expect(result).toMatchObject({ method: "reencode", frames: 9, encodedFrames: 9 });
    await expectFaithfulClip({ master, clip: output, inFrame: 11, outFrame: 20, copiedFrames: 0 });
  });

  it("copies the whole master untouched", async () => {
    const master = await xdcamMaster();
    const { output, result } = await cutOriginal(master, 0, 100);
    expect(result).toMatchObject({ method: "copy", encodedFrames: 0, startTimecode: "10:00:00:00" });
    await expectFaithfulClip({ master, clip: output, inFrame: 0, outFrame: 100, copiedFrames: 100 });
  });

  it("re-encodes a range inside one GOP with the master's settings", async () => {
    const master = await xdcamMaster();
    const { output, result } = await cutOriginal(master, 2, 10);
    expect(result).toMatchObject({ method: "reencode", encodedFrames: 8 });
    const info = await probeMaster(output);
    expect(info.video).toMatchObject({
      codec: "mpeg2video",
      profile: "4:2:2",
      fieldOrder: "tff",
      bitRate: 50_000_000,
    });
    await expectFaithfulClip({ master, clip: output, inFrame: 2, outFrame: 10, copiedFrames: 0 });
  });
});
