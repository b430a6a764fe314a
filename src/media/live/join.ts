import { writeFile } from "node:fs/promises";
import path from "node:path";
import { type RunOptions, runFfmpeg, runFfprobeJson } from "../ffmpeg.ts";
import { readTsPiece } from "./ts-read.ts";

/**
 * Joins recorded pieces (local files, in order) into one file without re-encoding: the recording
 * as a master when a live ends, or the stretch a clip is cut from while it is live. Both are made
 * the same way, so a moment is the same frame in a clip taken during the live and in the master
 * made at its end.
 *
 * Pieces of one connection are joined byte for byte (the concat protocol): they are one MPEG-TS
 * stream cut at keyframes, so their own timestamps run on at a constant rate. The concat
 * demuxer's `duration` per piece would not: it re-times each piece from its earliest packet
 * (often a sound packet a little before the keyframe), which left gaps and overlaps of a few
 * frames at every piece boundary, and the cutter seeks frame N at N / rate. Connections follow
 * each other with the length recorded for them.
 *
 * The sound of the first piece usually starts a little before its first picture (a few
 * hundredths of a second; more when the piece is cut mid-recording). The cutter seeks frame N
 * at N / rate from the file's start, which must be the first picture's: the sound before it is
 * kept but edited out (an MP4 edit list), so the picture starts the file.
 */
export type JoinPiece = { file: string; durationSeconds: number; connection?: number };

export async function joinPieces(
  pieces: readonly JoinPiece[],
  output: string,
  options: RunOptions & { timecode?: string } = {},
): Promise<void> {
  const list = path.join(path.dirname(output), `${path.basename(output)}.list`);
  const quote = (file: string) => `'${file.replaceAll("'", "'\\''")}'`;
  const groups: { files: string[]; seconds: number }[] = [];
  let connection: number | undefined;
  for (const piece of pieces) {
    const last = groups.at(-1);
    if (last && piece.connection !== undefined && piece.connection === connection) {
      last.files.push(piece.file);
      last.seconds += piece.durationSeconds;
    } else {
      groups.push({ files: [piece.file], seconds: piece.durationSeconds });
    }
    connection = piece.connection;
  }
  // "|" separates the concat protocol's files; storage keys never hold one.
  const entry = (files: string[]) => (files.length === 1 ? files[0]! : `concat:${files.join("|")}`);
  await writeFile(
    list,
    groups.map((g) => `file ${quote(entry(g.files))}\nduration ${g.seconds.toFixed(6)}\n`).join(""),
  );
  const mp4 = output.endsWith(".mp4");
  const lead = mp4 && pieces[0] ? await soundLead(pieces[0].file, options) : 0;
  await runFfmpeg(
    [
      ...["-f", "concat", "-safe", "0", "-protocol_whitelist", "file,concat", "-i", list],
      ...["-map", "0", "-c", "copy"],
      ...(options.timecode ? ["-timecode", options.timecode] : []),
      ...(lead > 0 ? ["-output_ts_offset", (-lead).toFixed(6), "-avoid_negative_ts", "disabled"] : []),
      ...(mp4 ? ["-movflags", "+faststart"] : ["-f", "mpegts"]),
      output,
    ],
    options,
  );
}

/** Seconds by which a piece's sound starts before its picture (0 when the picture comes first). */
async function soundLead(file: string, options: RunOptions): Promise<number> {
  const read = await readTsPiece(file, false);
  if (read) return Math.max(0, read.videoStart - read.earliestStart);
  const json = (await runFfprobeJson(
    ["-show_entries", "format=start_time:stream=codec_type,start_time", file],
    options,
  )) as { format?: { start_time?: string }; streams?: { codec_type?: string; start_time?: string }[] };
  const start = Number(json.format?.start_time);
  const video = Number(json.streams?.find((s) => s.codec_type === "video")?.start_time);
  if (!Number.isFinite(start) || !Number.isFinite(video)) return 0;
  // Below a microsecond is rounding, not sound ahead of the picture.
  return video - start > 1e-6 ? video - start : 0;
}
