import { spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { FfmpegTools } from "../ffmpeg.ts";
import { launchLine } from "../launch.ts";

/**
 * Records one connection of a venue's encoder as it arrives: ffmpeg copies the stream (never
 * re-encodes it, so a live costs almost no CPU) into MPEG-TS pieces that each start on a
 * keyframe, and says when each is complete. MPEG-TS because pieces of one connection join byte
 * for byte, and a player (HLS) and the cutter read them as they are.
 */

/** Where the stream comes from: ffmpeg's own SRT listener, or FLV tags an RTMP server hands over. */
export type RecorderInput =
  | { kind: "srt"; host: string; port: number; passphrase: string }
  | { kind: "flv"; stdin: Readable };

export type RecordedPiece = { file: string; durationSeconds: number; bytes: number };

export type RecorderHealth = {
  bitrateKbps: number;
  frameRate: number;
  droppedFrames: number;
  /** Seconds of the stream recorded so far in this connection. */
  seconds: number;
};

export type RecorderEnd =
  /** The sender went (or closed the stream): a new connection may follow. */
  | { kind: "ended" }
  /** The stream cannot be recorded: `problem` says why, in a word the caller translates. */
  | { kind: "refused"; problem: "no_video" | "unreadable"; detail: string }
  /** stop() was called. */
  | { kind: "stopped" };

export type RecorderEvents = {
  /** The first frame arrived (a connection that never sends one is not "live"). */
  onFirstFrame(): void;
  /** A complete piece, in order; the next waits until this resolves (it is stored first). */
  onPiece(piece: RecordedPiece): Promise<void>;
  onHealth(health: RecorderHealth): void;
};

export type Recorder = {
  done: Promise<RecorderEnd>;
  /** Ends the recording as the sender leaving would: the last piece is closed and handed over. */
  finish(): void;
  /** Kills it at once (the process is shutting down: what was stored stays). */
  stop(): void;
};

/** Seconds per piece: what a crash may lose, and most of the live latency (issue 12 asks ≤ 6 s). */
export const PIECE_SECONDS = 2;
const LIST_FILE = "pieces.csv";
const FRAME_RATE_WINDOW_SECONDS = 10;
const POLL_MS = 200;

export function recorderArgs(input: RecorderInput, dir: string): string[] {
  // A live stream's codecs are known from its first second; ffmpeg's default 5 s of probing
  // would be 5 s of latency. The size bound matters when the stream carries a data track (a
  // timecode, SCTE-35) that ffmpeg would otherwise go on reading to identify.
  const probe = ["-analyzeduration", "1000000", "-probesize", "1000000"];
  const source =
    input.kind === "srt"
      ? [
          // SRT holds each packet for its latency (the encoder's setting, 120 ms to seconds over the
          // internet) to replay the sender's pace; a recorder needs no pace, and an encoder that
          // stops would take what was still held with it (2 s of latency: the last 23 frames).
          // Packets now come as they arrive, in order, lost ones still resent.
          "-tsbpd",
          "0",
          "-i",
          // The passphrase is the item's key: a caller with another one fails the SRT handshake.
          `srt://${input.host}:${input.port}?mode=listener&passphrase=${encodeURIComponent(input.passphrase)}`,
        ]
      : ["-f", "flv", "-i", "pipe:0"];
  return [
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    ...probe,
    ...source,
    // One picture, and the sound if any: a stream with no picture is refused ("Stream map …").
    "-map",
    "0:v:0",
    "-map",
    "0:a?",
    "-c",
    "copy",
    "-f",
    "segment",
    "-segment_time",
    String(PIECE_SECONDS),
    "-segment_format",
    "mpegts",
    "-segment_list",
    path.join(dir, LIST_FILE),
    "-segment_list_type",
    "csv",
    "-reset_timestamps",
    "0",
    "-progress",
    "pipe:1",
    "-stats_period",
    "1",
    path.join(dir, "piece-%06d.ts"),
  ];
}

/** Starts recording into `dir` (empty, owned by this connection). */
export function startRecorder(
  input: RecorderInput,
  dir: string,
  tools: FfmpegTools,
  events: RecorderEvents,
): Recorder {
  const line = launchLine(tools.ffmpeg, recorderArgs(input, dir));
  const child = spawn(line.file, line.args, { stdio: ["pipe", "pipe", "pipe"] });
  let stopped = false;
  let stderr = "";
  let firstFrame = false;
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  child.stdin.on("error", () => undefined);
  // The encoder going away mid-tag ends the input; ffmpeg closes the last piece with what it has.
  if (input.kind === "flv") input.stdin.pipe(child.stdin);
  else child.stdin.end();
  child.stdout.setEncoding("utf8");
  let progress: Record<string, string> = {};
  // ffmpeg reports no bit rate for a segment output (bitrate=N/A), and its fps is how fast it
  // took frames in (28.7 for a 25 fps stream that arrived in bursts): the bit rate is the last
  // finished piece's, the frame rate the frames over the stream's own time, the last 10 s.
  let pieceKbps = 0;
  const samples: { frames: number; seconds: number }[] = [];
  const frameRate = (frames: number, seconds: number): number => {
    samples.push({ frames, seconds });
    while (samples.length > 2 && seconds - samples[1]!.seconds >= FRAME_RATE_WINDOW_SECONDS) samples.shift();
    const first = samples[0]!;
    const span = seconds - first.seconds;
    return span >= 1 ? Math.round(((frames - first.frames) / span) * 100) / 100 : 0;
  };
  child.stdout.on("data", (chunk: string) => {
    for (const row of chunk.split("\n")) {
      const [name, value] = row.split("=", 2);
      if (!name || value === undefined) continue;
      progress[name.trim()] = value.trim();
      if (name.trim() !== "progress") continue;
      const frames = Number(progress.frame ?? 0);
      if (frames > 0 && !firstFrame) {
        firstFrame = true;
        events.onFirstFrame();
      }
      const seconds = Number(progress.out_time_us ?? 0) / 1e6 || 0;
      events.onHealth({
        bitrateKbps: Number.parseFloat(progress.bitrate ?? "") || pieceKbps,
        frameRate: frameRate(frames, seconds),
        droppedFrames: Number(progress.drop_frames ?? 0) || 0,
        seconds,
      });
      progress = {};
    }
  });

  const exited = new Promise<number | null>((resolve) => {
    child.on("error", () => resolve(null));
    child.on("close", (code) => resolve(code));
  });
  const done = (async (): Promise<RecorderEnd> => {
    let taken = 0;
    let running = true;
    void exited.then(() => {
      running = false;
    });
    // Pieces are listed in the CSV when complete; the last one when ffmpeg closes it at the end.
    for (;;) {
      const finished = !running;
      const listed = await readList(dir);
      for (const entry of listed.slice(taken)) {
        const file = path.join(dir, entry.name);
        const bytes = (await stat(file)).size;
        if (entry.duration > 0) pieceKbps = (bytes * 8) / entry.duration / 1000;
        await events.onPiece({ file, durationSeconds: entry.duration, bytes });
        taken += 1;
      }
      if (finished) break;
      await Promise.race([exited, new Promise((r) => setTimeout(r, POLL_MS))]);
    }
    const code = await exited;
    if (stopped) return { kind: "stopped" };
    if (code !== 0 && /matches no streams|Output file #0 does not contain any stream/.test(stderr)) {
      return { kind: "refused", problem: "no_video", detail: lastLine(stderr) };
    }
    if (code !== 0 && taken === 0 && /Invalid data|could not find codec|unsupported/i.test(stderr)) {
      return { kind: "refused", problem: "unreadable", detail: lastLine(stderr) };
    }
    return { kind: "ended" };
  })();
  return {
    done,
    finish() {
      // ffmpeg takes SIGINT as "stop reading, close the outputs properly".
      child.kill("SIGINT");
    },
    stop() {
      stopped = true;
      child.kill("SIGKILL");
    },
  };
}

async function readList(dir: string): Promise<{ name: string; duration: number }[]> {
  const text = await readFile(path.join(dir, LIST_FILE), "utf8").catch(() => "");
  const entries: { name: string; duration: number }[] = [];
  // A line is complete only with its newline: ffmpeg may be half-way through writing the last.
  for (const row of text.split("\n").slice(0, -1)) {
    const [name, start, end] = row.split(",");
    if (!name || start === undefined || end === undefined) continue;
    const duration = Number(end) - Number(start);
    if (Number.isFinite(duration) && duration > 0) entries.push({ name, duration });
  }
  return entries;
}

function lastLine(stderr: string): string {
  return (
    stderr
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ""
  );
}
