import { writeSubtitles } from "../media/subtitles.ts";
import type { Lang } from "../web/i18n.ts";
import type { TranscriptSegment } from "./types.ts";

/** A timed sentence of the transcript as a cue: seconds from the master's first frame. */
export type TranscriptCue = { start: number; end: number; speaker: string; lang: Lang; text: string };

/**
 * The timed sentences of a transcript as cues; an untimed end runs to the next sentence (or 4 s
 * at most). The player's captions and the clips' subtitles (downloads/subtitles.ts) share it.
 */
export function transcriptCuesOf(segments: TranscriptSegment[]): TranscriptCue[] {
  const timed = segments.filter((s) => s.startSeconds !== null);
  return timed.map((segment, i) => {
    const start = segment.startSeconds ?? 0;
    return {
      start,
      end: segment.endSeconds ?? timed[i + 1]?.startSeconds ?? start + 4,
      speaker: segment.speaker,
      lang: segment.lang,
      text: segment.text,
    };
  });
}

/**
 * The player's captions track for one language: the sentences spoken in it, as delivered. A
 * bilingual conference has one track per language, each silent while the other is spoken.
 */
export function captionsVtt(segments: TranscriptSegment[], lang: Lang): string {
  const cues = transcriptCuesOf(segments).filter((c) => c.lang === lang);
  return writeSubtitles(
    cues.map((c) => ({
      start: c.start,
      end: c.end,
      text: c.text,
      ...(c.speaker ? { voice: c.speaker } : {}),
    })),
    "vtt",
  );
}
