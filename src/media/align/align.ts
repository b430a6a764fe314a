import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { VoiceAdapter } from "./adapt.ts";
import { type SegmentResult, searchAll } from "./coarse-to-fine.ts";
import { decodeFeatures } from "./decode.ts";
import { type DrawnOutFrames, drawnOutRows, drawnOutVariants, mayBeHeld } from "./drawn-out.ts";
import { InvalidAlignInput, SilentAudio, TextTooLong } from "./errors.ts";
import { MIDDLE_BLOCK_AT, mirrorFrame } from "./features.ts";
import { freeGarbage } from "./free-garbage.ts";
import type { Segment } from "./levels.ts";
import { CEPSTRA, HOP_SECONDS } from "./mfcc.ts";
import { decimate } from "./normalize.ts";
import { fillerWords, otherSpeech } from "./other-speech.ts";
import { checkMatch, describeSentence, keepAnchors } from "./outcome.ts";
import { normalizeReal, type Prepared, prepareDrawnOut, prepareFeatures } from "./prepare.ts";
import { middleBlocks } from "./refine.ts";
import { anchorCuts, segmentsAt } from "./segments.ts";
import { speakerGroups } from "./speakers.ts";
import { detectSpeech } from "./speech-regions.ts";
import { type SyntheticText, type SynthOptions, synthesize } from "./synth.ts";
import { type Boundaries, readTimings, type SentenceFrames, type TextWords } from "./timings.ts";
import { type AlignTuning, DEFAULT_TUNING } from "./tuning.ts";
import type { AlignInput, AlignResult } from "./types.ts";
import { orderMargin } from "./verify.ts";
import { type Listened, scaleVoices } from "./voice-scales.ts";
import { chooseWarp, sampleSentences, VoiceSample } from "./warp.ts";
import { isAnnotation, sentenceWords, skipWeight, type TextWord } from "./words.ts";

// 200 000 characters is about 4 hours of speech (≈ 900 characters a minute): more is a mistake
// (a 2 MB paste), refused before anything runs. Memory grows with both sides, ≈ 1.3 MB per minute
// of audio and as much per minute of synthetic speech (docs/ALIGNMENT.md, limits).
export const MAX_TEXT_CHARS = 200_000;
// Share of the real time spent decoding and synthesising, for progress (the rest is the search).
const DECODE_SHARE = 0.45;

/**
 * Times a transcript against its audio: sentence and word starts and ends, a confidence and a
 * status per sentence. How: docs/ALIGNMENT.md. Throws NoAudio, SilentAudio, TextNotMatching,
 * TextTooLong, InvalidAlignInput (errors.ts) for what the editor can fix; the signal's reason when
 * aborted. Leaves no child process and no temporary file behind, whatever happens.
 */
