import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  ffmpeg: string;
  node: string;
  kernel: string;
}

export function machine(): Machine {
  let ffmpeg = "not found";
  try {
    const first = execFileSync(process.env.FFMPEG_PATH ?? "ffmpeg", ["-version"], { encoding: "utf8" }).split(
      "\n",
    )[0];
    ffmpeg = /ffmpeg version (\S+)/.exec(first ?? "")?.[1] ?? (first ?? "").trim();
  } catch {
    // Reported as not found.
  }
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    ffmpeg,
    node: process.version,
    kernel: os.release(),
  };
}

/** 1-minute load average: other work on the machine (a test suite, another bench) skews timings. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" / ");
}

/** Resident memory of a process in bytes (VmRSS), or null once it is gone. */
export function residentBytes(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) used so far by a process and its children (nginx's workers), in seconds. */
export function treeCpuSeconds(pid: number): number {
  let total = cpuSeconds(pid) ?? 0;
  for (const child of childPids(pid)) total += treeCpuSeconds(child);
  return total;
}

function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8")
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

/** CPU time (user + system) a process has used so far, in seconds. */
export function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat; after "pid (comm) " they are 12th and 13th.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / 100 : null;
  } catch {
    return null;
  }
}
