import { type Band, JUMPS, type StateLayout } from "./dtw.ts";

/**
 * The text as states at one resolution. Coarse-to-fine: the path is first found over the whole grid
 * with frames averaged 2^n at a time, then again at finer resolutions inside a band around the
 * coarser path, down to 10 ms. Each level costs about (real frames × band width), so an hour of
 * audio stays a few seconds of work and a few tens of MB.
 */

/** A sentence's synthetic frames (10 ms, 0 for a sentence with nothing to say is never listed). */
export interface SentenceSpan {
  /** Index in the caller's list of sentences. */
  index: number;
  start: number;
  frames: number;
  /** Multiplies what skipping it costs (words.ts skipWeight). */
  skipWeight: number;
}

/** A stretch of the real audio and the sentences to find in it, aligned on its own. */
export interface Segment {
  sentences: SentenceSpan[];
  /** Real frames, end exclusive. */
  realStart: number;
  realEnd: number;
  /** True when the first sentence must start on the first frame (an editor's anchor). */
  anchored: boolean;
}

export const Kind = { Gap: 0, Text: 1, Decoy: 2 } as const;

export interface LevelLayout extends StateLayout {
  factor: number;
  /** Per state: a Kind. */
  kind: Uint8Array;
  /** Per state: its sentence (position in the segment's list); for a gap, the sentence after it. */
  sentence: Int32Array;
  /** Per state: its frame inside its sentence (or decoy) at this level, or −1 for a gap. */
  local: Int32Array;
  /** Per sentence: the state of its first frame, its number of frames at this level, its gap and decoy (or −1). */
  firstState: Int32Array;
  frameCount: Int32Array;
  gapState: Int32Array;
  decoyState: Int32Array;
  /** The gap after the last sentence, and the decoy after it (−1 without decoys). */
  endGap: number;
  endDecoy: number;
  starts: number[];
  ends: number[];
}

/**
 * States, in order: for each sentence its gap, its decoy (the sentence's synthetic frames in
 * reverse, mirrored, from half-way, which may loop) and its frames; after the last sentence, a
 * gap and a decoy again.
 *
 * The decoy is what speech that is not in the text is matched to (an interpreter, a question): the
 * same sounds as the sentence, in the wrong order. Matched against the sentence's own audio it
 * costs clearly more than the sentence (order matters: ~9 % on the fixtures); against other
 * speech, about the same. So wherever audio is better explained by the decoy than by the text,
 * it is not the text, and the comparison is made on the same audio, whatever its voice or room.
 *
 * `skipPerFrame` is what skipping a sentence costs per synthetic frame at 10 ms: a long sentence
 * needs more evidence to be declared unspoken.
 *
 * `withDecoys` false leaves the decoys out (the coarsest level of a longer search: coarse-to-fine.ts);
 * the finer level's band projected from that path reaches into the decoy after a gap by its
 * widening, and spans all of it where the path goes from the gap into its sentence.
 */
