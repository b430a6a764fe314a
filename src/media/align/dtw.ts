/**
 * The best monotonic path of the real audio's frames through the text's states, by dynamic
 * programming over a band of the (frame × state) grid. Every real frame is explained by exactly
 * one state, so a path costs the sum of one emission per real frame:
 *
 * - a synthetic frame's emission is its cepstral distance to the real frame;
 * - a gap state (one before each sentence and one after the last) emits a flat cost: it is where
 *   whatever is not in the text goes (music, applause, an interpreter, questions). The flat cost sits
 *   between a good match and a bad one, so speech that matches nothing costs less in a gap than
 *   forced onto the text;
 * - staying on a synthetic frame costs at most a cap: a pause or an "uh" inside a sentence;
 * - a gap may jump over the next sentence for a cost in proportion to its length: a line in the
 *   text that was never spoken is skipped instead of being stretched over what is there.
 *
 * Moving on by 1 state is free, by 2 or 3 (the speaker faster than the synthetic voice) costs a
 * little, so the path cannot race through the text picking the frames that happen to match.
 * Back-pointers take half a byte a cell and only the band is stored, so memory follows the band's
 * area (and stops following it above STORED_CELLS: bestPath).
 */
import { bandEmissions, distance } from "./emissions.ts";

export interface StateLayout {
  count: number;
  /** Per state: the synthetic frame (row of the synthetic features) it emits, or −1 for a gap state. */
  row: Int32Array;
  /**
   * Per state: 1 when its row is read mirrored, as the frame would be in the reversed sentence
   * (features.ts mirrorFrame: the context stretches before and after trade places).
   */
  mirrored: Uint8Array;
  /**
   * Per state, up to JUMPS states (other than the 3 below it) it can be reached from, −1 for none:
   * a gap from the gap before a skipped sentence, a sentence's start from its gap or the end of the
   * sentence before, a decoy's start from its end (it loops).
   */
  jumpFrom: Int32Array;
  /** What each jump costs. */
  jumpCost: Float32Array;
}

export interface RealLevel {
  frames: number;
  /** frames × dims, normalised. */
  features: Float32Array;
  /** Per frame: a gap state's emission. */
  gapCost: Float32Array;
  /** Per frame: the most that staying on a synthetic frame costs. */
  stayCap: Float32Array;
  /** Per frame: 1 / its mean distance to the synthetic voice (background.ts). */
  scale: Float32Array;
}

/** Per real frame, the states considered: lo…hi inclusive. */
export interface Band {
  lo: Int32Array;
  hi: Int32Array;
}

export interface PathCosts {
  /** Added to the cost of staying on a synthetic frame: one frame may not soak up a long stretch. */
  stay: number;
  /** Added to the cost of moving on by 2 and by 3 states in one frame. */
  advance2: number;
  advance3: number;
}

export interface PathProblem {
  real: RealLevel;
  /** Synthetic frames × dims, normalised. */
  synth: Float32Array;
  dims: number;
  /** Features are this many blocks of dims / blocks values (the context stretches), for mirroring. */
  blocks: number;
  layout: StateLayout;
  band: Band;
  /** States the path may begin in, at the first real frame. */
  starts: number[];
  /** States the path may end in, at the last real frame. */
  ends: number[];
  costs: PathCosts;
  signal?: AbortSignal;
  /** Most cells whose back-pointers are all kept (default STORED_CELLS): see bestPath. */
  storedCells?: number;
}

/**
 * How a frame was reached: stayed, moved on by 1, 2 or 3 states, skipped a sentence, or stayed on a
 * synthetic frame at the capped cost (a pause or an unscripted sound inside a sentence).
 */
export const Move = { Stay: 0, Jump: 4, Pause: 5 } as const;
/** Jumps a state may be reached by (slots in StateLayout.jumpFrom). */
export const JUMPS = 2;

export interface Path {
  /** Per real frame, its state. */
  states: Int32Array;
  /** Per real frame, how it was reached (a Move, or 1–3). */
  moves: Uint8Array;
  /** Per real frame, the emission it paid. */
  emissions: Float32Array;
  cost: number;
}

// Yield to the event loop about every this many cells: an abort is seen, and a server stays responsive.
const CELLS_PER_SLICE = 1 << 20;
// Above this many cells (half a byte of back-pointer each), they are not all kept: see bestPath.
const STORED_CELLS = 128_000_000;
// Frames per block when they are not: each block's back-pointers are recomputed from a saved row.
const BLOCK_FRAMES = 256;

/**
 * The cheapest path through the band. A band of up to STORED_CELLS cells keeps a back-pointer per
 * cell, in half a byte (a move is 0…6). A larger one (the coarsest level of a very long recording)
 * keeps only the costs before every BLOCK_FRAMES frames, then walks the blocks backwards: each is
 * searched again from its saved costs with its back-pointers kept, and traced back from the state
 * the block after it began in. Twice the work, but a few MB whatever the grid's size.
 */
