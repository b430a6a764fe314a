import { rm } from "node:fs/promises";
import type PgBoss from "pg-boss";
import type { Database } from "../db/database.ts";
import { activeJobIds, jobNames } from "../db/jobs.ts";
import { ingestWorkRoot } from "./process.ts";

/**
 * At the portal's start, with the embedded database only: no other process can be working, so
 * a job still "active" was cut off when the previous process died. It is failed now, which
 * pg-boss turns into a retry (or a failure once its retries are spent), instead of waiting
 * hours for its expiry. Temporary work folders of dead jobs are removed too.
 * With PostgreSQL other workers may be busy: nothing is touched, pg-boss's expiry takes over.
 */
export async function recoverInterruptedJobs(input: {
  db: Database;
  boss: PgBoss;
  dataDir: string;
}): Promise<{ retried: number }> {
  if (input.db.kind !== "pglite") return { retried: 0 };
  let retried = 0;
  for (const name of jobNames) {
    const ids = await activeJobIds(input.db, name);
    for (const id of ids) {
      await input.boss.fail(name, id, { message: "the process working this job stopped" });
    }
    retried += ids.length;
  }
  await rm(ingestWorkRoot(input.dataDir), { recursive: true, force: true });
  return { retried };
}
