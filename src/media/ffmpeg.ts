import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { launchLine, type Priority } from "./launch.ts";

/** Where the two binaries are; everything that runs them takes this so workers can differ. */
export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
}

/** Pino-compatible subset, so the server's logger can be passed straight in. */
export interface MediaLogger {
  debug(data: Record<string, unknown>, message: string): void;
  warn(data: Record<string, unknown>, message: string): void;
}

export interface RunOptions {
  /** The process's configured tools; the PATH's ffmpeg and ffprobe when left out (tests, scripts). */
  tools?: FfmpegTools;
  /** "background" for work nobody waits on (media/launch.ts); "normal" when left out. */
  priority?: Priority;
  signal?: AbortSignal;
  logger?: MediaLogger;
  /** Frames written so far, parsed from ffmpeg's stats line. */
  onProgress?: (frames: number) => void;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** ffmpeg or ffprobe ran and failed; not a user's fault unless the caller says so. */
export class ToolFailed extends Error {
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(command: string, args: readonly string[], exitCode: number | null, stderr: string) {
    const detail = stderrMessages(stderr).join("\n").slice(-800);
    super(`${command} exited with ${exitCode}: ${detail || "(no message)"} [args: ${args.join(" ")}]`);
    this.name = "ToolFailed";
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** The operator's install is wrong: no ffmpeg, or one too old for the filters and muxers we use. */
export class FfmpegUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FfmpegUnavailable";
  }
}

/** The tools found on the PATH. Processes pass theirs from the configuration (FFMPEG_PATH, FFPROBE_PATH). */
export const pathTools: FfmpegTools = { ffmpeg: "ffmpeg", ffprobe: "ffprobe" };

// Stderr is kept only for error messages; a long encode's stats must not grow memory without end.
const STDERR_LIMIT = 64 * 1024;

/** Reads a tool's standard output as it comes; the run fails, and the tool is killed, if it rejects. */
export type StdoutConsumer = (stdout: Readable) => Promise<void>;

/**
 * Spawns with an argument array (never a shell, so file names cannot inject commands). Standard
 * output is collected into the result, or handed to `consume` as it is written.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
  consume?: StdoutConsumer,
): Promise<RunResult> {
  const { signal, logger, onProgress } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    logger?.debug({ command, args }, "media tool start");
    const line = launchLine(command, args, options.priority);
    const child = spawn(line.file, line.args, { stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    let stderr = "";
    const onAbort = (): void => {
      child.kill("SIGKILL");
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    let consumed: Promise<void> = Promise.resolve();
    let consumerError: { error: unknown } | null = null;
    if (consume) {
      consumed = consume(child.stdout).catch((error: unknown) => {
        consumerError = { error };
        child.kill("SIGKILL");
      });
    } else {
      child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    }
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_LIMIT);
      if (onProgress) {
        const frames = [...chunk.matchAll(/frame=\s*(\d+)/g)].at(-1)?.[1];
        if (frames !== undefined) onProgress(Number(frames));
      }
    });
    const notFound = () =>
      new FfmpegUnavailable(`${command} not found: install ffmpeg or set FFMPEG_PATH / FFPROBE_PATH`);
    child.on("error", (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener("abort", onAbort);
      reject(error.code === "ENOENT" ? notFound() : error);
    });
    child.on("close", (code) => {
      signal?.removeEventListener("abort", onAbort);
      // The consumer may still be writing what it read when the process has gone.
      void consumed.then(() => {
        if (signal?.aborted) reject(signal.reason);
        else if (consumerError !== null) reject(consumerError.error);
        else if (code === 0) resolve({ stdout: Buffer.concat(stdout), stderr });
        // Started through setpriv/nice, a missing tool is their exit code 127, not a spawn error.
        else if (code === 127 && line.file !== command) reject(notFound());
        else reject(new ToolFailed(command, args, code, stderr));
      });
    });
  });
}

/** `-nostdin` because a worker has no terminal; `-v error -stats` keeps stderr to errors plus progress. */
export function runFfmpeg(
  args: readonly string[],
  options: RunOptions = {},
  consume?: StdoutConsumer,
): Promise<RunResult> {
  const tools = options.tools ?? pathTools;
  const common = ["-hide_banner", "-nostdin", "-v", "error", "-stats", "-y"];
  return runTool(tools.ffmpeg, [...common, ...args], options, consume);
}

export async function runFfprobeJson(args: readonly string[], options: RunOptions = {}): Promise<unknown> {
  const tools = options.tools ?? pathTools;
  const { stdout } = await runTool(tools.ffprobe, ["-v", "error", "-of", "json", ...args], options);
  return JSON.parse(stdout.toString("utf8"));
}

export interface FfmpegVersion {
  version: string;
  major: number;
  minor: number;
}

const MINIMUM_MAJOR = 5;

/** Run once at start: a missing or old ffmpeg should stop the worker, not fail every job later. */
export async function checkFfmpegVersion(tools: FfmpegTools = pathTools): Promise<FfmpegVersion> {
  const { stdout } = await runTool(tools.ffmpeg, ["-version"]);
  await runTool(tools.ffprobe, ["-version"]);
  const version = /ffmpeg version (\S+)/.exec(stdout.toString("utf8"))?.[1];
  if (version === undefined) throw new FfmpegUnavailable(`${tools.ffmpeg} -version printed no version`);
  const release = /^n?(\d+)\.(\d+)/.exec(version);
  // Git snapshots ("N-112233-gabc") carry no release number and are newer than any release.
  if (release === null) return { version, major: Number.POSITIVE_INFINITY, minor: 0 };
  const major = Number(release[1]);
  const minor = Number(release[2]);
  if (major < MINIMUM_MAJOR) {
    throw new FfmpegUnavailable(`ffmpeg ${version} is too old: version ${MINIMUM_MAJOR} or newer is needed`);
  }
  return { version, major, minor };
}

/** ffmpeg's messages without its progress lines: what went wrong, or nothing for a clean run. */
export function stderrMessages(stderr: string): string[] {
  return stderr.split(/[\r\n]+/).filter((line) => line.trim() !== "" && !/^\s*(frame|size)=/.test(line));
}
