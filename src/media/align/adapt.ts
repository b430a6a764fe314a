import type { SegmentResult } from "./coarse-to-fine.ts";
import { Kind } from "./levels.ts";

/**
 * The synthetic voice brought closer to the speaker, from a search's own answer. The text's
 * synthetic frames are sorted once into classes (k-means over the context features: a sound of the
 * voice with its neighbours); after each search, every class is moved by the mean difference
 * between the real frames the path matched to its frames and those frames. The next search then
 * compares the speaker with a voice that sounds more like them.
 *
 * Why it helps: espeak-ng's voice is far from any real speaker (a sentence's own audio fits it only
 * about 17 % better than an average frame does), so another stretch of speech can fit a sentence
 * about as well as its own audio, and on a long recording whole runs of sentences slide onto the
 * interpreter or the questions. Moved class by class towards the speaker, the voice fits the
 * speaker's own sentences better while speech that is not in the text gains less. Measured on the
 * fixtures (the three English clips, each with classes learnt from the other two): a sentence's
 * order margin (verify.ts) 0.059 → 0.114, the best-fitting stretch of the French clip 11.5 % →
 * 17 % costlier than the sentence's own audio (docs/ALIGNMENT.md, "Measured").
 *
 * A hundred-odd offsets learnt from tens of thousands of frames on a long recording: the text is
 * not learnt by heart there, and a class the path hardly used moves little (`prior`). Only the
 * frames the path gave the text are learnt from, not the gaps; where a few runs were misplaced,
 * they teach a little noise. Where most of the path is wrong (a short recording mostly of other
 * speech), or on a clip of seconds, the voice learns the wrong path: so whether the text is the
 * audio's at all is judged before adapting (align.ts), and docs/ALIGNMENT.md says what it did on
 * short compositions.
 */
export interface AdaptOptions {
  classes: number;
  /** In frames: a class matched n times moves by n / (n + prior) of its mean difference. */
  prior: number;
}

// K-means on a sample of the text's frames (an hour of text is 360 000), a few rounds: the classes
// only group similar sounds, they need not be optimal.
const SAMPLE = 20_000;
const ROUNDS = 8;

export class VoiceAdapter {
  private readonly classOf: Int32Array;
  private readonly alsoClassOf: Int32Array[];
  private readonly classes: number;
  /** Per class, how far it has been moved so far (classes × dims). */
  private readonly moved: Float64Array;

  /**
   * `text`: the synthetic frames (frames × dims), moved in place by `adapt`; `also`: more frames of
   * the same voice (its hesitations), moved alike by the classes they are nearest to, so that an
   * "uh" of the speaker still fits the voice's "uh" better than the text's first word.
   */
  constructor(
    private readonly text: Float32Array,
    private readonly dims: number,
    private readonly options: AdaptOptions,
    private readonly also: Float32Array[] = [],
  ) {
    const centres = kmeans(text, dims, options.classes);
    this.classes = centres.length / dims;
    const classesOf = (x: Float32Array): Int32Array =>
      Int32Array.from({ length: x.length / dims }, (_, f) =>
        nearest(centres, this.classes, x, f * dims, dims),
      );
    this.classOf = classesOf(text);
    this.alsoClassOf = also.map(classesOf);
    this.moved = new Float64Array(this.classes * dims);
  }

  /** Moves the voice towards the real frames `results` matched to it; returns the frames learnt from. */
  adapt(real: Float32Array, results: SegmentResult[]): number {
    const { dims, text, classOf } = this;
    const sum = new Float64Array(this.classes * dims);
    const count = new Float64Array(this.classes);
    let learnt = 0;
    for (const { segment, path, layout } of results) {
      // Only a 10 ms path reads one synthetic frame per state.
      if (layout.factor !== 1) continue;
      // The layout's rows count from the segment's first sentence (coarse-to-fine.ts synthAt).
      const firstRow = segment.sentences[0]?.start ?? 0;
      for (let j = 0; j < path.states.length; j++) {
        const state = path.states[j]!;
        if (layout.kind[state] !== Kind.Text) continue;
        const row = firstRow + layout.row[state]!;
        const c = classOf[row]!;
        const r = (segment.realStart + j) * dims;
        for (let d = 0; d < dims; d++)
          sum[c * dims + d] = sum[c * dims + d]! + real[r + d]! - text[row * dims + d]!;
        count[c] = count[c]! + 1;
        learnt++;
      }
    }
    // Each class's move this time, kept in `moved` as well.
    const step = sum;
    for (let c = 0; c < this.classes; c++) {
      const weight = 1 / (count[c]! + this.options.prior);
      for (let d = 0; d < dims; d++) {
        step[c * dims + d] = step[c * dims + d]! * weight;
        this.moved[c * dims + d] = this.moved[c * dims + d]! + step[c * dims + d]!;
      }
    }
    const move = (x: Float32Array, classes: Int32Array): void => {
      for (let f = 0; f < classes.length; f++) {
        const c = classes[f]!;
        for (let d = 0; d < dims; d++) x[f * dims + d] = x[f * dims + d]! + step[c * dims + d]!;
      }
    };
    move(text, classOf);
    for (const [k, x] of this.also.entries()) move(x, this.alsoClassOf[k]!);
    return learnt;
  }

  /**
   * `width` values from `at` of every text frame, moved by `share` of what its class has been
   * moved so far: 1 is the voice as adapted, 0 as espeak-ng spoke it (refine.ts takes a part).
   */
  partlyMoved(share: number, at: number, width: number): Float32Array {
    const { dims, text, classOf, moved } = this;
    const out = new Float32Array(classOf.length * width);
    const back = 1 - share;
    for (let f = 0; f < classOf.length; f++) {
      const c = classOf[f]!;
      for (let k = 0; k < width; k++) {
        out[f * width + k] = text[f * dims + at + k]! - back * moved[c * dims + at + k]!;
      }
    }
    return out;
  }
}

function kmeans(x: Float32Array, dims: number, wanted: number): Float32Array {
  const n = x.length / dims;
  const picks = Math.min(n, SAMPLE);
  const rows = Int32Array.from({ length: picks }, (_, p) => Math.floor(((p + 0.5) / picks) * n));
  const k = Math.max(1, Math.min(wanted, picks));
  const centres = new Float32Array(k * dims);
  for (let c = 0; c < k; c++) {
    const row = rows[Math.floor(((c + 0.5) / k) * picks)] ?? 0;
    centres.set(x.subarray(row * dims, row * dims + dims), c * dims);
  }
  const sum = new Float64Array(k * dims);
  const count = new Float64Array(k);
  for (let round = 0; round < ROUNDS; round++) {
    sum.fill(0);
    count.fill(0);
    for (const row of rows) {
      const c = nearest(centres, k, x, row * dims, dims);
      count[c] = count[c]! + 1;
      for (let d = 0; d < dims; d++) sum[c * dims + d] = sum[c * dims + d]! + x[row * dims + d]!;
    }
    for (let c = 0; c < k; c++) {
      if (count[c]! === 0) continue;
      for (let d = 0; d < dims; d++) centres[c * dims + d] = sum[c * dims + d]! / count[c]!;
    }
  }
  return centres;
}

function nearest(centres: Float32Array, k: number, x: Float32Array, at: number, dims: number): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let d = 0; d < dims; d++) {
      const t = x[at + d]! - centres[c * dims + d]!;
      s += t * t;
    }
    if (s < bestDistance) {
      bestDistance = s;
      best = c;
    }
  }
  return best;
}
