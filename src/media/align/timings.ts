import { Move, type Path } from "./dtw.ts";
import { MIDDLE_BLOCK_AT } from "./features.ts";
import { Kind, type LevelLayout, type Segment } from "./levels.ts";
import { CEPSTRA, HOP_SECONDS } from "./mfcc.ts";
import { type BoundaryCosts, type BoundaryFrames, type BoundarySpan, refineWordStarts } from "./refine.ts";

/** Where a sentence and its words fell in the real audio, in frames of the whole recording. */
export interface SentenceFrames {
  start: number;
  /** Exclusive: the frame after its last sound (a pause that follows is not part of it). */
  end: number;
  words: { start: number; end: number }[];
  /** Mean emission of the frames matched to its synthetic frames (not its pauses). */
  meanDistance: number;
  /** Share of its synthetic frames that some real frame was matched to (a sentence raced through is low). */
  coverage: number;
  /** Its search frames (not recording frames), end exclusive. */
  columns: [number, number];
}

/** What is known of the search frames: where they are in the recording, and how loud. */
export interface Frames {
  /** Per search frame, its frame in the recording. */
  frameOf: Int32Array;
  /**
   * Per search frame, 0 (background) … 1 (sound), against the background around it: the
   * `foreground` of speech-regions.ts, so a short pause in a noisy room is a pause.
   */
  foreground: Float32Array;
}

// A sentence does not begin with a short sound, a pause and then the rest: that sound was an
// "uh", a breath or a cough that the path took for the sentence's first phones. Unless the path
// laid more than two words on it ("I have a [pause] cold" is speech), or matched it clearly better
// than the rest of the sentence (by a tenth: an "um" before "I think" fits "I" as well as the
// sentence's own sounds fit it). The two limits, measured on the bench's composed recordings:
// 21 minutes 87 → 89.6 % of sentences within 500 ms, 46 minutes 88.5 → 89.8 %; the fixtures as
// before (without the two-word limit, "I have a" was skipped in one of them).
const FILLER_MAX_FRAMES = 70;
const FILLER_PAUSE_FRAMES = 20;
const FILLER_MAX_PROGRESS = 0.5;
const FILLER_MAX_WORDS = 2;
const FILLER_BETTER = 0.9;
// A sentence does not begin with a steady sound either, cut off from the rest by a dip of 30 ms:
// a held vowel is an "uh" or "um", not a word's sounds, which change (unless the first word is one
// a speaker holds as long: drawn-out.ts `mayBeHeld`). Steadiness: the mean change of the middle
// block's cepstra over ±20 ms; on the fixtures, the hesitations the path began a sentence on
// 1.1–1.4, the sentences' own first words 1.9–3.0, a held "and" 1.3. Fixtures' words over 100 ms
// with 1.3 / 1.45 / 1.6 / 1.8: 23 / 21 / 21 / 21 (docs/ALIGNMENT.md, "Measured", seventeenth session).
const STEADY_BELOW = 1.6;
const STEADY_MIN_FRAMES = 10;
const STEADY_DIP_FRAMES = 3;
const STEADY_SPAN = 2;
// A word's start moves onto the onset of sound up to 300 ms later, a sentence's up to 600 ms.
const QUIET_BELOW = 0.4;
const SNAP_WORD_FRAMES = 30;
const SNAP_SENTENCE_FRAMES = 60;
// …and a sentence's start inside a sound back to where it began, up to 100 ms before. Fixtures'
// sentence starts p90 with 5 / 10 / 15 / 20 frames: 310 / 220 / 220 / 220 ms; the 46 minutes
// within 250 ms 80.0 / 80.0 / 79.6 % (5 / 10 / 15).
const SNAP_BACK_FRAMES = 10;

/** Per sentence of the text: its words' first synthetic frames, and whether its first word may be held (drawn-out.ts). */
export interface TextWords {
  starts: Int32Array[];
  heldFirst: Uint8Array;
}

/** What word boundaries are found again with (refine.ts): the search's features, the band, the moves' costs. */
export interface Boundaries {
  frames: BoundaryFrames;
  costs: BoundaryCosts;
}

/**
 * Reads sentences and words off the finest path (10 ms frames). A word starts at the first real
 * frame matched to any of its synthetic frames (then where the sentence's paths, searched again
 * on sharper frames with `boundaries`, hand over to it) and ends where the next begins, or earlier
 * when the path sat out a pause just before that. A sentence the path never entered was skipped:
 * unspoken.
 */
