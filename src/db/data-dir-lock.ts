import fs from "node:fs";
import path from "node:path";

/**
 * The embedded database lives in files that only one process may open: a second
 * process would corrupt it. A pid file says who holds the folder; a stale one (its
 * process gone, e.g. after a crash) is taken over.
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
  const holder = readHolder(file);
  if (holder !== null && holder !== process.pid && isAlive(holder)) throw new DataDirInUse(dataDir, holder);
  fs.writeFileSync(file, String(process.pid));
  return () => {
    if (readHolder(file) === process.pid) fs.rmSync(file, { force: true });
  };
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
