import { type RunOptions, runFfmpeg, runFfprobeJson } from "../ffmpeg.ts";
import { x264OptionsIn } from "../x264-sei.ts";
import { readTsPiece } from "./ts-read.ts";

/**
 * Where a received piece's pictures sit on its connection's clock, to number the recording's
 * frames without joining it from the start: pieces of one connection are one stream cut at
 * keyframes, so the frames before a piece are its picture's start time less the connection's,
 * at the frame rate. Read from the piece's packets in Node (ts-read.ts); ffprobe if that fails.
 */
export async function pieceVideoStart(file: string, options: RunOptions = {}): Promise<number> {
  const read = await readTsPiece(file, false);
  if (read) return read.videoStart;
  const json = (await runFfprobeJson(
    ["-select_streams", "v:0", "-show_entries", "stream=start_time", file],
    options,
  )) as { streams?: { start_time?: string }[] };
  const start = Number(json.streams?.[0]?.start_time);
  if (!Number.isFinite(start)) throw new Error(`${file}: no picture start time`);
  return start;
}

/** The pictures a piece holds (counted from its packets; a two-second piece reads in milliseconds). */
export async function pieceFrameCount(file: string, options: RunOptions = {}): Promise<number> {
  const read = await readTsPiece(file, true);
  if (read?.frames != null) return read.frames;
  const json = (await runFfprobeJson(
    ["-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets", file],
    options,
  )) as { streams?: { nb_read_packets?: string }[] };
  return Number(json.streams?.[0]?.nb_read_packets ?? 0);
}

/**
 * The x264 settings of the stream a piece starts (null: another encoder, or not its first piece):
 * x264 writes them once, before the first picture, so a clip cut from a later stretch of the live
 * takes them from its connection's first piece. Its first picture as raw H.264, where the SEI is
 * whole (in MPEG-TS it is split across 188-byte packets).
 */
export async function pieceX264Options(file: string, options: RunOptions = {}): Promise<string | null> {
  const { stdout } = await runFfmpeg(
    ["-i", file, "-map", "0:v:0", "-c", "copy", "-frames:v", "1", "-f", "h264", "-"],
    options,
  );
  return x264OptionsIn(stdout);
}
