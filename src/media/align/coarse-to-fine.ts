import { background, nearestFrame } from "./background.ts";
import { type Band, bestPath, type Path, type RealLevel } from "./dtw.ts";
import { CONTEXT_BLOCKS } from "./features.ts";
import { freeGarbage } from "./free-garbage.ts";
import { bandAround, buildLayout, fullBand, type LevelLayout, projectBand, type Segment } from "./levels.ts";
import { HOP_SECONDS } from "./mfcc.ts";
import { applyStats, decimate, normalizeFeatures } from "./normalize.ts";

/**
 * The search, coarse to fine: the path is first found over the whole grid with frames averaged
 * 2^n at a time (n as small as the cell budget allows), then again at 4× finer resolutions inside
 * a band around the coarser path, down to 10 ms. Each level costs about (frames × band width), so
 * an hour of audio is a few seconds of work and a few tens of MB, whatever the text's length.
 */

/** The synthetic frames of the text, and other speech for the phone loop. */
export interface SynthBase {
  text: Float32Array;
  /** A passage in the other language (other-speech.ts). */
  other: Float32Array;
  /** Hesitations ("uh", "um") in the text's language (other-speech.ts fillerWords). */
  filler: Float32Array;
}

/** The real audio's search frames (long silences left out), normalised. */
export interface RealBase {
  features: Float32Array;
  dims: number;
  /** Per frame 0…1: background to clearly sound (speech-regions.ts). */
  speechiness: Float32Array;
}

export interface SearchTuning {
  /** Largest grid (real frames × states) searched whole at 10 ms, with no coarser level. */
  fineCells: number;
  /**
   * Largest grid searched whole at the coarsest level, when there is one: this many cells, or this
   * many per real frame when that is more (a long recording's coarsest level then keeps the same
   * resolution as it grows, for time in proportion to its length).
   */
  fullCells: number;
  coarseCellsPerFrame: number;
  /** `gapSpeech` and `skipPerFrame` at the coarsest level of a search in several levels (searchSegment). */
  coarseGapSpeech: number;
  coarseSkipPerFrame: number;
  /**
   * A search guided by an earlier one's path (searchAll `guides`): its coarsest level is searched
   * only within this many seconds of that path, so it can start finer (`guidedFactor` at most),
   * with this `gapSpeech` there.
   */
  guideSeconds: number;
  guidedFactor: number;
  guidedGapSpeech: number;
  /** Resolution ratio between successive levels. */
  levelRatio: number;
  /** Coarse frames either side of the coarse path a finer level may leave it by (after a full step)… */
  radius: number;
  /** …plus this many coarse states (each `levelRatio` fine ones). */
  widen: number;
  /** What skipping a sentence costs per synthetic frame (levels.ts). */
  skipPerFrame: number;
  /** A gap's emission over speech: the phone loop's plus this (background.ts); over background: this. */
  gapSpeech: number;
  /** …or, at 10 ms, the nearest hesitation's plus this, when that is less (realLevel). */
  fillerMargin: number;
  gapQuiet: number;
  /** The most staying on a synthetic frame costs, likewise: an "uh", a pause inside a sentence. */
  staySpeech: number;
  stayQuiet: number;
  /** Added to each stay, and to each move on by 2 or 3 states (dtw.ts). */
  stay: number;
  advance2: number;
  advance3: number;
}

export interface SegmentResult {
  segment: Segment;
  path: Path;
  layout: LevelLayout;
}

/**
 * Every segment searched in turn; `progress` gets the share of the text done. With `guides` (an
 * earlier search's results, segment for segment), each is searched again near the earlier path.
 */
export async function searchAll(
  segments: Segment[],
  real: RealBase,
  synth: SynthBase,
  tuning: SearchTuning,
  signal: AbortSignal | undefined,
  progress: (fraction: number) => void,
  guides?: SegmentResult[],
): Promise<SegmentResult[]> {
  const size = (s: Segment): number => s.sentences.reduce((n, x) => n + x.frames, 0);
  const total = segments.reduce((sum, s) => sum + size(s), 0);
  const results: SegmentResult[] = [];
  let done = 0;
  for (const segment of segments) {
    if (segment.sentences.length === 0 || segment.realEnd <= segment.realStart) continue;
    const guide = guides?.find((g) => g.segment === segment);
    results.push({ segment, ...(await searchSegment(segment, real, synth, tuning, signal, guide)) });
    done += size(segment);
    progress(done / Math.max(1, total));
  }
  return results;
}

