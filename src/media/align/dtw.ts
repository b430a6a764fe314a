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
 * Back-pointers take one byte a cell and only the band is stored, so memory follows the band's area.
 */
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

export async function bestPath(problem: PathProblem): Promise<Path> {
  const { real, synth, dims, layout, band, costs, signal } = problem;
  const frames = real.frames;
  const offsets = new Float64Array(frames + 1);
  for (let j = 0; j < frames; j++) offsets[j + 1] = offsets[j]! + (band.hi[j]! - band.lo[j]! + 1);
  const moves = new Uint8Array(offsets[frames]!);
  let previous = new Float64Array(layout.count).fill(Number.POSITIVE_INFINITY);
  let current = new Float64Array(layout.count).fill(Number.POSITIVE_INFINITY);
  const rf = real.features;
  const { row, mirrored, jumpFrom, jumpCost } = layout;
  const blocks = problem.blocks;
  const inf = Number.POSITIVE_INFINITY;
  const startSet = new Set(problem.starts);
  let pLo = 0;
  let pHi = -1;
  let sliceCells = 0;
  for (let j = 0; j < frames; j++) {
    const lo = band.lo[j]!;
    const hi = band.hi[j]!;
    const base = offsets[j]!;
    const gap = real.gapCost[j]!;
    const cap = real.stayCap[j]!;
    const scaleJ = real.scale[j]!;
    const realAt = j * dims;
    // Emissions of the two states below, in this frame: moving on by 2 or 3 states pays for the
    // synthetic frames passed over as if this real frame had matched them too (a vertical step of
    // classic DTW), so the path cannot skip what it does not like. Passing a gap is free.
    let below1 = inf;
    let below2 = inf;
    for (let i = lo; i <= hi; i++) {
      const r = row[i]!;
      let emission: number;
      if (r < 0) {
        emission = gap;
      } else {
        emission = distance(rf, realAt, synth, r * dims, dims, mirrored[i] === 1 ? blocks : 1) * scaleJ;
      }
      let best = inf;
      let move = 0;
      if (j === 0) {
        if (startSet.has(i)) best = emission;
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
      moves[base + i - lo] = move;
    }
    // Reads of the previous frame are bounded by its band, so stale values outside it never leak in.
    const swap = previous;
    previous = current;
    current = swap;
    pLo = lo;
    pHi = hi;
    sliceCells += hi - lo + 1;
    if (sliceCells > CELLS_PER_SLICE) {
      sliceCells = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw signal.reason;
    }
  }
  let end = -1;
  let cost = inf;
  for (const state of problem.ends) {
    if (state >= pLo && state <= pHi && previous[state]! < cost) {
      cost = previous[state]!;
      end = state;
    }
  }
  if (end < 0) throw new Error("no path through the band reaches an end state");
  return { ...traceBack(problem, offsets, moves, end), cost };
}

function traceBack(
  problem: PathProblem,
  offsets: Float64Array,
  moves: Uint8Array,
  end: number,
): Omit<Path, "cost"> {
  const { real, band, layout } = problem;
  const frames = real.frames;
  const states = new Int32Array(frames);
  const path = new Uint8Array(frames);
  const emissions = new Float32Array(frames);
  let state = end;
  for (let j = frames - 1; j >= 0; j--) {
    const move = moves[offsets[j]! + state - band.lo[j]!]!;
    states[j] = state;
    path[j] = move;
    emissions[j] = emissionAt(problem, state, j, move);
    if (j === 0) break;
    if (move === Move.Jump || move === Move.Jump + 2)
      state = layout.jumpFrom[state * JUMPS + (move - Move.Jump) / 2]!;
    else if (move >= 1 && move <= 3) state -= move;
  }
  return { states, moves: path, emissions };
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

/**
 * RMS difference per value between a real and a synthetic frame. With `blocks` > 1 the synthetic
 * frame is read mirrored: its blocks in reverse order.
 */
function distance(
  real: Float32Array,
  at: number,
  synth: Float32Array,
  from: number,
  dims: number,
  blocks: number,
): number {
  let sum = 0;
  if (blocks === 1) {
    for (let k = 0; k < dims; k++) {
      const diff = real[at + k]! - synth[from + k]!;
      sum += diff * diff;
    }
  } else {
    const size = dims / blocks;
    for (let b = 0; b < blocks; b++) {
      const r = at + b * size;
      const s = from + (blocks - 1 - b) * size;
      for (let k = 0; k < size; k++) {
        const diff = real[r + k]! - synth[s + k]!;
        sum += diff * diff;
      }
    }
  }
  return Math.sqrt(sum / dims);
}
