import { subtitleCue, type TranscriptCue, transcriptCuesOf } from "../catalogue/captions.ts";
import { transcriptOf } from "../catalogue/transcript-store.ts";
import type { Queryable } from "../db/database.ts";
import { type SubtitleFormat, writeSubtitles } from "../media/subtitles.ts";

/** The timed sentences of an item's transcript as cues (the same as the player's captions). */
export async function transcriptCues(db: Queryable, itemId: number): Promise<TranscriptCue[]> {
  return transcriptCuesOf(await transcriptOf(db, itemId));
}

// A sentence cut by the clip's IN or OUT to less than this is left out: a subtitle flashed for a
// few frames cannot be read (found by hand: an 80 ms cue at a clip's end).
const MIN_CUT_CUE_SECONDS = 0.3;

/**
 * Subtitles for a clip from `from` to `to` seconds of the master: the sentences that
 * overlap it, timed from the clip's first frame, cut at its ends (unless little is left).
 */
export function clipSubtitles(
  cues: TranscriptCue[],
  from: number,
  to: number,
  format: SubtitleFormat,
): string {
  const inClip = cues
    .filter((c) => c.end > from && c.start < to)
    .map((c) => ({
      ...c,
      start: Math.max(c.start, from) - from,
      end: Math.min(c.end, to) - from,
      cut: c.start < from || c.end > to,
    }))
    .filter((c) => !c.cut || c.end - c.start >= MIN_CUT_CUE_SECONDS);
  return writeSubtitles(inClip.map(subtitleCue), format);
}
