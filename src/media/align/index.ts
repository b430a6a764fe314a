/** Timing a transcript against its audio, offline: see docs/ALIGNMENT.md. */
export { alignTranscript, MAX_TEXT_CHARS as MAX_ALIGN_TEXT_CHARS } from "./align.ts";
export {
  ALIGN_ERROR_CODES,
  type AlignErrorCode,
  InvalidAlignInput,
  NoAudio,
  SilentAudio,
  TextNotMatching,
  TextTooLong,
} from "./errors.ts";
export { ALIGN_NODE_FLAGS, alignChildEnv, alignInChild } from "./in-child.ts";
export { type AlignTuning, DEFAULT_TUNING } from "./tuning.ts";
export type { AlignedSentence, AlignedWord, AlignInput, AlignResult } from "./types.ts";
export { isAnnotation, sentenceWords } from "./words.ts";
