import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { recorderArgs } from "../../src/media/live/recorder.ts";
import { cpuSeconds, residentBytes, treeCpuSeconds } from "./machine.ts";
import { MASTERS_DIR } from "./settings.ts";

/**
 * The live part's venue encoder and its baseline receiver: a generated 1080p25 H.264/AAC stream
 * (as a venue's encoder sends it: 6 Mb/s, a keyframe every 2 s) played in real time by ffmpeg
 * (`-re`, looped, stream copy, so the sender costs next to nothing), and ffmpeg's own SRT or RTMP
 * listener recording it into the same pieces the portal makes (the portal's recorder arguments).
 */

export const SOURCE_SECONDS = 30;

/** The generated source, made once into `.bench-data/masters/`. */
export async function liveSource(log: (line: string) => void): Promise<string> {
  const file = path.join(MASTERS_DIR, `live-1080p25-${SOURCE_SECONDS}s.mp4`);
  if (existsSync(file)) return file;
  await mkdir(MASTERS_DIR, { recursive: true });
  log(`generating the live source (1080p25 H.264 6 Mb/s + AAC, ${SOURCE_SECONDS} s)`);
  const partial = `${file}.partial.mp4`;
  await run("ffmpeg", [
    ...["-hide_banner", "-v", "error", "-y"],
    ...["-f", "lavfi", "-i", `testsrc2=size=1920x1080:rate=25:duration=${SOURCE_SECONDS}`],
    ...["-f", "lavfi", "-i", `sine=frequency=1000:sample_rate=48000:duration=${SOURCE_SECONDS}`],
    ...["-c:v", "libx264", "-preset", "veryfast", "-b:v", "6M", "-maxrate", "6M", "-bufsize", "12M"],
    ...["-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-pix_fmt", "yuv420p"],
    ...["-c:a", "aac", "-b:a", "128k", "-ac", "2", partial],
  ]);
  await rename(partial, file);
  return file;
}

export type Sender = {
  child: ChildProcess;
  /** Wall-clock ms (Date.now()) at which the stream's time 0 was sent: frame t goes at t0 + t. */
  t0(): number;
  done: Promise<number | null>;
  stop(): void;
};

/** ffmpeg sending `seconds` of the looped source in real time to `url` (FLV for rtmp://, MPEG-TS for srt://). */
export function startSender(source: string, url: string, seconds: number): Sender {
  const format = url.startsWith("rtmp:") ? "flv" : "mpegts";
  const child = spawn(
    "ffmpeg",
    [
      ...["-hide_banner", "-nostdin", "-v", "error", "-re", "-stream_loop", "-1", "-i", source],
      ...["-map", "0:v", "-map", "0:a", "-c", "copy", "-t", String(seconds)],
      ...["-progress", "pipe:1", "-stats_period", "0.5", "-f", format, url],
    ],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  // Each progress report says how much of the stream was sent by now; the earliest
  // (now - sent) is when its time 0 went (-re paces the sending on the stream's own clock).
  let t0 = Number.POSITIVE_INFINITY;
  let outTime = 0;
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    for (const row of chunk.split("\n")) {
      const [name, value] = row.split("=", 2);
      if (name === "out_time_us") outTime = Number(value) / 1000 || 0;
      if (name === "progress" && outTime > 0) t0 = Math.min(t0, Date.now() - outTime);
    }
  });
  const done = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { child, t0: () => t0, done, stop: () => child.kill("SIGINT") };
}

/** A piece as it was listed: its end on the recording's timeline and when it was seen listed. */
export type Listed = { end: number; duration: number; listedAt: number };

/**
 * Polls `read` (the playlist's durations, in order) every `everyMs`; each new piece is noted with
 * the time it was first seen. Stops when `until` resolves.
 */
export async function watchPieces(
  read: () => Promise<number[]>,
  until: Promise<unknown>,
  onPiece: (piece: Listed) => void = () => {},
  everyMs = 100,
): Promise<Listed[]> {
  const listed: Listed[] = [];
  let end = 0;
  let stopped = false;
  void until.then(() => {
    stopped = true;
  });
  while (!stopped) {
    const durations = await read().catch(() => [] as number[]);
    const now = Date.now();
    for (const duration of durations.slice(listed.length)) {
      end += duration;
      const piece = { end, duration, listedAt: now };
      listed.push(piece);
      onPiece(piece);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return listed;
}

/** The durations an HLS media playlist lists. */
export function playlistDurations(text: string): number[] {
  return [...text.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]));
}

/**
 * The baseline receiver: ffmpeg's own listener (SRT, or RTMP with `-listen 1`) writing the pieces
 * the portal's recorder writes, with the same arguments, to a local folder. Its pieces are "listed"
 * when ffmpeg writes them in its segment list.
 */
export async function startBaselineListener(
  protocol: "srt" | "rtmp",
  port: number,
  dir: string,
): Promise<{ url: string; pid: number; durations(): Promise<number[]>; stop(): Promise<void> }> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const passphrase = "bench-baseline-passphrase";
  let args = recorderArgs({ kind: "srt", host: "127.0.0.1", port, passphrase }, dir);
  if (protocol === "rtmp") {
    const input = args.indexOf("-i");
    args = [
      ...args.slice(0, input),
      ...["-listen", "1", "-f", "flv", "-i", `rtmp://127.0.0.1:${port}/live/baseline`],
      ...args.slice(input + 2),
    ];
  }
  const child = spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "ignore"] });
  const exited = new Promise((resolve) => child.once("close", resolve));
  // Listening: the sender may connect once the process has had a moment to bind.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return {
    url:
      protocol === "srt"
        ? `srt://127.0.0.1:${port}?passphrase=${passphrase}`
        : `rtmp://127.0.0.1:${port}/live/baseline`,
    pid: child.pid!,
    async durations() {
      const text = await readFile(path.join(dir, "pieces.csv"), "utf8").catch(() => "");
      return text
        .split("\n")
        .slice(0, -1)
        .map((row) => {
          const [, start, end] = row.split(",");
          return Number(end) - Number(start);
        });
    },
    async stop() {
      child.kill("SIGINT");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.slice(-500)}`)),
    );
  });
}

/** A UDP port nobody has bound now (SRT listens on UDP). */
export async function freeUdpPort(): Promise<number> {
  const dgram = await import("node:dgram");
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const socket = dgram.createSocket("udp4");
    const free = await new Promise<boolean>((resolve) => {
      socket.once("error", () => resolve(false));
      socket.bind(port, "127.0.0.1", () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      return port;
    }
  }
  throw new Error("no free UDP port");
}

export type Usage = { cpu: number; treeCpu: number; rssMax: number; childRss: number };

/** CPU (share of one core) of the portal's process alone and with its ffmpeg children; its peak RSS. */
export async function usage(pid: number, windowSeconds: number): Promise<Usage> {
  const cpu0 = cpuSeconds(pid) ?? 0;
  const tree0 = treeCpuSeconds(pid);
  let rssMax = 0;
  let childRss = 0;
  for (let s = 0; s < windowSeconds; s++) {
    await sleep(1000);
    rssMax = Math.max(rssMax, residentBytes(pid) ?? 0);
    childRss = Math.max(childRss, childrenRss(pid));
  }
  return {
    cpu: ((cpuSeconds(pid) ?? cpu0) - cpu0) / windowSeconds,
    treeCpu: (treeCpuSeconds(pid) - tree0) / windowSeconds,
    rssMax,
    childRss,
  };
}

function childrenRss(pid: number): number {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return children.reduce((sum, child) => sum + (residentBytes(Number(child)) ?? 0), 0);
  } catch {
    return 0;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