export function buildLayout(
  segment: Segment,
  factor: number,
  skipPerFrame: number,
  withDecoys = true,
): LevelLayout {
  const n = segment.sentences.length;
  const frameCount = new Int32Array(n);
  let count = 0;
  segment.sentences.forEach((s, k) => {
    frameCount[k] = Math.ceil(s.frames / factor);
    // The anchored first sentence starts on the first frame: no gap or decoy before it.
    count += (k === 0 && segment.anchored ? 1 : 2 + (withDecoys ? frameCount[k]! : 0)) + frameCount[k]! - 1;
  });
  const lastFrames = n > 0 ? frameCount[n - 1]! : 0;
  count += 1 + (withDecoys ? lastFrames : 0);
  const row = new Int32Array(count).fill(-1);
  const kind = new Uint8Array(count);
  const mirrored = new Uint8Array(count);
  const jumpFrom = new Int32Array(count * JUMPS).fill(-1);
  const jumpCost = new Float32Array(count * JUMPS);
  const sentence = new Int32Array(count);
  const local = new Int32Array(count).fill(-1);
  const firstState = new Int32Array(n);
  const gapState = new Int32Array(n).fill(-1);
  const decoyState = new Int32Array(n).fill(-1);
  const rowOf = new Int32Array(n);
  for (let k = 1; k < n; k++) rowOf[k] = rowOf[k - 1]! + frameCount[k - 1]!;
  const skip = (k: number): number => {
    const span = segment.sentences[k];
    return span ? (skipPerFrame * span.frames * span.skipWeight) / factor : 0;
  };
  let state = 0;
  const decoy = (k: number, owner: number): number => {
    const first = state;
    const count = frameCount[k]!;
    // It begins half-way through the reversed sentence, so its last frame, which leads straight
    // into the sentence, is the mirror of the sentence's middle. Reversed from the end, it would
    // end on the mirror of the sentence's first frames (the same sounds: mirroring swaps only the
    // context around them), and could take the sentence's first syllable before handing over to
    // it: "Bonjour." started 0.31 s late, its "Bon" in the decoy (0.00 s rotated). It loops, so
    // where it begins changes nothing else.
    const half = Math.floor(count / 2);
    for (let f = 0; f < count; f++) {
      kind[state] = Kind.Decoy;
      sentence[state] = owner;
      local[state] = f;
      // The sentence's own rows, backwards and mirrored (dtw.ts): no copy of the text is kept.
      row[state] = rowOf[k]! + count - 1 - ((f + half) % count);
      mirrored[state] = 1;
      state++;
    }
    // It loops: from its last frame back to its first.
    jumpFrom[first * JUMPS] = state - 1;
    return first;
  };
  const gap = (owner: number): number => {
    kind[state] = Kind.Gap;
    sentence[state] = owner;
    if (owner > 0) {
      // Reached by skipping the sentence before, from its gap or its decoy.
      jumpFrom[state * JUMPS] = gapState[owner - 1]!;
      jumpCost[state * JUMPS] = skip(owner - 1);
      jumpFrom[state * JUMPS + 1] =
        decoyState[owner - 1]! >= 0 ? decoyState[owner - 1]! + frameCount[owner - 1]! - 1 : -1;
      jumpCost[state * JUMPS + 1] = skip(owner - 1);
    }
    return state++;
  };
  for (let k = 0; k < n; k++) {
    if (!(k === 0 && segment.anchored)) {
      gapState[k] = gap(k);
      if (withDecoys) decoyState[k] = decoy(k, k);
    }
    firstState[k] = state;
    // A sentence starts from its gap (no decoy between) or straight after the sentence before.
    if (gapState[k]! >= 0) jumpFrom[state * JUMPS] = gapState[k]!;
    if (k > 0) jumpFrom[state * JUMPS + 1] = firstState[k - 1]! + frameCount[k - 1]! - 1;
    for (let f = 0; f < frameCount[k]!; f++) {
      kind[state] = Kind.Text;
      sentence[state] = k;
      local[state] = f;
      row[state] = rowOf[k]! + f;
      state++;
    }
  }
  const endGap = gap(n);
  const endDecoy = n > 0 && withDecoys ? decoy(n - 1, n) : -1;
  const first = firstState[0] ?? endGap;
  const starts = segment.anchored ? [first] : [0, 1, first];
  const ends = [endGap, endDecoy >= 0 ? state - 1 : -1, n > 0 ? firstState[n - 1]! + lastFrames - 1 : endGap];
  return {
    count: state,
    row,
    mirrored,
    jumpFrom,
    jumpCost,
    factor,
    kind,
    sentence,
    local,
    firstState,
    frameCount,
    gapState,
    decoyState,
    endGap,
    endDecoy,
    starts: starts.filter((s) => s >= 0 && s < state),
    ends: ends.filter((s) => s >= 0 && s < state),
  };
}

/** Every state at every frame: the first, coarsest level. */
export function fullBand(frames: number, states: number): Band {
  return { lo: new Int32Array(frames), hi: new Int32Array(frames).fill(states - 1) };
}

