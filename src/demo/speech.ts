import { FfmpegUnavailable, runTool } from "../media/ffmpeg.ts";
import type { SpokenLang, Turn } from "./content/types.ts";
import { type Pcm, readWav, trimSilence } from "./wav.ts";

/** One sentence as spoken in the generated track: these times are the transcript's. */
export type TimedSentence = {
  start: number;
  end: number;
  speaker: string;
  /** The journalist's outlet when the sentence is part of a question, else "". */
  outlet: string;
  isQuestion: boolean;
  lang: SpokenLang;
  text: string;
};

export type SpeechTrack = { pcm: Pcm; sentences: TimedSentence[]; durationSeconds: number };

// Pauses longer than espeak-ng's own (commas stay under 0.3 s), so sentence boundaries are
// audible as silence and a test can find them again in the encoded file.
export const speechLayout = { leadIn: 1, betweenSentences: 0.7, betweenTurns: 1.2, tail: 1.5 } as const;

/** Keeps the first n sentences of each turn: a short but complete-looking Q&A for tests. */
export function shortenTurns(turns: Turn[], sentencesPerTurn: number | undefined): Turn[] {
  if (sentencesPerTurn === undefined) return turns;
  return turns.map((turn) => ({ ...turn, sentences: turn.sentences.slice(0, sentencesPerTurn) }));
}

/**
 * Says every sentence with espeak-ng, cuts each to its audible part and lays them end to end
 * with fixed pauses, padded to a whole number of frames so picture and sound end together.
 */
export async function synthesiseTurns(
  turns: Turn[],
  options: { frameRate: number; espeak?: string },
): Promise<SpeechTrack> {
  const parts: { samples: Int16Array; gapBefore: number; sentence: Omit<TimedSentence, "start" | "end"> }[] =
    [];
  let sampleRate = 0;
  for (const [turnIndex, turn] of turns.entries()) {
    const voice = turn.kind === "speech" ? turn.speaker.voice : turn.journalist.voice;
    for (const [index, text] of turn.sentences.entries()) {
      const pcm = await speak(text, turn.lang, voice, options.espeak);
      if (sampleRate !== 0 && pcm.sampleRate !== sampleRate)
        throw new Error("espeak-ng changed its sample rate");
      sampleRate = pcm.sampleRate;
      const gapBefore =
        index > 0
          ? speechLayout.betweenSentences
          : turnIndex > 0
            ? speechLayout.betweenTurns
            : speechLayout.leadIn;
      parts.push({
        samples: trimSilence(pcm.samples),
        gapBefore,
        sentence: {
          speaker: turn.kind === "speech" ? turn.speaker.name : turn.journalist.name,
          outlet: turn.kind === "question" ? turn.journalist.outlet : "",
          isQuestion: turn.kind === "question",
          lang: turn.lang,
          text,
        },
      });
    }
  }
  if (parts.length === 0) throw new Error("nothing to say");
  return layOut(parts, sampleRate, options.frameRate);
}

function layOut(
  parts: { samples: Int16Array; gapBefore: number; sentence: Omit<TimedSentence, "start" | "end"> }[],
  sampleRate: number,
  frameRate: number,
): SpeechTrack {
  const sentences: TimedSentence[] = [];
  const placed: { at: number; samples: Int16Array }[] = [];
  let cursor = 0;
  for (const part of parts) {
    cursor += Math.round(part.gapBefore * sampleRate);
    placed.push({ at: cursor, samples: part.samples });
    const start = cursor / sampleRate;
    cursor += part.samples.length;
    sentences.push({ ...part.sentence, start: round(start), end: round(cursor / sampleRate) });
  }
  const frames = Math.ceil((cursor / sampleRate + speechLayout.tail) * frameRate);
  const durationSeconds = frames / frameRate;
  const samples = new Int16Array(Math.round(durationSeconds * sampleRate));
  for (const { at, samples: part } of placed) samples.set(part, at);
  return { pcm: { sampleRate, samples }, sentences, durationSeconds };
}

// Milliseconds: finer than a frame, and what WebVTT can express.
function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

async function speak(
  text: string,
  lang: SpokenLang,
  voice: { variant: string; pitch: number; wordsPerMinute: number },
  espeak = "espeak-ng",
): Promise<Pcm> {
  const args = [
    "-v",
    `${lang}+${voice.variant}`,
    "-p",
    String(voice.pitch),
    "-s",
    String(voice.wordsPerMinute),
  ];
  // "--" so a sentence can never be read as an option.
  const run = runTool(espeak, [...args, "--stdout", "--", text]).catch((error: unknown) => {
    // runTool words a missing binary for ffmpeg; the operator needs to hear about espeak-ng.
    if (error instanceof FfmpegUnavailable)
      throw new Error(`${espeak} not found: install espeak-ng to generate the demo`);
    throw error;
  });
  return readWav((await run).stdout);
}
