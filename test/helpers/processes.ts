import { readdirSync, readFileSync } from "node:fs";

/** A process as /proc shows it: its command name, parent, state and nice value. */
export type ProcInfo = { pid: number; comm: string; ppid: number; state: string; nice: number };

export function procInfo(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The name is in parentheses and may hold spaces; the fields after it are fixed.
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, comm, state: rest[0]!, ppid: Number(rest[1]), nice: Number(rest[16]) };
  } catch {
    return null;
  }
}

/** Processes whose parent is `ppid` (optionally only those named `comm`). */
export function childrenOf(ppid: number, comm?: string): ProcInfo[] {
  const found: ProcInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const info = procInfo(Number(name));
    if (info && info.ppid === ppid && (comm === undefined || info.comm === comm)) found.push(info);
  }
  return found;
}

/** Alive and running: gone, or dead and waiting to be reaped (a zombie), counts as not. */
export function isAlive(pid: number): boolean {
  const info = procInfo(pid);
  return info !== null && info.state !== "Z" && info.state !== "X";
}

/** Polls `check` every 100 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
