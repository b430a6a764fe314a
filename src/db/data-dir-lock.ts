import fs from "node:fs";
import path from "node:path";

/**
 * The embedded database lives in files that only one process may open: a second
 * process would corrupt it. A pid file says who holds the folder; a stale one (its
 * process gone, e.g. after a crash) is taken over.
 *
 * Why not a locking package such as proper-lockfile: its locks go stale by time (a timer
 * refreshes their mtime), so after a kill -9 the next start would wait out that period, and an
 * event loop held up by the embedded database (it runs on that loop) could be taken for a dead
 * holder. A pid is checked at once and exactly, and one machine is all an embedded folder allows.
 * The file is created exclusively (O_EXCL), so two processes starting together cannot both win.
 */
export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${dataDir} is in use by another Pressroom process (pid ${pid}). ` +
        "Stop it first, or set DATABASE_URL to share a PostgreSQL server between processes.",
    );
  }
}

export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "pressroom.pid");
  // Twice at most: a second time after taking the file over from a process that is gone.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => {
        if (readHolder(file) === process.pid) fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(file);
    if (holder === process.pid) return () => fs.rmSync(file, { force: true });
    if (holder !== null && isAlive(holder)) throw new DataDirInUse(dataDir, holder);
    fs.rmSync(file, { force: true });
  }
  throw new DataDirInUse(dataDir, readHolder(file) ?? 0);
}

/** The pid of the process that holds the folder, or null when none does. */
export function dataDirHolder(dataDir: string): number | null {
  const holder = readHolder(path.join(dataDir, "pressroom.pid"));
  return holder !== null && isAlive(holder) ? holder : null;
}

function readHolder(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
