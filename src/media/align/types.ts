import type { FfmpegTools } from "../ffmpeg.ts";
import type { Priority } from "../launch.ts";
import type { AlignTuning } from "./tuning.ts";

export interface AlignInput {
  /** Any file ffmpeg reads: a video with an audio track, WAV, M4A… */
  audioPath: string;
  /** Which audio track, counted among audio tracks; 0 (the first) by default. */
  audioStream?: number;
  /** The text's language: the voice espeak-ng speaks it with. */
  lang: "en" | "fr";
  /**
   * In text order, as the plain-text transcript gives them. `lang`: a sentence in the other
   * language (a bilingual speech) is spoken in that language's voice; the text's by default.
   */
  sentences: { text: string; speaker?: string | null; lang?: "en" | "fr" }[];
  /** Starts an editor fixed (seconds from the start of the file): the rest is aligned around them. */
  anchors?: { sentence: number; startSeconds: number }[];
  /** Aborting kills ffmpeg and espeak-ng and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** 0…1, at most once per percent. */
  onProgress?: (fraction: number) => void;
  tools?: FfmpegTools;
  /** "background" in a job, so a clip someone waits for keeps the CPU (media/launch.ts); "normal" by default. */
  priority?: Priority;
  /** espeak-ng's path; "espeak-ng" from PATH by default. */
  espeakPath?: string;
  /** Where a temporary folder (a few kB of SSML) is made and removed; the system's by default. */
  tempDir?: string;
  /** Overrides of the method's parameters, for the bench and experiments. */
  tuning?: Partial<AlignTuning>;
}

export interface AlignedWord {
  /** As in the text, punctuation attached ("profond."). */
  text: string;
  start: number;
  end: number;
}

export interface AlignedSentence {
  /** Seconds from the start of the file; null when the sentence was not found (unspoken). */
  start: number | null;
  end: number | null;
  /** Empty for an unspoken sentence. */
  words: AlignedWord[];
  /** 0…1: how much better the audio there fits the sentence than the same sounds in another order. */
  confidence: number;
  /** "unsure": placed, but the audio there fits it hardly better than it would fit other speech. */
  status: "aligned" | "unsure" | "unspoken";
}

export interface AlignResult {
  sentences: AlignedSentence[];
  durationSeconds: number;
  /** The voice's frequency scale chosen for the speaker (warp.ts): 1 as espeak-ng speaks, 1.2 a voice 20 % higher. */
  voiceWarp: number;
  /** Per speaker of a text with several, the scale chosen for their sentences (speakers.ts); empty otherwise. */
  speakerWarps: Record<string, number>;
  /**
   * Sentences of no speaker with a scale of their own (a text without speaker lines, or speakers
   * with a few seconds each) said in a voice clearly higher or lower than the recording's, with
   * the scale they got (stretches.ts); empty when there are none.
   */
  otherVoices: { warp: number; sentences: number[] }[];
}
