import { transcriptOf } from "../catalogue/transcript-store.ts";
import type { Queryable } from "../db/database.ts";
import { type SubtitleFormat, writeSubtitles } from "../media/subtitles.ts";

type Cue = { start: number; end: number; speaker: string; text: string };

/** The timed sentences of an item's transcript as cues; an untimed end runs to the next sentence (or 4 s at most). */
export async function transcriptCues(db: Queryable, itemId: number): Promise<Cue[]> {
  const timed = (await transcriptOf(db, itemId)).filter((s) => s.startSeconds !== null);
  return timed.map((segment, i) => {
    const start = segment.startSeconds ?? 0;
    return {
      start,
      end: segment.endSeconds ?? timed[i + 1]?.startSeconds ?? start + 4,
      speaker: segment.speaker,
      text: segment.text,
    };
  });
}

/**
 * Subtitles for a clip from `from` to `to` seconds of the master: the sentences that
 * overlap it, timed from the clip's first frame, cut at its ends.
 */
export function clipSubtitles(cues: Cue[], from: number, to: number, format: SubtitleFormat): string {
  const inClip = cues
    .filter((c) => c.end > from && c.start < to)
    .map((c) => ({ ...c, start: Math.max(c.start, from) - from, end: Math.min(c.end, to) - from }));
  return writeSubtitles(
    inClip.map((c) => ({
      start: c.start,
      end: c.end,
      text: c.text,
      ...(c.speaker ? { voice: c.speaker } : {}),
    })),
    format,
  );
}
