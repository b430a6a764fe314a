import { type Cue, writeSubtitles } from "../media/subtitles.ts";
import type { Lang } from "../web/i18n.ts";
import { spokenLanguage, type TranscriptSegment } from "./types.ts";

/**
 * A timed sentence of the transcript as a cue: seconds from the master's first frame. `lang` is
 * the transcript's (the track it belongs to), `spokenLang` the language it is said in.
 */
export type TranscriptCue = {
  start: number;
  end: number;
  speaker: string;
  lang: Lang;
  spokenLang: Lang;
  text: string;
};

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
      spokenLang: spokenLanguage(segment),
      text: segment.text,
    };
  });
}

/**
 * The player's captions track for one language: that language's transcript, as delivered. A
 * bilingual conference whose turns were timed apart has one track per language, each silent while
 * the other is spoken; a bilingual text pasted as one keeps its other language's sentences in its
 * track, each marked with the language it is said in.
 */
export function captionsVtt(segments: TranscriptSegment[], lang: Lang): string {
  const cues = transcriptCuesOf(segments).filter((c) => c.lang === lang);
  return writeSubtitles(cues.map(subtitleCue), "vtt");
}

/** A transcript cue as the subtitles writer takes it: its speaker a voice, its language if not the track's. */
export function subtitleCue(cue: TranscriptCue): Cue {
  return {
    start: cue.start,
    end: cue.end,
    text: cue.text,
    ...(cue.speaker ? { voice: cue.speaker } : {}),
    ...(cue.spokenLang !== cue.lang ? { lang: cue.spokenLang } : {}),
  };
}
