import { runFfmpeg, runFfprobeJson } from "../../src/media/ffmpeg.ts";
import { median, percentile } from "./stats.ts";

/** What the bench compares for one recording, the aligner's or the baseline's. */
export interface Placement {
  /** Per sentence: its start and its words' starts, or null when it is reported unspoken. */
  sentences: ({ start: number; words: number[] } | null)[];
  /** Per sentence: "unsure" when reported so (the baseline never is). */
  unsure: boolean[];
}

export interface Reference {
  /** Per sentence: its start, null for a line never spoken; its words' starts (null: no reference). */
  sentences: { start: number | null; words: (number | null)[] }[];
}

/** The reference of sentences with reference starts, for a recording where they begin at `offset` seconds. */
export function referenceOf(
  sentences: { start: number | null; words: { start: number | null }[] }[],
  offset = 0,
): Reference {
  const at = (t: number | null): number | null => (t === null ? null : t + offset);
  return {
    sentences: sentences.map((s) => ({ start: at(s.start), words: s.words.map((w) => at(w.start)) })),
  };
}

export interface Scores {
  sentenceErrors: number[];
  wordErrors: number[];
  /** Lines never spoken, and how many were reported unspoken / unsure. */
  unspokenLines: number;
  unspokenFlagged: number;
  unspokenUnsure: number;
  /** Spoken sentences reported unspoken (counted as misses in the errors). */
  spokenMissed: number;
  spokenUnsure: number;
}

/** A sentence reported unspoken though spoken counts as off by a minute: a miss, not a hole. */
const MISSED = 60;

/**
 * |got − ref| to the millisecond: the aligner reports whole milliseconds and the fixtures'
 * references are in 10 ms steps, so what is finer is the subtraction's floating-point noise
 * (4.56 − 4.53 = 0.030000000000000249), which put an error of exactly 30 ms above a 30 ms target.
 */
function error(got: number, ref: number): number {
  return Math.round(Math.abs(got - ref) * 1000) / 1000;
}

/** Scores with nothing counted yet: the start of a sum. */
export function emptyScores(): Scores {
  return {
    sentenceErrors: [],
    wordErrors: [],
    unspokenLines: 0,
    unspokenFlagged: 0,
    unspokenUnsure: 0,
    spokenMissed: 0,
    spokenUnsure: 0,
  };
}

/** Several recordings' scores as one: their errors listed together, their counts summed. */
export function poolScores(list: Scores[]): Scores {
  return list.reduce<Scores>(
    (all, s) => ({
      sentenceErrors: [...all.sentenceErrors, ...s.sentenceErrors],
      wordErrors: [...all.wordErrors, ...s.wordErrors],
      unspokenLines: all.unspokenLines + s.unspokenLines,
      unspokenFlagged: all.unspokenFlagged + s.unspokenFlagged,
      unspokenUnsure: all.unspokenUnsure + s.unspokenUnsure,
      spokenMissed: all.spokenMissed + s.spokenMissed,
      spokenUnsure: all.spokenUnsure + s.spokenUnsure,
    }),
    emptyScores(),
  );
}

export function score(placement: Placement, reference: Reference): Scores {
  const s = emptyScores();
  reference.sentences.forEach((ref, i) => {
    const got = placement.sentences[i] ?? null;
    if (ref.start === null) {
      s.unspokenLines++;
      if (got === null) s.unspokenFlagged++;
      else if (placement.unsure[i]) s.unspokenUnsure++;
      return;
    }
    if (got === null) s.spokenMissed++;
    if (placement.unsure[i]) s.spokenUnsure++;
    s.sentenceErrors.push(got === null ? MISSED : error(got.start, ref.start));
    ref.words.forEach((w, k) => {
      if (w === null) return;
      const start = got?.words[k];
      s.wordErrors.push(start === undefined ? MISSED : error(start, w));
    });
  });
  return s;
}

export function summary(errors: number[]): {
  median: number;
  p90: number;
  within250: number;
  within500: number;
} {
  return {
    median: median(errors),
    p90: percentile(errors, 90),
    within250: errors.filter((e) => e <= 0.25).length / errors.length,
    within500: errors.filter((e) => e <= 0.5).length / errors.length,
  };
}

/**
 * The naive baseline: the stretches ffmpeg's silencedetect (−35 dB, 0.3 s) does not call silence
 * are taken as speech, and the sentences are spread over them in proportion to their length in
 * characters (words likewise within each sentence). No line is ever reported unspoken.
 */
export async function proportionalBaseline(file: string, sentences: { text: string }[]): Promise<Placement> {
  const probe = (await runFfprobeJson(["-show_entries", "format=duration", file])) as {
    format?: { duration?: string };
  };
  const duration = Number(probe.format?.duration ?? 0);
  // silencedetect logs at info level; runFfmpeg keeps ffmpeg to errors, so it is asked for here.
  const { stderr } = await runFfmpeg([
    "-v",
    "info",
    "-i",
    file,
    "-af",
    "silencedetect=noise=-35dB:d=0.3",
    "-f",
    "null",
    "-",
  ]);
  const silences: [number, number][] = [];
  let open: number | null = null;
  for (const m of stderr.matchAll(/silence_(start|end): ([\d.]+)/g)) {
    if (m[1] === "start") open = Number(m[2]);
    else if (open !== null) {
      silences.push([open, Number(m[2])]);
      open = null;
    }
  }
  if (open !== null) silences.push([open, Number.POSITIVE_INFINITY]);
  const speech: [number, number][] = [];
  let at = 0;
  for (const [a, b] of silences) {
    if (a > at) speech.push([at, a]);
    at = b;
  }
  if (Number.isFinite(at) && at < duration) speech.push([at, duration]);
  const total = speech.reduce((sum, [a, b]) => sum + (b - a), 0);
  // Speech time (seconds of speech from the start) to recording time.
  const toTime = (t: number): number => {
    let left = t;
    for (const [a, b] of speech) {
      if (left <= b - a) return a + left;
      left -= b - a;
    }
    return speech.at(-1)?.[1] ?? 0;
  };
  const lengths = sentences.map((s) => s.text.length + 1);
  const chars = lengths.reduce((a, b) => a + b, 0);
  let before = 0;
  return {
    sentences: sentences.map((s, i) => {
      const from = (before / chars) * total;
      const span = (lengths[i]! / chars) * total;
      before += lengths[i]!;
      const words = s.text.split(/\s+/).filter((w) => w !== "");
      const wordChars = words.reduce((sum, w) => sum + w.length + 1, 0);
      let inside = 0;
      return {
        start: toTime(from),
        words: words.map((w) => {
          const t = toTime(from + (inside / wordChars) * span);
          inside += w.length + 1;
          return t;
        }),
      };
    }),
    unsure: sentences.map(() => false),
  };
}
