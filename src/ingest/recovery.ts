import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import type PgBoss from "pg-boss";
import type { Database } from "../db/database.ts";
import { activeJobIds, activeJobKeys, jobNames } from "../db/jobs.ts";
import { ingestWorkRoot } from "./process.ts";

/**
 * At the start of a process that works jobs.
 * Embedded database: no other process can be working, so a job still "active" was cut off when
 * the previous process died. It is failed now, which pg-boss turns into a retry (or a failure
 * once its retries are spent), without waiting for its lease to lapse.
 * PostgreSQL: other processes may be busy; a dead one's jobs come back when their lease lapses
 * (db/job-worker.ts), so only the work folders are tidied: those of items no job is running for
 * (a running item's folder is removed by its next run if its process is the dead one).
 */
export async function recoverInterruptedJobs(input: {
  db: Database;
  boss: PgBoss;
  dataDir: string;
}): Promise<{ retried: number; removedFolders: number }> {
  const root = ingestWorkRoot(input.dataDir);
  // Listed before the jobs are read: a folder made after this belongs to a job seen running below.
  const folders = await readdir(root).catch(() => [] as string[]);
  let retried = 0;
  if (input.db.kind === "pglite") {
    for (const name of jobNames) {
      const ids = await activeJobIds(input.db, name);
      for (const id of ids) {
        await input.boss.fail(name, id, { message: "the process working this job stopped" });
      }
      retried += ids.length;
    }
  }
  const running = new Set(await activeJobKeys(input.db, "media.process"));
  const left = folders.filter((name) => !running.has(name.split("-")[0]!));
  for (const name of left) await rm(path.join(root, name), { recursive: true, force: true });
  return { retried, removedFolders: left.length };
}