export function readTimings(
  segment: Segment,
  layout: LevelLayout,
  path: Path,
  text: TextWords,
  frames: Frames,
  boundaries: Boundaries,
): (SentenceFrames | null)[] {
  const out: (SentenceFrames | null)[] = [];
  const columns = path.states.length;
  // Columns of the path are relative to the segment's first search frame.
  const at = (column: number): number => frames.frameOf[segment.realStart + column]!;
  let j = 0;
  segment.sentences.forEach((span, k) => {
    const first = layout.firstState[k]!;
    const count = layout.frameCount[k]!;
    const last = first + count - 1;
    while (j < columns && path.states[j]! < first) j++;
    if (j >= columns || path.states[j]! > last) {
      out.push(null);
      return;
    }
    const from = j;
    while (j < columns && path.states[j]! <= last) j++;
    const words = text.starts[span.index] ?? new Int32Array(1);
    const steady =
      text.heldFirst[span.index] === 1
        ? null
        : (a: number, b: number) =>
            steadiness(boundaries.frames, segment.realStart + a, segment.realStart + b);
    const start = skipLeadingFiller(
      path,
      { from, to: j, first, count, words },
      frames,
      segment.realStart,
      steady,
    );
    const sentence = readSentence(
      path,
      start,
      j,
      first,
      count,
      words,
      at,
      (column) => frames.foreground[segment.realStart + column]!,
      { ...boundaries, span: { realOffset: segment.realStart, rowOffset: span.start, first } },
      (column) => layout.kind[path.states[column]!] === Kind.Text,
    );
    sentence.columns = [segment.realStart + start, segment.realStart + j];
    out.push(sentence);
  });
  return out;
}

function readSentence(
  path: Path,
  start: number,
  to: number,
  first: number,
  count: number,
  starts: Int32Array,
  at: (column: number) => number,
  sound: (column: number) => number,
  boundaries: Boundaries & { span: BoundarySpan },
  isText: (column: number) => boolean,
): SentenceFrames {
  let from = start;
  const visited = new Uint8Array(count);
  const wordFirst = new Int32Array(starts.length).fill(-1);
  let w = 0;
  let unset = 0;
  let sum = 0;
  let matched = 0;
  let lastSound = -1;
  for (let j = from; j < to; j++) {
    const local = Math.max(0, path.states[j]! - first);
    while (w + 1 < starts.length && local >= starts[w + 1]!) w++;
    // Words the path went past in one move start where the next one does.
    for (; unset <= w; unset++) wordFirst[unset] = j;
    if (path.moves[j] !== Move.Pause) {
      visited[local] = 1;
      sum += path.emissions[j]!;
      matched++;
      lastSound = j;
    }
  }
  let covered = 0;
  for (let f = 0; f < count; f++) covered += visited[f]!;
  let end = (lastSound >= 0 ? lastSound : from) + 1;
  // Onto the sound: a sentence the path began in a pause begins where the sound does, if within
  // SNAP_SENTENCE_FRAMES ("And that [pause]…" laid on an "um"'s tail: the sentence started 0.54 s
  // early; bench, 46 minutes, 89.8 → 90.0 % within 500 ms, median 148 → 67 ms; fixtures' median
  // 30 → 20 ms). Its words are then found from there, all of them: words the path also began in
  // that pause are placed in the sound, not left on the sentence's first frame ("And" 10 ms long,
  // "that" 0.12 s early; the 46 minutes' words within 100 ms 80.5 → 81.7 %, words of four letters
  // or more under 35 ms 96 → 43).
  const begin = onsetAfter(from, end, SNAP_SENTENCE_FRAMES, at, sound);
  wordFirst[0] = begin;
  const { span, frames: features, costs } = boundaries;
  refineWordStarts(path.states, wordFirst, starts, begin, to, span, features, costs, first);
  for (let v = 1; v < starts.length; v++)
    if (wordFirst[v]! >= 0) wordFirst[v] = Math.max(wordFirst[v]!, begin);
  // And each word the finer search starts in a pause onto the sound, if within SNAP_WORD_FRAMES.
  for (let v = 1; v < starts.length; v++) {
    const a = wordFirst[v]!;
    const limit = v + 1 < starts.length && wordFirst[v + 1]! >= 0 ? wordFirst[v + 1]! : end;
    const c = onsetAfter(a, limit, SNAP_WORD_FRAMES, at, sound);
    if (c <= a) continue;
    wordFirst[v] = c;
    for (let u = v + 1; u < starts.length; u++) if (wordFirst[u]! >= 0 && wordFirst[u]! < c) wordFirst[u] = c;
  }
  // A sentence does not begin inside a sound: back to where that sound began, if within 100 ms
  // (and not into the text before). "So this is the sick corpus", its first words said barely
  // above the room, began 0.1 s into "this": +0.31 → +0.21 s. Fixtures' sentence starts p90 310 →
  // 220 ms; the composed recordings as before (docs/ALIGNMENT.md, "Measured", seventh session).
  const onset = soundOnset(wordFirst[0]!, at, sound, isText);
  if (onset < wordFirst[0]!) wordFirst[0] = onset;
  // And a sentence ends on its last sound, not in the pause after it; but not before its last word
  // has begun (words are not squeezed into one frame at its end).
  let lastWord = wordFirst[0]!;
  for (const column of wordFirst) lastWord = Math.max(lastWord, column);
  let e = end - 1;
  while (e > lastWord && sound(e) < QUIET_BELOW && at(end - 1) - at(e) <= SNAP_SENTENCE_FRAMES) e--;
  if (e > lastWord && sound(e) >= QUIET_BELOW) end = e + 1;
  from = wordFirst[0]! >= 0 ? wordFirst[0]! : from;
  // Back to frames of the recording. An end is the frame after the last one matched, so a pause
  // that follows is not part of it.
  const after = (column: number): number => at(column - 1) + 1;
  const words = Array.from(starts, (_, v) => {
    const a = wordFirst[v]! >= 0 ? wordFirst[v]! : end;
    const next = v + 1 < starts.length && wordFirst[v + 1]! >= 0 ? wordFirst[v + 1]! : end;
    // Not in the pause the path sat out before the next word, whichever word the path had there
    // (the path's own words were stale where the word was moved onto the sound: "that" ended 20 ms
    // after it began and 0.1 s before "should"; the 46 minutes' words of four letters or more
    // lasting under 35 ms 43 → 20, the fixtures' word ends as before: median 30, p90 200 ms).
    let tail = next;
    while (tail - 1 > a && path.moves[tail - 1] === Move.Pause) tail--;
    const wordStart = at(Math.min(a, end - 1));
    const wordEnd = Math.min(after(end), after(Math.max(a + 1, tail)));
    return { start: wordStart, end: Math.max(wordStart + 1, wordEnd) };
  });
  return {
    start: at(from),
    end: after(end),
    words,
    meanDistance: matched > 0 ? sum / matched : Number.POSITIVE_INFINITY,
    coverage: count > 0 ? covered / count : 0,
    columns: [from, to],
  };
}

