import type { Queryable } from "../db/database.ts";

export type SubtitleFormat = "srt" | "vtt";
type Cue = { start: number; end: number; speaker: string; text: string };

export async function transcriptCues(db: Queryable, itemId: number): Promise<Cue[]> {
  const rows = await db.query<{
    start_seconds: number | null;
    end_seconds: number | null;
    speaker: string;
    text: string;
  }>(
    `SELECT start_seconds, end_seconds, speaker, text FROM transcript_segments
     WHERE media_item_id = $1 AND start_seconds IS NOT NULL ORDER BY position`,
    [itemId],
  );
  return rows.map((r, i) => ({
    start: r.start_seconds!,
    // An untimed end runs to the next sentence (or 4 s at most).
    end: r.end_seconds ?? rows[i + 1]?.start_seconds ?? r.start_seconds! + 4,
    speaker: r.speaker,
    text: r.text,
  }));
}

/**
 * Subtitles for a clip from `from` to `to` seconds of the master: the sentences that
 * overlap it, timed from the clip's first frame, cut at its ends.
 */
export function clipSubtitles(cues: Cue[], from: number, to: number, format: SubtitleFormat): string {
  const inClip = cues
    .filter((c) => c.end > from && c.start < to)
    .map((c) => ({ ...c, start: Math.max(c.start, from) - from, end: Math.min(c.end, to) - from }));
  if (format === "vtt") {
    const body = inClip.map(
      (c) =>
        `${time(c.start, ".")} --> ${time(c.end, ".")}\n${c.speaker ? `<v ${vttEscape(c.speaker)}>` : ""}${vttEscape(c.text)}`,
    );
    return `WEBVTT\n\n${body.join("\n\n")}\n`;
  }
  return `${inClip.map((c, i) => `${i + 1}\n${time(c.start, ",")} --> ${time(c.end, ",")}\n${c.speaker ? `${c.speaker}: ` : ""}${c.text}`).join("\n\n")}\n`;
}

function time(seconds: number, separator: "," | "."): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

function vttEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