/**
 * The band at a finer level: at each fine frame, the fine states under the coarse path's states
 * within `radius` coarse frames, widened by `widen` fine states. A coarse skip makes the band span
 * the whole skipped sentence at those frames, so the finer level may still decide otherwise.
 */
export function projectBand(
  coarsePath: Int32Array,
  coarse: LevelLayout,
  fine: LevelLayout,
  fineFrames: number,
  radius: number,
  widen: number,
): Band {
  const ratio = coarse.factor / fine.factor;
  const columns = coarsePath.length;
  // Fine range of each coarse column's state.
  const n = fine.firstState.length;
  const from = new Int32Array(columns);
  const to = new Int32Array(columns);
  for (let c = 0; c < columns; c++) {
    const s = coarsePath[c]!;
    const k = coarse.sentence[s]!;
    const kind = coarse.kind[s]!;
    if (kind === Kind.Gap) {
      const g = k < n ? fine.gapState[k]! : fine.endGap;
      from[c] = g >= 0 ? g : fine.firstState[k]!;
      to[c] = from[c]!;
    } else {
      const l = coarse.local[s]!;
      const owner = Math.min(k, n - 1);
      const first = kind === Kind.Text ? fine.firstState[k]! : k < n ? fine.decoyState[k]! : fine.endDecoy;
      from[c] = first + l * ratio;
      to[c] = first + Math.min(fine.frameCount[owner]!, (l + 1) * ratio) - 1;
    }
  }
  const lo = new Int32Array(fineFrames);
  const hi = new Int32Array(fineFrames);
  const last = fine.count - 1;
  for (let j = 0; j < fineFrames; j++) {
    const c = Math.min(columns - 1, Math.floor(j / ratio));
    let a = Number.POSITIVE_INFINITY;
    let b = -1;
    for (let d = Math.max(0, c - radius); d <= Math.min(columns - 1, c + radius); d++) {
      if (from[d]! < a) a = from[d]!;
      if (to[d]! > b) b = to[d]!;
    }
    lo[j] = Math.max(0, a - widen);
    hi[j] = Math.min(last, b + widen);
  }
  return { lo, hi };
}

/**
 * The band at the coarsest level of a guided search (coarse-to-fine.ts): at each frame, the states
 * an earlier search's 10 ms path went through within `radius` frames of it, read at this level's
 * resolution (its decoys as their sentence's gap: the coarsest level has none). The earlier path
 * only grows, so the states at the window's two ends bound it. The first frame may start and the
 * last end anywhere the level allows, as in a full band.
 */
export function bandAround(
  finePath: Int32Array,
  fine: LevelLayout,
  coarse: LevelLayout,
  frames: number,
  radius: number,
): Band {
  const ratio = coarse.factor / fine.factor;
  const n = coarse.firstState.length;
  const at = new Int32Array(frames);
  for (let c = 0; c < frames; c++) {
    const s = finePath[Math.min(finePath.length - 1, Math.floor(c * ratio))]!;
    const k = fine.sentence[s]!;
    if (fine.kind[s] === Kind.Text) {
      at[c] = coarse.firstState[k]! + Math.min(coarse.frameCount[k]! - 1, Math.floor(fine.local[s]! / ratio));
    } else if (k < n) {
      at[c] = coarse.gapState[k]! >= 0 ? coarse.gapState[k]! : coarse.firstState[k]!;
    } else {
      at[c] = coarse.endGap;
    }
  }
  const reach = Math.max(1, Math.ceil(radius));
  const lo = new Int32Array(frames);
  const hi = new Int32Array(frames);
  for (let c = 0; c < frames; c++) {
    lo[c] = c === 0 ? 0 : at[Math.max(0, c - reach)]!;
    hi[c] = c === frames - 1 ? coarse.count - 1 : Math.max(lo[c]!, at[Math.min(frames - 1, c + reach)]!);
  }
  return { lo, hi };
}
