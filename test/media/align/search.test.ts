import { describe, expect, it } from "vitest";
import { bestPath, type PathProblem, type RealLevel } from "../../../src/media/align/dtw.ts";
import {
  buildLayout,
  fullBand,
  Kind,
  type LevelLayout,
  type Segment,
} from "../../../src/media/align/levels.ts";

// Small problems with known answers: synthetic "speech" of random frames, and a "recording" that
// says the text's sentences, slower, with noise, between stretches of other frames.
const DIMS = 6;
const BLOCKS = 3;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Planted {
  segment: Segment;
  synth: Float32Array;
  real: RealLevel;
  /** Real frame each sentence was planted at. */
  starts: number[];
}

function plant(sentenceFrames: number[], otherFrames: number, seed: number, noiseLevel = 0.4): Planted {
  const next = random(seed);
  const noise = (): number => (next() - 0.5) * noiseLevel;
  const total = sentenceFrames.reduce((a, b) => a + b, 0);
  const synth = Float32Array.from({ length: total * DIMS }, () => next() * 4 - 2);
  const frames: number[][] = [];
  const starts: number[] = [];
  const other = (): void => {
    for (let f = 0; f < otherFrames; f++) frames.push(Array.from({ length: DIMS }, () => next() * 4 - 2));
  };
  let row = 0;
  for (const count of sentenceFrames) {
    other();
    starts.push(frames.length);
    // Each synthetic frame said for 1 or 2 real frames: a speaker slower than the voice.
    for (let f = 0; f < count; f++) {
      const times = next() < 0.5 ? 1 : 2;
      for (let t = 0; t < times; t++) {
        frames.push(Array.from({ length: DIMS }, (_, k) => synth[(row + f) * DIMS + k]! + noise()));
      }
    }
    row += count;
  }
  other();
  const n = frames.length;
  const segment: Segment = {
    sentences: sentenceFrames.map((count, index) => ({
      index,
      start: sentenceFrames.slice(0, index).reduce((a, b) => a + b, 0),
      frames: count,
      skipWeight: 1,
    })),
    realStart: 0,
    realEnd: n,
    anchored: false,
  };
  const real: RealLevel = {
    frames: n,
    features: Float32Array.from(frames.flat()),
    gapCost: new Float32Array(n).fill(1),
    stayCap: new Float32Array(n).fill(1.5),
    scale: new Float32Array(n).fill(1),
  };
  return { segment, synth, real, starts };
}

function problemOf(planted: Planted, withDecoys: boolean): { problem: PathProblem; layout: LevelLayout } {
  const layout = buildLayout(planted.segment, 1, 0.25, withDecoys);
  const problem: PathProblem = {
    real: planted.real,
    synth: planted.synth,
    dims: DIMS,
    blocks: BLOCKS,
    layout,
    band: fullBand(planted.real.frames, layout.count),
    starts: layout.starts,
    ends: layout.ends,
    costs: { stay: 0.2, advance2: 0.05, advance3: 0.15 },
  };
  return { problem, layout };
}

/** Real frame at which the path first enters each sentence's text. */
function entries(layout: LevelLayout, states: Int32Array): number[] {
  return Array.from(layout.firstState, (first) => states.indexOf(first));
}