export async function bestPath(problem: PathProblem): Promise<Path> {
  const { real, band, layout } = problem;
  const frames = real.frames;
  let cells = 0;
  for (let j = 0; j < frames; j++) cells += band.hi[j]! - band.lo[j]! + 1;
  const stored = cells <= (problem.storedCells ?? STORED_CELLS);
  const sweep = new Sweep(problem, stored ? cells : 0);
  const blockFrames = stored ? Math.max(1, frames) : BLOCK_FRAMES;
  const blocks = Math.ceil(frames / blockFrames);
  // Costs of the frame before each block's first (none before the first block).
  const saved: { costs: Float64Array; lo: number }[] = [];
  for (let j = 0; j < frames; j++) {
    if (j % blockFrames === 0 && j > 0) saved.push(sweep.save());
    await sweep.step(j, null, 0);
  }
  const end = sweep.bestEnd();
  const states = new Int32Array(frames);
  const moves = new Uint8Array(frames);
  const emissions = new Float32Array(frames);
  let state = end.state;
  // One buffer for every block's back-pointers, sized for the widest block.
  let widest = 0;
  for (let b = 0; b < blocks && !stored; b++) {
    let area = 0;
    const to = Math.min(frames, (b + 1) * blockFrames);
    for (let j = b * blockFrames; j < to; j++) area += band.hi[j]! - band.lo[j]! + 1;
    widest = Math.max(widest, area);
  }
  const blockMoves = new Uint8Array((widest >> 1) + 1);
  for (let b = blocks - 1; b >= 0; b--) {
    const from = b * blockFrames;
    const to = Math.min(frames, from + blockFrames);
    const offsets = new Float64Array(to - from + 1);
    for (let j = from; j < to; j++)
      offsets[j - from + 1] = offsets[j - from]! + band.hi[j]! - band.lo[j]! + 1;
    // Kept whole, the back-pointers are those of the forward pass: nothing is searched again.
    const kept = stored ? sweep.kept : blockMoves;
    if (!stored) {
      sweep.restore(b === 0 ? null : saved[b - 1]!);
      for (let j = from; j < to; j++) await sweep.step(j, kept, offsets[j - from]!);
    }
    for (let j = to - 1; j >= from; j--) {
      const cell = offsets[j - from]! + state - band.lo[j]!;
      const move = (kept[cell >> 1]! >> ((cell & 1) << 2)) & 15;
      states[j] = state;
      moves[j] = move;
      emissions[j] = emissionAt(problem, state, j, move);
      if (j === 0) break;
      if (move === Move.Jump || move === Move.Jump + 2)
        state = layout.jumpFrom[state * JUMPS + (move - Move.Jump) / 2]!;
      else if (move >= 1 && move <= 3) state -= move;
    }
  }
  return { states, moves, emissions, cost: end.cost };
}

/** The dynamic programme one frame at a time, over two rows of costs. */
class Sweep {
  private previous: Float64Array;
  private current: Float64Array;
  private pLo = 0;
  private pHi = -1;
  private sliceCells = 0;
  private keptOffset = 0;
  private readonly startSet: Set<number>;
  /** This frame's emissions over its band (emissions.ts), reused from frame to frame. */
  private emissions = new Float64Array(0);
  /** Back-pointers of the whole band, when it is searched in one block. */
  kept: Uint8Array;

  /** `keptCells`: how many back-pointers the forward pass keeps (0: none). */
  constructor(
    private readonly problem: PathProblem,
    keptCells: number,
  ) {
    const { layout } = problem;
    this.previous = new Float64Array(layout.count).fill(Number.POSITIVE_INFINITY);
    this.current = new Float64Array(layout.count).fill(Number.POSITIVE_INFINITY);
    this.startSet = new Set(problem.starts);
    this.kept = new Uint8Array(keptCells > 0 ? (keptCells >> 1) + 1 : 0);
  }

  save(): { costs: Float64Array; lo: number } {
    return { costs: this.previous.slice(this.pLo, this.pHi + 1), lo: this.pLo };
  }

  restore(from: { costs: Float64Array; lo: number } | null): void {
    this.previous.fill(Number.POSITIVE_INFINITY);
    if (from === null) {
      this.pLo = 0;
      this.pHi = -1;
      return;
    }
    this.previous.set(from.costs, from.lo);
    this.pLo = from.lo;
    this.pHi = from.lo + from.costs.length - 1;
  }

