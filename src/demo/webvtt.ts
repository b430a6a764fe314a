import { writeSubtitles } from "../media/subtitles.ts";
import type { TimedSentence } from "./speech.ts";

/**
 * The transcript as WebVTT, one cue a sentence. The voice names the speaker; a question's
 * voice is "Journalist (Outlet)", which is how the portal's transcript import reads it back.
 */
export function toWebVtt(sentences: TimedSentence[]): string {
  return writeSubtitles(
    sentences.map((sentence) => ({
      start: sentence.start,
      end: sentence.end,
      text: sentence.text,
      voice: sentence.isQuestion ? `${sentence.speaker} (${sentence.outlet})` : sentence.speaker,
    })),
    "vtt",
  );
}