/**
 * Factors from coarsest to 1. A grid of up to `fineCells` (a clip of a minute or so) is searched
 * whole at 10 ms. A larger one starts at least `levelRatio` times coarser, at the finest factor
 * whose whole grid fits in the budget (`fullCells`, or `coarseCellsPerFrame` per real frame).
 * Measured, not derived: searched whole at 10 or 20 ms, the tests' 1.5-minute composed recording
 * (clips repeated) drew paths through chance matches (71 % of sentences within 500 ms, against over
 * 75 % from 40 ms); the bench's 46-minute one was placed 19 % within 500 ms from 640 ms, 47 % from
 * 320 ms and 56 % from 160 ms (the budget per frame: the coarsest level has no decoys and keeps
 * half a byte per cell, dtw.ts).
 */
export function levelFactors(realFrames: number, textFrames: number, tuning: SearchTuning): number[] {
  // Searched whole at 10 ms, each sentence is there twice (itself and its decoy); the coarsest
  // level of a longer grid has no decoys (searchSegment).
  const cells = (factor: number, copies: number): number =>
    (realFrames / factor) * ((copies * textFrames) / factor);
  const budget = Math.max(tuning.fullCells, tuning.coarseCellsPerFrame * realFrames);
  let factor = cells(1, 2) > tuning.fineCells ? tuning.levelRatio : 1;
  while (factor > 1 && cells(factor, 1) > budget) factor *= 2;
  return downFrom(factor, tuning.levelRatio);
}

/** `coarsest`, then `ratio` times finer each time, down to 1. */
function downFrom(coarsest: number, ratio: number): number[] {
  const factors = [coarsest];
  for (let factor = coarsest; factor > 1; ) {
    factor = Math.max(1, Math.floor(factor / ratio));
    factors.push(factor);
  }
  return factors;
}

/**
 * A guided search's factors: its coarsest level is a band around the earlier path, far cheaper
 * than the whole grid, so it starts at `guidedFactor` (or where the unguided search would start,
 * if that is finer) and goes down by `levelRatio` as usual.
 */
export function guidedFactors(realFrames: number, textFrames: number, tuning: SearchTuning): number[] {
  const unguided = levelFactors(realFrames, textFrames, tuning)[0]!;
  return downFrom(Math.min(unguided, tuning.guidedFactor), tuning.levelRatio);
}

async function searchSegment(
  segment: Segment,
  real: RealBase,
  synth: SynthBase,
  tuning: SearchTuning,
  signal: AbortSignal | undefined,
  guide: SegmentResult | undefined,
): Promise<{ path: Path; layout: LevelLayout }> {
  const dims = real.dims;
  const realFrames = segment.realEnd - segment.realStart;
  const textFrames = segment.sentences.reduce((sum, s) => sum + s.frames, 0);
  const factors = guide
    ? guidedFactors(realFrames, textFrames, tuning)
    : levelFactors(realFrames, textFrames, tuning);
  let previous: { path: Path; layout: LevelLayout } | null = null;
  for (const factor of factors) {
    freeGarbage();
    // The coarsest level of a longer recording has no decoys and a cheaper gap over speech. Its
    // frames are means of 40 ms or more (160 ms for 46 minutes), in which the order of the sounds
    // is largely lost: a decoy there fits a sentence's own audio nearly as well as the sentence
    // does, and text laid over other speech fits it better than at 10 ms, so the gap must cost less
    // to keep that speech out; a line never spoken is skipped a little more readily there (finer
    // levels see the whole skipped sentence in their band and may still place it). Half the states
    // also make it twice as cheap, for a finer resolution in the same time. Measured on the bench's composed recordings: docs/ALIGNMENT.md, "Measured".
    const coarsest = previous === null && factor > 1;
    const layout = buildLayout(
      segment,
      factor,
      coarsest ? tuning.coarseSkipPerFrame : tuning.skipPerFrame,
      !coarsest,
    );
    const rows = synthAt(synth, dims, segment, factor);
    const coarseGap = guide ? tuning.guidedGapSpeech : tuning.coarseGapSpeech;
    const levelTuning = coarsest ? { ...tuning, gapSpeech: coarseGap } : tuning;
    const level = realLevel(real, segment, factor, rows, levelTuning);
    const band: Band =
      previous === null
        ? guide
          ? bandAround(
              guide.path.states,
              guide.layout,
              layout,
              level.frames,
              tuning.guideSeconds / (HOP_SECONDS * factor),
            )
          : fullBand(level.frames, layout.count)
        : projectBand(
            previous.path.states,
            previous.layout,
            layout,
            level.frames,
            // As wide in time as after a full `levelRatio` step, whatever this step's ratio: after a
            // 2× step (a coarsest level of 20 ms), ±2 coarse frames would leave the 10 ms level
            // ±20 ms to move in, too little to correct a word.
            Math.ceil((tuning.radius * tuning.levelRatio) / (previous.layout.factor / factor)),
            tuning.widen * tuning.levelRatio,
          );
    const path = await bestPath({
      real: level,
      synth: rows.text,
      dims,
      blocks: CONTEXT_BLOCKS,
      layout,
      band,
      starts: layout.starts,
      ends: layout.ends,
      costs: { stay: tuning.stay, advance2: tuning.advance2, advance3: tuning.advance3 },
      signal,
    });
    previous = { path, layout };
  }
  if (previous === null) throw new Error("no level was searched");
  return previous;
}

