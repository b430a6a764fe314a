import { MediaError } from "../errors.ts";

/**
 * What an editor can cause, and fix, when asking for a transcript to be timed. Like the other media
 * errors, `code` is stable and the web layer turns it into a message in the editor's language.
 */

/**
 * Every `code` alignTranscript rejects with for something the editor can fix, each needing a
 * message in English and French: these, and CorruptMedia (media/errors.ts) for a file ffmpeg cannot
 * read. Anything else (an abort's reason, a missing espeak-ng) is the operator's or the job's.
 */
export const ALIGN_ERROR_CODES = [
  "NoAudio",
  "SilentAudio",
  "TextNotMatching",
  "TextTooLong",
  "InvalidAlignInput",
  "CorruptMedia",
] as const;
export type AlignErrorCode = (typeof ALIGN_ERROR_CODES)[number];

/** The file has no audio track (or not the one asked for). */
export class NoAudio extends MediaError {
  constructor(message: string, params?: Record<string, string | number>) {
    super("NoAudio", message, params);
  }
}

/** The audio track holds only silence (or a level too low to hear speech in). */
export class SilentAudio extends MediaError {
  constructor(message: string, params?: Record<string, string | number>) {
    super("SilentAudio", message, params);
  }
}

/** The text does not belong to this audio (another speech, another language): most of it was not found. */
export class TextNotMatching extends MediaError {
  constructor(message: string, params?: Record<string, string | number>) {
    super("TextNotMatching", message, params);
  }
}

/** The text is far longer than the audio could hold, or longer than the aligner accepts at all. */
export class TextTooLong extends MediaError {
  constructor(message: string, params?: Record<string, string | number>) {
    super("TextTooLong", message, params);
  }
}

/** The text has nothing to speak (no sentence with a letter or a digit), or an anchor is out of range. */
export class InvalidAlignInput extends MediaError {
  constructor(message: string, params?: Record<string, string | number>) {
    super("InvalidAlignInput", message, params);
  }
}
