/**
 * What each real frame is compared with besides the text: codebooks of 64 synthetic frames of the
 * text (its phones, in no order) and 64 of a passage in the other language (other-speech.ts).
 *
 * - `scale`: 1 / the frame's mean distance to the text's codebook. Emissions are multiplied by
 *   it, so a distance says "closer than usual" rather than a raw number whose scale changes with
 *   the speaker, the room and the language. Background frames (pauses, noise) are scaled as the
 *   recording's typical speech frame is: their own distance to every phone is what makes them
 *   poor matches for a word, and must not be normalised away.
 * - `best`: the frame's smallest scaled distance to any frame of either codebook, in any order:
 *   what it would cost if it could be matched to whatever phone suits it. Speech of the text,
 *   followed in order, costs little more than that; other speech (an interpreter's French sits
 *   closer to French phones than to the English text's), music or noise much more. So a gap is
 *   priced at `best` plus a margin: the garbage model of keyword spotting, a free phone loop.
 */
import { distance, distances4 } from "./emissions.ts";

const CODEBOOK = 64;
/** `distances`' four at a time, reused from call to call. */
const four = new Float64Array(4);

export interface Background {
  scale: Float32Array;
  best: Float32Array;
  /** Per frame, its unscaled distance to the nearest frame of the other language's codebook. */
  otherNearest: Float32Array;
}

/**
 * `otherNearest`, when given, is a previous call's for the same frames and passage: the other
 * language's codebook does not change between the searches of one alignment, only the text's
 * (the voice is adapted: adapt.ts), so it is not computed again.
 */
export function background(
  real: Float32Array,
  frames: number,
  text: Float32Array,
  other: Float32Array,
  dims: number,
  speechiness: Float32Array,
  known?: Float32Array,
): Background {
  const textBook = sample(text, dims, Math.min(CODEBOOK, text.length / dims));
  const otherBook = known ? null : sample(other, dims, Math.min(CODEBOOK, other.length / dims));
  const mean = new Float32Array(frames);
  const best = new Float32Array(frames);
  const otherNearest = known ?? new Float32Array(frames);
  for (let j = 0; j < frames; j++) {
    const own = distances(real, j, textBook, dims);
    mean[j] = own.total / Math.max(1, textBook.length / dims);
    if (otherBook) otherNearest[j] = distances(real, j, otherBook, dims).nearest;
    best[j] = Math.min(own.nearest, otherNearest[j]!);
  }
  const speechMeans: number[] = [];
  for (let j = 0; j < frames; j++) if (speechiness[j]! > 0.5) speechMeans.push(mean[j]!);
  speechMeans.sort((a, b) => a - b);
  const typical = speechMeans[Math.floor(speechMeans.length / 2)] ?? 1;
  const scale = new Float32Array(frames);
  for (let j = 0; j < frames; j++) {
    const p = speechiness[j]!;
    const m = p * mean[j]! + (1 - p) * typical;
    scale[j] = m > 0 ? 1 / m : 1;
    best[j] = best[j]! * scale[j]!;
  }
  return { scale, best, otherNearest };
}

/** The smallest RMS difference per value between real frame `j` and any frame of `book`. */
export function nearestFrame(real: Float32Array, j: number, book: Float32Array, dims: number): number {
  return distances(real, j, book, dims).nearest;
}

function distances(
  real: Float32Array,
  j: number,
  book: Float32Array,
  dims: number,
): { total: number; nearest: number } {
  const base = j * dims;
  const entries = book.length / dims;
  let total = 0;
  let nearest = Number.POSITIVE_INFINITY;
  let e = 0;
  // Four entries at a time (emissions.ts distances4): the same distances, in about half the time.
  for (; e + 4 <= entries; e += 4) {
    const a = e * dims;
    distances4(four, real, base, book, a, a + dims, a + 2 * dims, a + 3 * dims, dims);
    for (let q = 0; q < 4; q++) {
      const x = four[q]!;
      total += x;
      if (x < nearest) nearest = x;
    }
  }
  for (; e < entries; e++) {
    const x = distance(real, base, book, e * dims, dims, 1);
    total += x;
    if (x < nearest) nearest = x;
  }
  return { total, nearest };
}

/** `count` frames spread evenly over `features`. */
function sample(features: Float32Array, dims: number, count: number): Float32Array {
  const frames = features.length / dims;
  const out = new Float32Array(count * dims);
  for (let p = 0; p < count; p++) {
    const row = Math.floor(((p + 0.5) / count) * frames);
    out.set(features.subarray(row * dims, row * dims + dims), p * dims);
  }
  return out;
}
