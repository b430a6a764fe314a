import { describe, expect, it } from "vitest";
import { indexKeyframes } from "../../src/media/keyframes.ts";
import { h264Master, proresMaster, xdcamMaster } from "../helpers/media.ts";

function isPermutation(values: number[]): boolean {
  return [...values].sort((a, b) => a - b).every((value, i) => value === i);
}

describe("indexKeyframes", () => {
  it("finds the 2-second closed GOPs of an H.264 master and its B-frame reordering", async () => {
    const master = await h264Master();
    const index = await indexKeyframes(master.path);
    expect(index.frameCount).toBe(master.frameCount);
    expect(index.keyframes.map((k) => k.frame)).toEqual([0, 50, 100]);
    expect(index.openGop).toBe(false);
    expect(index.keyframes.every((k) => k.leadingFrames === 0 && k.byteOffset !== null)).toBe(true);
    // B-frames: file order is not display order, yet every frame appears exactly once.
    expect(index.decodeOrder.slice(0, 4)).not.toEqual([0, 1, 2, 3]);
    expect(isPermutation(index.decodeOrder)).toBe(true);
    const second = index.keyframes[1]!;
    expect((second.pts * index.timeBase.num) / index.timeBase.den).toBeCloseTo(2, 6);
  });

  it("sees the XDCAM master's open GOPs: each I-frame after the first has 2 leading B-frames", async () => {
    const index = await indexKeyframes((await xdcamMaster()).path);
    expect(index.frameCount).toBe(100);
    expect(index.keyframes.map((k) => k.frame)).toEqual([0, 12, 24, 36, 48, 60, 72, 84, 96]);
    expect(index.keyframes.map((k) => k.leadingFrames)).toEqual([0, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(index.openGop).toBe(true);
    const second = index.keyframes[1]!;
    // The leading B-frames follow the I-frame in the file but show before it.
    expect(index.decodeOrder.slice(second.decodeIndex, second.decodeIndex + 3)).toEqual([12, 10, 11]);
    expect(isPermutation(index.decodeOrder)).toBe(true);
  });

  it("marks every ProRes frame a keyframe", async () => {
    const master = await proresMaster();
    const index = await indexKeyframes(master.path);
    expect(index.keyframes).toHaveLength(master.frameCount);
    expect(index.decodeOrder).toEqual(index.keyframes.map((k) => k.frame));
  });
});
