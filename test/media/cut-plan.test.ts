import { describe, expect, it } from "vitest";
import { planSmartCut } from "../../src/media/cut-plan.ts";
import type { KeyframeIndex } from "../../src/media/keyframes.ts";

/** Builds an index from a file order of frame numbers, keyframes marked with a trailing "K". */
function indexOf(fileOrder: string[]): KeyframeIndex {
  const decodeOrder = fileOrder.map((f) => Number.parseInt(f, 10));
  const keyframes = fileOrder.flatMap((f, decodeIndex) => {
    if (!f.endsWith("K")) return [];
    const frame = decodeOrder[decodeIndex]!;
    const next = fileOrder.findIndex((g, j) => j > decodeIndex && g.endsWith("K"));
    const gop = decodeOrder.slice(decodeIndex + 1, next === -1 ? undefined : next);
    return [
      {
        frame,
        decodeIndex,
        pts: frame,
        byteOffset: null,
        leadingFrames: gop.filter((g) => g < frame).length,
      },
    ];
  });
  return {
    frameCount: decodeOrder.length,
    timeBase: { num: 1, den: 25 },
    keyframes,
    decodeOrder,
    openGop: keyframes.some((k) => k.leadingFrames > 0),
    parameterSetsHash: null,
  };
}

/** Closed GOPs of 8 with B-pyramids, as x264 writes them. */
const closed = indexOf(
  "0K 4 2 1 3 7 6 5 8K 12 10 9 11 15 14 13 16K 20 18 17 19 23 22 21 24K 28 26 25 27 31 30 29".split(" "),
);
/** Open GOPs of 6 (I B B P B B), as an MPEG-2 XDCAM encoder writes them. */
const open = indexOf("0K 3 1 2 6K 4 5 9 7 8 12K 10 11 15 13 14 18K 16 17".split(" "));

const shape = (plan: ReturnType<typeof planSmartCut>): string[] =>
  plan.segments.map((s) => `${s.kind} ${s.from}-${s.to}`);

describe("planSmartCut", () => {
  it("copies whole GOPs and re-encodes only the frames before the first keyframe", () => {
    const plan = planSmartCut(closed, 3, 24, { dropLeadingFrames: false });
    expect(shape(plan)).toEqual(["encode 3-8", "copy 8-24"]);
    expect(plan.segments[1]).toMatchObject({ packets: 16, droppedLeading: 0 });
    expect(plan).toMatchObject({ encodedFrames: 5, copiedFrames: 16 });
  });

  it("copies a cut on keyframes entirely", () => {
    expect(shape(planSmartCut(closed, 8, 24, { dropLeadingFrames: false }))).toEqual(["copy 8-24"]);
  });

  it("copies the tail up to OUT where the file order allows, and re-encodes the rest", () => {
    // 8 12 10 9 11 shows 8..12 exactly, so OUT 13 is copied; OUT 12 needs frames 8..11 only,
    // but the packets for them include 12, so 8 is copied alone and 9..11 re-encoded.
    expect(shape(planSmartCut(closed, 8, 13, { dropLeadingFrames: false }))).toEqual(["copy 8-13"]);
    expect(shape(planSmartCut(closed, 8, 12, { dropLeadingFrames: false }))).toEqual([
      "copy 8-9",
      "encode 9-12",
    ]);
    expect(shape(planSmartCut(closed, 1, 23, { dropLeadingFrames: false }))).toEqual([
      "encode 1-8",
      "copy 8-21",
      "encode 21-23",
    ]);
  });

  it("re-encodes all of a range that holds no keyframe", () => {
    expect(shape(planSmartCut(closed, 9, 15, { dropLeadingFrames: false }))).toEqual(["encode 9-15"]);
  });

  it("never starts a copy at an open-GOP keyframe unless its leading frames can be dropped", () => {
    expect(shape(planSmartCut(open, 2, 19, { dropLeadingFrames: false }))).toEqual(["encode 2-19"]);
    const plan = planSmartCut(open, 2, 15, { dropLeadingFrames: true });
    expect(shape(plan)).toEqual(["encode 2-6", "copy 6-13", "encode 13-15"]);
    // 6 4 5 9 7 8 12 10 11: frames 4 and 5 are in the packets but dropped.
    expect(plan.segments[1]).toMatchObject({ packets: 9, droppedLeading: 2 });
  });

  it("copies every frame of an all-intra master", () => {
    const intra = indexOf(Array.from({ length: 10 }, (_, i) => `${i}K`));
    expect(shape(planSmartCut(intra, 3, 7, { dropLeadingFrames: false }))).toEqual(["copy 3-7"]);
  });
});
