import type { Keyframe, KeyframeIndex } from "./keyframes.ts";

/** Frames [from, to) decoded from the master and encoded again. */
export interface EncodeSegment {
  kind: "encode";
  from: number;
  to: number;
}

/** Frames [from, to) taken as the master's own packets, starting at a keyframe. */
export interface CopySegment {
  kind: "copy";
  from: number;
  to: number;
  keyframe: Keyframe;
  /** Packets to take in file order from the keyframe's, counting the dropped leading ones. */
  packets: number;
  /** Leading frames of an open GOP that are in those packets but must be removed. */
  droppedLeading: number;
}

export type Segment = EncodeSegment | CopySegment;

export interface CutPlan {
  segments: Segment[];
  encodedFrames: number;
  copiedFrames: number;
}

export interface PlanOptions {
  /**
   * Whether the copy may start at an open-GOP keyframe by dropping its leading frames. True only
   * where the bitstream can be rewritten to close the GOP (MPEG-2); H.264 must re-encode that GOP.
   */
  dropLeadingFrames: boolean;
}

/**
 * Re-encodes as little as possible: from IN to the first usable keyframe, then copies the longest
 * run of packets that shows exactly the next frames in order, then re-encodes what remains up to OUT.
 * All-intra masters come out as one copy; a range with no usable keyframe as one encode.
 */
export function planSmartCut(
  index: KeyframeIndex,
  inFrame: number,
  outFrame: number,
  options: PlanOptions,
): CutPlan {
  const start = index.keyframes.find(
    (k) => k.frame >= inFrame && k.frame < outFrame && (k.leadingFrames === 0 || options.dropLeadingFrames),
  );
  if (start === undefined) return planReencode(inFrame, outFrame);
  const copy = longestCopy(index, start, outFrame);
  if (copy === null) return planReencode(inFrame, outFrame);
  const segments: Segment[] = [];
  if (inFrame < start.frame) segments.push({ kind: "encode", from: inFrame, to: start.frame });
  segments.push(copy);
  if (copy.to < outFrame) segments.push({ kind: "encode", from: copy.to, to: outFrame });
  return summarise(segments);
}

export function planReencode(inFrame: number, outFrame: number): CutPlan {
  return summarise([{ kind: "encode", from: inFrame, to: outFrame }]);
}

/**
 * A run of packets can end anywhere the frames it holds are exactly keyframe..n with nothing
 * missing: then no packet in it needs a frame outside it, and it shows what the clip needs.
 */
function longestCopy(index: KeyframeIndex, keyframe: Keyframe, outFrame: number): CopySegment | null {
  const { decodeOrder } = index;
  let count = 0;
  let highest = keyframe.frame - 1;
  let best: CopySegment | null = null;
  for (let i = keyframe.decodeIndex; i < decodeOrder.length; i++) {
    const frame = decodeOrder[i] ?? 0;
    if (frame >= outFrame) break;
    // The keyframe's own leading frames sit right after it and are dropped; later ones are kept.
    if (frame < keyframe.frame) continue;
    count++;
    highest = Math.max(highest, frame);
    if (highest - keyframe.frame + 1 === count) {
      best = {
        kind: "copy",
        from: keyframe.frame,
        to: highest + 1,
        keyframe,
        packets: i - keyframe.decodeIndex + 1,
        droppedLeading: keyframe.leadingFrames,
      };
    }
  }
  return best;
}

function summarise(segments: Segment[]): CutPlan {
  const frames = (kind: Segment["kind"]): number =>
    segments.filter((s) => s.kind === kind).reduce((sum, s) => sum + s.to - s.from, 0);
  return { segments, encodedFrames: frames("encode"), copiedFrames: frames("copy") };
}