describe("bestPath", () => {
  it("finds the same path block by block as with every back-pointer kept, and the planted sentences", async () => {
    // Over 256 frames, so the block-by-block search has several blocks.
    const planted = plant([60, 50, 70], 150, 7);
    expect(planted.real.frames).toBeGreaterThan(3 * 256);
    const { problem, layout } = problemOf(planted, true);
    const whole = await bestPath(problem);
    const byBlocks = await bestPath({ ...problem, storedCells: 0 });
    expect(Array.from(byBlocks.states)).toEqual(Array.from(whole.states));
    expect(Array.from(byBlocks.moves)).toEqual(Array.from(whole.moves));
    expect(byBlocks.cost).toBeCloseTo(whole.cost, 6);
    // The path's cost is what it paid frame by frame (stays add their surcharge on top).
    const paid = whole.emissions.reduce((sum, e) => sum + e, 0);
    expect(whole.cost).toBeGreaterThanOrEqual(paid - 1e-6);
    const found = entries(layout, whole.states);
    expect(found.map((frame, k) => Math.abs(frame - planted.starts[k]!) <= 2)).toEqual([true, true, true]);
  });

  it("finds the same path block by block when the audio is mostly noise (many near ties)", async () => {
    const { problem } = problemOf(plant([60, 50, 70], 150, 3, 6), true);
    const whole = await bestPath(problem);
    const byBlocks = await bestPath({ ...problem, storedCells: 0 });
    expect(Array.from(byBlocks.states)).toEqual(Array.from(whole.states));
    expect(byBlocks.cost).toBeCloseTo(whole.cost, 6);
  });
});

describe("buildLayout without decoys (the coarsest level of a long recording)", () => {
  it("has only gaps and text, still lets a sentence be skipped, and still finds the sentences", async () => {
    const planted = plant([40, 30, 50], 60, 11);
    const withDecoys = buildLayout(planted.segment, 1, 0.25, true);
    const without = buildLayout(planted.segment, 1, 0.25, false);
    expect(Array.from(without.kind).filter((k) => k === Kind.Decoy)).toHaveLength(0);
    // One gap per sentence and one after the last, and the text's frames.
    expect(without.count).toBe(3 + 1 + 120);
    expect(withDecoys.count).toBe(3 + 1 + 120 + 120 + 50);
    expect(Array.from(without.decoyState)).toEqual([-1, -1, -1]);
    expect(without.endDecoy).toBe(-1);
    // Skipping sentence 0: the gap of sentence 1 is reached from the gap of sentence 0.
    const gap1 = without.gapState[1]!;
    expect(without.jumpFrom[gap1 * 2]).toBe(without.gapState[0]);
    expect(without.jumpFrom[gap1 * 2 + 1]).toBe(-1);
    const path = await bestPath(problemOf(planted, false).problem);
    const found = entries(without, path.states);
    expect(found.map((frame, k) => Math.abs(frame - planted.starts[k]!) <= 2)).toEqual([true, true, true]);
  });
});

describe("buildLayout's decoys", () => {
  it("read the sentence backwards from half-way, mirrored, loop, and end on the mirror of its middle", () => {
    const planted = plant([40, 31], 60, 5);
    const layout = buildLayout(planted.segment, 1, 0.25, true);
    planted.segment.sentences.forEach((span, k) => {
      const decoy = layout.decoyState[k]!;
      const count = layout.frameCount[k]!;
      const text = layout.firstState[k]!;
      const rows = Array.from(layout.row.subarray(decoy, decoy + count));
      const own = Array.from(layout.row.subarray(text, text + count));
      // Every frame of the sentence once, each read mirrored.
      expect([...rows].sort((a, b) => a - b)).toEqual(own);
      expect(Array.from(layout.mirrored.subarray(decoy, decoy + count)).every((m) => m === 1)).toBe(true);
      // Backwards: each frame the one before the previous, wrapping once from the first to the last.
      const steps = rows.slice(1).map((r, f) => r - rows[f]!);
      expect(steps.filter((d) => d === -1)).toHaveLength(count - 2);
      expect(steps.filter((d) => d === count - 1)).toHaveLength(1);
      // The frame that leads into the sentence (the decoy's last) is its middle, not its first:
      // a decoy ending on the sentence's first sounds could take its first syllable.
      expect(rows.at(-1)! - own[0]!).toBe(Math.ceil(count / 2));
      expect(layout.row[text - 1]).toBe(rows.at(-1));
      expect(layout.jumpFrom[decoy * 2]).toBe(decoy + count - 1);
      expect(span.frames).toBe(count);
    });
  });
});