/** Where the sound begins after `column`, if it is quiet there and the sound begins within `reach` frames and before `limit`; else `column`. */
function onsetAfter(
  column: number,
  limit: number,
  reach: number,
  at: (column: number) => number,
  sound: (column: number) => number,
): number {
  if (column < 0 || sound(column) >= QUIET_BELOW) return column;
  let c = column;
  while (c < limit && sound(c) < QUIET_BELOW && at(c) - at(column) <= reach) c++;
  return c >= limit || sound(c) < QUIET_BELOW || at(c) - at(column) > reach ? column : c;
}

/** Where the sound `column` is in began, if that is at most SNAP_BACK_FRAMES before it; else `column`. */
function soundOnset(
  column: number,
  at: (column: number) => number,
  sound: (column: number) => number,
  isText: (column: number) => boolean,
): number {
  if (sound(column) < QUIET_BELOW) return column;
  let c = column;
  while (c > 0 && sound(c - 1) >= QUIET_BELOW && !isText(c - 1) && at(column) - at(c - 1) <= SNAP_BACK_FRAMES)
    c--;
  return c > 0 && sound(c - 1) < QUIET_BELOW ? c : column;
}

/**
 * The column the sentence really starts at: past a steady sound cut off by a dip, on which the
 * path laid at most the first two words (`steadinessOf`: how fast the sound changes between two
 * columns; null when the first word may be held as long); else past a short sound (≤ 0.7 s) and
 * the pause (≥ 0.2 s) after it, when the path had laid at most half of the sentence and its first
 * two words on it by then, and matched it no better than nine tenths of how it matched the rest
 * of the sentence (twice over: "uh… um… So").
 */