export async function alignTranscript(input: AlignInput): Promise<AlignResult> {
  const tuning = { ...DEFAULT_TUNING, ...input.tuning };
  // A sentence in the other language carries it on its words: every synthesis of it, whole or a
  // sample, speaks it in that language's voice.
  const words = input.sentences.map((s) =>
    sentenceWords(s.text, s.lang && s.lang !== input.lang ? s.lang : undefined),
  );
  // Annotations ("(As delivered)") are not searched for: with nothing to speak they come out unspoken.
  const spoken = input.sentences.map((s, i) => (isAnnotation(s.text) ? [] : (words[i] ?? [])));
  // Per sentence, whether its first word may be held as long as a hesitation (timings.ts).
  const heldFirst = Uint8Array.from(spoken, (w) => (w[0] && mayBeHeld(w[0], input.lang) ? 1 : 0));
  checkInput(input, spoken);
  // One controller for every child: if one fails the others are killed, not left to run.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(input.signal?.reason);
  input.signal?.addEventListener("abort", onAbort, { once: true });
  if (input.signal?.aborted) controller.abort(input.signal.reason);
  const signal = controller.signal;
  const progress = progressReporter(input.onProgress);
  const workDir = await mkdtemp(path.join(input.tempDir ?? os.tmpdir(), "align-"));
  try {
    const groups = speakerGroups(input.sentences, spoken);
    const { prepared, drawnOut, text, durationSeconds, warp, listened, speak } = await listen(
      input,
      spoken,
      tuning,
      signal,
      workDir,
      (f) => progress(DECODE_SHARE * f),
    );
    const { frameOf } = prepared;
    // Checked once the length is known: an anchor past the end would leave every later sentence unspoken.
    const late = (input.anchors ?? []).find((a) => a.startSeconds >= durationSeconds);
    if (late) {
      throw new InvalidAlignInput("an anchor is after the end of the audio", {
        sentence: late.sentence,
        seconds: Math.round(durationSeconds),
      });
    }
    const anchors = (input.anchors ?? []).map((a) => ({
      sentence: a.sentence,
      startFrame: Math.round(a.startSeconds / HOP_SECONDS),
    }));
    const skipWeights = input.sentences.map((s) => skipWeight(s.text));
    const spans = { ...text, skipWeights };
    const segments = segmentsAt(anchorCuts(anchors, frameOf), spans, frameOf.length);
    const dims = prepared.real.dims;
    // Word boundaries sought against `voice` (middle blocks), within `band` states of the path.
    const wordsWith = (voice: Float32Array, band: number): Boundaries => ({
      frames: { real: prepared.real.features, dims, text: voice },
      costs: {
        band,
        advance2: tuning.advance2,
        advance3: tuning.advance3,
        temperature: tuning.wordTemperature,
      },
    });
    const sentence = (i: number, mirror: boolean): Float32Array => {
      const span = [{ start: text.sentenceStart[i]!, frames: text.sentenceFrames[i]! }];
      return decimate(prepared.synth.text, dims, span, 1, undefined, mirror ? mirrorFrame : undefined);
    };
    // Where each sentence fell, and its order margin (verify.ts) with the voice as it is now.
    const read = (results: SegmentResult[], boundaries: Boundaries) => {
      const found = collect(results, { starts: text.wordStarts, heldFirst }, prepared, boundaries);
      const margins = found.map((timing, i) =>
        timing
          ? orderMargin(
              prepared.real.features,
              timing.columns[0],
              timing.columns[1],
              sentence(i, false),
              sentence(i, true),
              dims,
            )
          : 0,
      );
      return { found, margins };
    };
    // Whether the text is the audio's at all is judged on the first search, with the voice as
    // espeak-ng speaks it: adapted to the audio along any path, any text comes to fit it better
    // in order (the test's unrelated English and French texts then passed as the speech's). No
    // word boundaries are sought there (band 0): where its sentences lie is all it tells.
    let speakerWarps: Record<string, number> = {};
    let otherVoices: AlignResult["otherVoices"] = [];
    const { results, adapter } = await searchRounds(
      segments,
      prepared,
      tuning,
      signal,
      (f) => progress(DECODE_SHARE + (1 - DECODE_SHARE) * f),
      (firstResults) =>
        checkMatch(
          read(firstResults, wordsWith(new Float32Array(0), 0)).margins,
          text.sentenceFrames,
          tuning,
        ),
      async (firstResults) => {
        if (!listened) return false;
        const found = collect(
          firstResults,
          { starts: text.wordStarts, heldFirst },
          prepared,
          wordsWith(new Float32Array(0), 0),
        );
        const scales = await scaleVoices(
          {
            listened,
            groups,
            prepared,
            layout: text,
            warp,
            spoken,
            speak: (sentences, w, name) => synthesize(sentences, input.lang, speak(w, name)),
            c0Weight: tuning.c0Weight,
          },
          found,
        );
        ({ speakerWarps, otherVoices } = scales);
        return scales.changed;
      },
    );
    // The searches' last level is let go before the words are read (each level collects first).
    freeGarbage();
    // Word boundaries with part of the adaptation: the adapted voice fits the speaker better, but
    // where the search placed words wrongly it also learnt them there (docs/ALIGNMENT.md).
    const voice = adapter
      ? adapter.partlyMoved(tuning.wordVoiceShare, MIDDLE_BLOCK_AT, CEPSTRA)
      : middleBlocks(prepared.synth.text, dims);
    const boundaries = wordsWith(voice, tuning.wordBand);
    if (drawnOut) boundaries.frames.drawnOut = drawnOut;
    const { found, margins } = read(results, boundaries);
    const sentences = found.map((timing, i) => {
      const heading = { is: (skipWeights[i] ?? 1) < 1, frames: text.sentenceFrames[i] ?? 0 };
      return describeSentence(timing, margins[i] ?? 0, words[i] ?? [], heading, tuning, input.lang);
    });
    keepAnchors(sentences, input.anchors ?? []);
    progress(1);
    return { sentences, durationSeconds, voiceWarp: warp, speakerWarps, otherVoices };
  } finally {
    // Whatever still runs (a synthesiser when decoding failed) is killed before its folder goes.
    controller.abort(new Error("alignment finished"));
    input.signal?.removeEventListener("abort", onAbort);
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The languages the text's sentences are in. */
function languagesOf(input: AlignInput): ("en" | "fr")[] {
  return input.sentences.map((s) => s.lang ?? input.lang);
}

/**
 * Decodes, checks the audio, chooses the voice's frequency scale for the speaker, synthesises, and
 * keeps only what the search needs: the decoded cepstra and the voice's raw frames are let go as
 * soon as the features are built.
 */
async function listen(
  input: AlignInput,
  spoken: TextWord[][],
  tuning: AlignTuning,
  signal: AbortSignal,
  workDir: string,
  progress: (fraction: number) => void,
): Promise<{
  prepared: Prepared;
  drawnOut: DrawnOutFrames | null;
  text: Pick<SyntheticText, "frames" | "sentenceStart" | "sentenceFrames" | "wordStarts">;
  durationSeconds: number;
  warp: number;
  listened: Listened | null;
  speak: (warp: number, name?: string) => SynthOptions;
}> {
  const passage = otherSpeech(input.lang);
  const speak = (warp: number, name?: string): SynthOptions => ({
    espeakPath: input.espeakPath,
    signal,
    priority: input.priority,
    workDir,
    rate: tuning.rate,
    warp,
    name,
  });
  // The voice as espeak-ng speaks it is spoken while the audio is decoded, as most speakers keep
  // it (warp.ts); for another scale it is spoken again once that is chosen.
  const plainWarp = tuning.voiceWarp === 0 ? 1 : tuning.voiceWarp;
  // Once the speech in the audio is measured, a text that already takes far longer to say stops
  // being spoken: the refusal below, without speaking the rest (hours of it, for a wrong file).
  let tooLong: (frames: number) => TextTooLong | null = () => null;
  const check = (frames: number): TextTooLong | null => tooLong(frames);
  const plain = synthesize(spoken, input.lang, { ...speak(plainWarp), check });
  // Awaited below, or dropped (another scale chosen, or decoding failed): never an unhandled rejection.
  plain.catch(() => undefined);
  const real = await decodeFeatures({ ...input, signal, onProgress: progress });
  const activity = detectSpeech(real.cepstra, real.levels);
  if (activity.share < 0.002) {
    throw new SilentAudio("the audio track holds no sound loud enough to be speech", {
      peakDb: Math.round(activity.peakDb),
    });
  }
  const soundFrames = Math.round(activity.share * real.frames);
  tooLong = (frames) => textTooLong(frames, soundFrames);
  const speech = (f: number): boolean => activity.speechiness[f]! > 0.5;
  normalizeReal(real, speech, tuning);
  // The voice's frequency scale is chosen on the recording: a sample of the text spoken at a few
  // scales, against a sample of the speech (warp.ts).
  const sample = new VoiceSample((w) =>
    synthesize(sampleSentences(spoken), input.lang, speak(w, `warp-${w}`)),
  );
  const warp =
    tuning.voiceWarp > 0
      ? tuning.voiceWarp
      : (await chooseWarp(real.cepstra, speech, sample, tuning.c0Weight)).warp;
  const drawn = drawnOutVariants(input.lang);
  const [text, other, filler, variants] = await Promise.all([
    warp === plainWarp ? plain : synthesize(spoken, input.lang, { ...speak(warp, "text-scaled"), check }),
    synthesize(passage.sentences, passage.lang, speak(warp, "other")),
    synthesize(fillerWords(input.lang, languagesOf(input)), input.lang, speak(warp, "filler")),
    drawn.spoken.length > 0 ? synthesize(drawn.spoken, input.lang, speak(warp, "drawn-out")) : null,
  ]);
  const refused = textTooLong(text.frames, soundFrames);
  if (refused) throw refused;
  const { frames, sentenceStart, sentenceFrames, wordStarts } = text;
  const prepared = prepareFeatures(real, text, other, filler, activity, tuning);
  return {
    prepared,
    drawnOut: variants
      ? prepareDrawnOut(variants, drawnOutRows(spoken, text, drawn, input.lang), prepared.voiceStats, tuning)
      : null,
    text: { frames, sentenceStart, sentenceFrames, wordStarts },
    durationSeconds: real.durationSeconds,
    warp,
    // Kept when the scale is chosen: after the first search, speakers (speakers.ts) or stretches
    // of the recording (stretches.ts) may get their own. A scale given in the tuning is kept for all.
    listened: tuning.voiceWarp === 0 ? { cepstra: real.cepstra, speech, sample } : null,
    speak,
  };
}

/**
 * The refusal of a text of `textFrames` (or more: it may still be being spoken) that would take
 * far longer to say than the `soundFrames` of speech in the audio: another speech's text, most
 * likely. Three times, with 10 s to spare, leaves room for lines never spoken and slow speakers.
 */
function textTooLong(textFrames: number, soundFrames: number): TextTooLong | null {
  if (textFrames <= 3 * soundFrames + 1000) return null;
  return new TextTooLong("the text would take far longer to say than the speech in the audio", {
    textSeconds: Math.round(textFrames * HOP_SECONDS),
    speechSeconds: Math.round(soundFrames * HOP_SECONDS),
  });
}

/**
 * The search, then `adaptRounds` more: after each, the voice is moved towards the speaker from
 * what the path matched (adapt.ts), and the next search looks again within `guideSeconds` of the
 * path. The first search, only a guide when others follow, is made cheaper (coarser); the guided
 * ones are cheap at a finer resolution (coarse-to-fine.ts guidedFactors). The voice's frames are
 * moved in place: the checks and word boundaries after the search compare the adapted voice.
 */
async function searchRounds(
  segments: Segment[],
  prepared: Prepared,
  tuning: AlignTuning,
  signal: AbortSignal,
  progress: (fraction: number) => void,
  checkFirst: (results: SegmentResult[]) => void,
  /** Resolves true when it changed the voice (a speaker's or another voice's own scale, voice-scales.ts). */
  beforeAdapting: (results: SegmentResult[]) => Promise<boolean>,
): Promise<{ results: SegmentResult[]; adapter: VoiceAdapter | null }> {
  const rounds = Math.max(0, tuning.adaptRounds);
  const searches = rounds + 1;
  const first =
    rounds > 0 ? { ...tuning, fullCells: 0, coarseCellsPerFrame: tuning.firstCellsPerFrame } : tuning;
  const share = (k: number) => (f: number) => progress((k + f) / searches);
  let results = await searchAll(segments, prepared.real, prepared.synth, first, signal, share(0));
  checkFirst(results);
  if (rounds === 0) return { results, adapter: null };
  // A speaker given their own scale is searched for again before the voice learns from the path:
  // placed with the recording's scale, their words were learnt where that path had put them (the
  // journalist 20 % higher between two clips of a minister: words median 63 → 27 ms, as alone;
  // docs/ALIGNMENT.md, "Measured", tenth session). Its progress is the first search's again.
  if (await beforeAdapting(results)) {
    results = await searchAll(segments, prepared.real, prepared.synth, first, signal, share(0));
  }
  const adapter = new VoiceAdapter(
    prepared.synth.text,
    prepared.real.dims,
    { classes: tuning.adaptClasses, prior: tuning.adaptPrior },
    [prepared.synth.filler],
  );
  for (let k = 1; k <= rounds; k++) {
    adapter.adapt(prepared.real.features, results);
    results = await searchAll(segments, prepared.real, prepared.synth, tuning, signal, share(k), results);
  }
  return { results, adapter };
}

function collect(
  results: SegmentResult[],
  words: TextWords,
  prepared: Prepared,
  boundaries: Boundaries,
): (SentenceFrames | null)[] {
  const found: (SentenceFrames | null)[] = new Array(words.heldFirst.length).fill(null);
  const frames = { frameOf: prepared.frameOf, foreground: prepared.foreground };
  for (const { segment, path: best, layout } of results) {
    readTimings(segment, layout, best, words, frames, boundaries).forEach((timing, k) => {
      const index = segment.sentences[k]?.index;
      if (index !== undefined) found[index] = timing;
    });
  }
  return found;
}

function checkInput(input: AlignInput, spoken: unknown[][]): void {
  if (spoken.every((w) => w.length === 0)) throw new InvalidAlignInput("the text has no sentence to speak");
  const chars = input.sentences.reduce((sum, s) => sum + s.text.length, 0);
  if (chars > MAX_TEXT_CHARS) {
    throw new TextTooLong(`the text has ${chars} characters, more than ${MAX_TEXT_CHARS}`, { chars });
  }
  let previous = Number.NEGATIVE_INFINITY;
  let previousSentence = -1;
  for (const anchor of [...(input.anchors ?? [])].sort((a, b) => a.sentence - b.sentence)) {
    if (
      !Number.isInteger(anchor.sentence) ||
      anchor.sentence < 0 ||
      anchor.sentence >= input.sentences.length ||
      anchor.sentence === previousSentence
    ) {
      throw new InvalidAlignInput(`anchor on sentence ${anchor.sentence}: none such, or anchored twice`, {
        sentence: anchor.sentence,
      });
    }
    if (!Number.isFinite(anchor.startSeconds) || anchor.startSeconds < 0 || anchor.startSeconds <= previous) {
      throw new InvalidAlignInput("anchors must be at times that grow with their sentences", {
        sentence: anchor.sentence,
      });
    }
    previous = anchor.startSeconds;
    previousSentence = anchor.sentence;
  }
}

function progressReporter(onProgress: ((fraction: number) => void) | undefined): (fraction: number) => void {
  let last = -1;
  return (fraction) => {
    if (!onProgress || fraction - last < 0.01) return;
    last = fraction;
    onProgress(fraction);
  };
}