/**
 * Per segment, its 10 ms frames' distances to the other language's codebook: the same in every
 * search of one alignment (only the text's voice is adapted between them), so the searches after
 * the first do not compute them again (a third of pricing the 10 ms frames, 1.3 s for 46 minutes).
 * Only at 10 ms: at coarser levels the passage is normalised with the text's statistics (synthAt),
 * which move with the voice. Kept as long as the alignment keeps its segments.
 */
const otherDistances = new WeakMap<Segment, Float32Array>();

/** The real frames of a segment at one level, with what each costs in a gap and as a stay. */
function realLevel(
  real: RealBase,
  segment: Segment,
  factor: number,
  rows: LevelRows,
  tuning: SearchTuning,
): RealLevel {
  const { dims } = real;
  const length = segment.realEnd - segment.realStart;
  const view = real.features.subarray(segment.realStart * dims, segment.realEnd * dims);
  const frames = Math.ceil(length / factor);
  const speech = new Float32Array(frames);
  for (let c = 0; c < frames; c++) {
    const a = segment.realStart + c * factor;
    const b = Math.min(segment.realEnd, a + factor);
    let sum = 0;
    for (let j = a; j < b; j++) sum += real.speechiness[j]!;
    speech[c] = sum / (b - a);
  }
  let features = view;
  if (factor > 1) {
    features = decimate(view, dims, [{ start: 0, frames: length }], factor);
    // Means of frames vary less than frames: normalised again, as at 10 ms.
    normalizeFeatures(features, dims, (f) => speech[f]! >= 0.5);
  }
  const known = factor === 1 ? otherDistances.get(segment) : undefined;
  const { scale, best, otherNearest } = background(
    features,
    frames,
    rows.text,
    rows.other,
    dims,
    speech,
    known,
  );
  if (factor === 1) otherDistances.set(segment, otherNearest);
  const gapCost = new Float32Array(frames);
  const stayCap = new Float32Array(frames);
  // At 10 ms only: an "uh" said straight into a sentence (no pause between) fits a hesitation of
  // the voice better than the sentence's first phones, so the gap before the sentence takes it and
  // the sentence starts on its first word (fixtures: of 4 sentences 0.3 s early on an "uh", 2 came
  // within 0.11 s, 1 to 0.23 s). At coarser levels a frame is a mean of 40 ms or more, where a
  // hesitation is not told from a vowel; there it made no difference (docs/ALIGNMENT.md).
  const fillers = factor === 1 && rows.filler.length > 0;
  for (let c = 0; c < frames; c++) {
    // Over speech: the phone loop's price plus a margin; over background: a flat price.
    const p = speech[c]!;
    let speechGap = best[c]! + tuning.gapSpeech;
    if (fillers)
      speechGap = Math.min(
        speechGap,
        nearestFrame(features, c, rows.filler, dims) * scale[c]! + tuning.fillerMargin,
      );
    gapCost[c] = p * speechGap + (1 - p) * tuning.gapQuiet;
    stayCap[c] = p * (best[c]! + tuning.staySpeech) + (1 - p) * tuning.stayQuiet;
  }
  return { frames, features, gapCost, stayCap, scale };
}

interface LevelRows {
  /** The rows the layout refers to (the decoys read them mirrored). */
  text: Float32Array;
  other: Float32Array;
  /** Only at 10 ms (empty at coarser levels). */
  filler: Float32Array;
}

function synthAt(synth: SynthBase, dims: number, segment: Segment, factor: number): LevelRows {
  if (factor === 1) {
    // A segment's sentences lie one after the other in the text's frames: no copy.
    const first = segment.sentences[0];
    const last = segment.sentences.at(-1);
    const from = (first?.start ?? 0) * dims;
    const to = last ? (last.start + last.frames) * dims : from;
    return { text: synth.text.subarray(from, to), other: synth.other, filler: synth.filler };
  }
  const text = decimate(synth.text, dims, segment.sentences, factor);
  const other = decimate(synth.other, dims, [{ start: 0, frames: synth.other.length / dims }], factor);
  // Means vary less than frames: normalised again, as at 10 ms (the passage alike).
  applyStats(other, dims, normalizeFeatures(text, dims));
  return { text, other, filler: new Float32Array(0) };
}
