import { writeFile } from "node:fs/promises";
import path from "node:path";
import { type RunOptions, runFfmpeg } from "../ffmpeg.ts";

/**
 * Joins recorded pieces (local files, in order) into one file without re-encoding: the recording
 * as a master when a live ends, or the stretch a clip is cut from while it is live. Both are made
 * the same way, with each piece given the length recorded for it, so a moment is at the same time
 * in a clip taken during the live and in the master made at its end.
 */
export type JoinPiece = { file: string; durationSeconds: number };

export async function joinPieces(
  pieces: readonly JoinPiece[],
  output: string,
  options: RunOptions & { timecode?: string } = {},
): Promise<void> {
  const list = path.join(path.dirname(output), `${path.basename(output)}.list`);
  const quote = (file: string) => `'${file.replaceAll("'", "'\\''")}'`;
  await writeFile(
    list,
    pieces.map((p) => `file ${quote(p.file)}\nduration ${p.durationSeconds.toFixed(6)}\n`).join(""),
  );
  const mp4 = output.endsWith(".mp4");
  await runFfmpeg(
    [
      "-f",
      "concat",
      "-safe",
      "0",
      "-i",
      list,
      "-map",
      "0",
      "-c",
      "copy",
      ...(options.timecode ? ["-timecode", options.timecode] : []),
      ...(mp4 ? ["-movflags", "+faststart"] : ["-f", "mpegts"]),
      output,
    ],
    options,
  );
}