function skipLeadingFiller(
  path: Path,
  span: { from: number; to: number; first: number; count: number; words: Int32Array },
  frames: Frames,
  offset: number,
  steadinessOf: ((from: number, to: number) => number) | null,
): number {
  const { from, to, first, count, words } = span;
  // The first state past the words a filler may have been taken for.
  const wordLimit = first + (FILLER_MAX_WORDS < words.length ? words[FILLER_MAX_WORDS]! : count);
  const quiet = (column: number): boolean => frames.foreground[offset + column]! < 0.3;
  const frameAt = (column: number): number => frames.frameOf[offset + column]!;
  const held = steadinessOf && heldSound(from, to, quiet, frameAt);
  if (
    held &&
    frameAt(held.last) - frameAt(held.from) + 1 >= STEADY_MIN_FRAMES &&
    path.states[held.last]! < wordLimit &&
    steadinessOf(held.from, held.last + 1) < STEADY_BELOW
  )
    return held.next;
  let mean = 0;
  for (let j = from; j < to; j++) mean += path.emissions[j]!;
  mean /= Math.max(1, to - from);
  let start = from;
  for (let attempt = 0; attempt < 2; attempt++) {
    // The sound (short quiet stretches inside it bridged), up to the first pause long enough.
    let j = start;
    while (j < to && quiet(j)) j++;
    const soundFrom = j;
    let island = 0;
    let cost = 0;
    let lastSound = j;
    for (; j < to && frameAt(j) - frameAt(soundFrom) <= FILLER_MAX_FRAMES; j++) {
      if (quiet(j)) {
        if (frameAt(j) - frameAt(lastSound) >= FILLER_PAUSE_FRAMES) break;
        continue;
      }
      if (frameAt(j) - frameAt(lastSound) > FILLER_PAUSE_FRAMES) break; // left-out silence in between
      island++;
      cost += path.emissions[j]!;
      lastSound = j;
    }
    if (island === 0 || j >= to) return start;
    let pauseEnd = lastSound + 1;
    while (pauseEnd < to && quiet(pauseEnd)) pauseEnd++;
    if (pauseEnd >= to) return start;
    const pause = frameAt(pauseEnd) - frameAt(lastSound);
    const progress = (path.states[lastSound]! - first) / Math.max(1, count);
    if (
      pause < FILLER_PAUSE_FRAMES ||
      progress > FILLER_MAX_PROGRESS ||
      path.states[lastSound]! >= wordLimit ||
      cost / island < mean * FILLER_BETTER
    )
      return start;
    start = pauseEnd;
  }
  return start;
}

/**
 * The sentence's first sound, from `from`: its first and last loud columns, if a dip of
 * STEADY_DIP_FRAMES ends it within FILLER_MAX_FRAMES, and the column where the sound begins again.
 */
function heldSound(
  from: number,
  to: number,
  quiet: (column: number) => boolean,
  frameAt: (column: number) => number,
): { from: number; last: number; next: number } | null {
  let j = from;
  while (j < to && quiet(j)) j++;
  const start = j;
  let last = j;
  for (; j < to && frameAt(j) - frameAt(start) <= FILLER_MAX_FRAMES; j++) {
    if (!quiet(j)) last = j;
    else if (frameAt(j) - frameAt(last) >= STEADY_DIP_FRAMES) {
      let next = j;
      while (next < to && quiet(next)) next++;
      return next < to ? { from: start, last, next } : null;
    }
  }
  return null;
}

/** How fast the sound changes over search frames [from, to): the mean distance between the middle blocks STEADY_SPAN frames either side. */
function steadiness(frames: BoundaryFrames, from: number, to: number): number {
  const { real, dims } = frames;
  let sum = 0;
  let n = 0;
  for (let f = from + STEADY_SPAN; f < to - STEADY_SPAN; f++) {
    const after = (f + STEADY_SPAN) * dims + MIDDLE_BLOCK_AT;
    const before = (f - STEADY_SPAN) * dims + MIDDLE_BLOCK_AT;
    let d = 0;
    // Not c0: a held vowel may swell or fade.
    for (let k = 1; k < CEPSTRA; k++) {
      const x = real[after + k]! - real[before + k]!;
      d += x * x;
    }
    sum += Math.sqrt(d);
    n++;
  }
  return n > 0 ? sum / n : Number.POSITIVE_INFINITY;
}

export function frameToSeconds(frame: number): number {
  return Math.round(frame * HOP_SECONDS * 1000) / 1000;
}
