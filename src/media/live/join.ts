import { writeFile } from "node:fs/promises";
import path from "node:path";
import { type RunOptions, runFfmpeg, runFfprobeJson } from "../ffmpeg.ts";
import type { Rational } from "../timecode.ts";
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
 * frames at every piece boundary, and the cutter seeks frame N at N / rate.
 *
 * Connections follow each other picture to picture when the frame rate is given: a connection's
 * pictures are counted (ts-read.ts), and the next one's first picture is placed right after its
 * last one (the concat demuxer places each from its earliest packet). The recorded lengths count from each
 * connection's earliest packet, usually sound a few hundredths of a second ahead of the picture,
 * which left a gap of a frame or two at every reconnection: frames after it were off by as many
 * for the cutter, and the file's average rate was no longer the stream's. Sound that came before
 * the next connection's first picture overlaps the previous one's last by as much.
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
  options: RunOptions & { timecode?: string; frameRate?: Rational | null } = {},
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
  const timings = options.frameRate
    ? await Promise.all(groups.map((g) => groupTiming(g.files, options.frameRate!)))
    : [];
  const exact = timings.length > 0 && timings.every((timing) => timing !== null);
  const lines = groups.map((g, i) => {
    const timing = exact ? timings[i]! : null;
    // Each connection is placed from its earliest packet: its pictures begin `lead` later. The
    // next one's pictures must begin as this one's end, so its sound ahead is taken off.
    const seconds = timing ? timing.lead + timing.seconds - (timings[i + 1]?.lead ?? 0) : g.seconds;
    return `file ${quote(entry(g.files))}\nduration ${seconds.toFixed(6)}\n`;
  });
  await writeFile(list, lines.join(""));
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

/**
 * A connection's pictures on its own clock: where the first is, how far the sound starts ahead of
 * it, and how long its frames last at `rate`. Null when a piece cannot be read in Node.
 */
async function groupTiming(
  files: string[],
  rate: Rational,
): Promise<{ videoStart: number; lead: number; seconds: number } | null> {
  const first = await readTsPiece(files[0]!, false);
  const last = await readTsPiece(files.at(-1)!, true);
  if (!first || !last || last.frames === null) return null;
  const before = Math.round(((last.videoStart - first.videoStart) * rate.num) / rate.den);
  return {
    videoStart: first.videoStart,
    lead: Math.max(0, first.videoStart - first.earliestStart),
    seconds: ((before + last.frames) * rate.den) / rate.num,
  };
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