  bestEnd(): { state: number; cost: number } {
    let state = -1;
    let cost = Number.POSITIVE_INFINITY;
    for (const end of this.problem.ends) {
      if (end >= this.pLo && end <= this.pHi && this.previous[end]! < cost) {
        cost = this.previous[end]!;
        state = end;
      }
    }
    if (state < 0) throw new Error("no path through the band reaches an end state");
    return { state, cost };
  }

  /**
   * Frame j's costs from frame j − 1's. Back-pointers go to `into` at `base` when given; else to
   * the whole band's store when it is kept, or nowhere.
   */
  async step(j: number, into: Uint8Array | null, base: number): Promise<void> {
    const { real, synth, dims, layout, band, costs, signal } = this.problem;
    const { row, jumpFrom, jumpCost } = layout;
    const blocks = this.problem.blocks;
    const inf = Number.POSITIVE_INFINITY;
    const previous = this.previous;
    const current = this.current;
    const pLo = this.pLo;
    const pHi = this.pHi;
    const lo = band.lo[j]!;
    const hi = band.hi[j]!;
    let moves: Uint8Array | null = null;
    let at = 0;
    if (into !== null) {
      moves = into;
      at = base - lo;
    } else if (this.kept.length > 0) {
      moves = this.kept;
      at = this.keptOffset - lo;
      this.keptOffset += hi - lo + 1;
    }
    const gap = real.gapCost[j]!;
    const cap = real.stayCap[j]!;
    const scaleJ = real.scale[j]!;
    const realAt = j * dims;
    const rf = real.features;
    // Emissions of the two states below, in this frame: moving on by 2 or 3 states pays for the
    // synthetic frames passed over as if this real frame had matched them too (a vertical step of
    // classic DTW), so the path cannot skip what it does not like. Passing a gap is free.
    let below1 = inf;
    let below2 = inf;
    if (this.emissions.length < hi - lo + 1) this.emissions = new Float64Array(2 * (hi - lo + 1));
    const emissions = this.emissions;
    bandEmissions(emissions, rf, realAt, synth, layout, lo, hi, dims, blocks, gap, scaleJ);
    for (let i = lo; i <= hi; i++) {
      const r = row[i]!;
      const emission = emissions[i - lo]!;
      let best = inf;
      let move = 0;
      if (j === 0) {
        if (this.startSet.has(i)) best = emission;
      } else {
        if (i >= pLo && i <= pHi) {
          const stay = previous[i]!;
          if (r < 0) {
            best = stay + emission;
            move = Move.Stay;
          } else if (cap < emission) {
            best = stay + cap + costs.stay;
            move = Move.Pause;
          } else {
            best = stay + emission + costs.stay;
            move = Move.Stay;
          }
        }
        if (i - 1 >= pLo && i - 1 <= pHi) {
          const c = previous[i - 1]! + emission;
          if (c < best) {
            best = c;
            move = 1;
          }
        }
        if (i - 2 >= pLo && i - 2 <= pHi) {
          const c = previous[i - 2]! + below1 + emission + costs.advance2;
          if (c < best) {
            best = c;
            move = 2;
          }
        }
        if (i - 3 >= pLo && i - 3 <= pHi) {
          const c = previous[i - 3]! + below2 + below1 + emission + costs.advance3;
          if (c < best) {
            best = c;
            move = 3;
          }
        }
        for (let slot = 0; slot < JUMPS; slot++) {
          const from = jumpFrom[i * JUMPS + slot]!;
          if (from < 0 || from < pLo || from > pHi) continue;
          const c = previous[from]! + jumpCost[i * JUMPS + slot]! + emission;
          if (c < best) {
            best = c;
            move = Move.Jump + 2 * slot;
          }
        }
      }
      below2 = below1;
      below1 = r < 0 ? 0 : emission;
      current[i] = best;
      if (moves !== null) {
        const cell = at + i;
        const byte = cell >> 1;
        moves[byte] = cell & 1 ? (moves[byte]! & 15) | (move << 4) : (moves[byte]! & 240) | move;
      }
    }
    // Reads of the previous frame are bounded by its band, so stale values outside it never leak in.
    this.previous = current;
    this.current = previous;
    this.pLo = lo;
    this.pHi = hi;
    this.sliceCells += hi - lo + 1;
    if (this.sliceCells > CELLS_PER_SLICE) {
      this.sliceCells = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw signal.reason;
    }
  }
}

/** The emission a frame paid, recomputed for the path only (cheaper than storing it per cell). */
function emissionAt(problem: PathProblem, state: number, j: number, move: number): number {
  const { real, synth, dims, layout } = problem;
  const r = layout.row[state]!;
  if (r < 0) return real.gapCost[j]!;
  if (move === Move.Pause) return real.stayCap[j]!;
  const blocks = layout.mirrored[state] === 1 ? problem.blocks : 1;
  return distance(real.features, j * dims, synth, r * dims, dims, blocks) * real.scale[j]!;
}
