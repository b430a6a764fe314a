import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createJobQueue, createQueues, jobQueue } from "../../src/db/jobs.ts";
import { ingestWorkRoot } from "../../src/ingest/process.ts";
import { recoverInterruptedJobs } from "../../src/ingest/recovery.ts";
import { openTestDatabase, testDbKind } from "../helpers/database.ts";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "ingest-recovery-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("recovering jobs a dead process left active", () => {
  it(`retries them at once on the embedded database, and leaves them to pg-boss's expiry on PostgreSQL (${testDbKind})`, async () => {
    const { db, drop } = await openTestDatabase();
    const boss = createJobQueue(db);
    try {
      await boss.start();
      await createQueues(boss);
      await jobQueue(boss).enqueue("media.process", 7);
      // Taken by a worker that then died: the job stays active.
      const [job] = await boss.fetch("media.process");
      expect(job).toBeDefined();
      mkdirSync(path.join(ingestWorkRoot(dataDir), "7-leftover"), { recursive: true });

      const { retried } = await recoverInterruptedJobs({ db, boss, dataDir });
      const [row] = await db.query<{ state: string }>("SELECT state FROM pgboss.job WHERE id = $1", [
        job!.id,
      ]);
      if (testDbKind === "pglite") {
        expect(retried).toBe(1);
        expect(row!.state).toBe("retry");
        expect(existsSync(ingestWorkRoot(dataDir))).toBe(false);
      } else {
        expect(retried).toBe(0);
        expect(row!.state).toBe("active");
      }
    } finally {
      await boss.stop({ graceful: false, wait: true });
      await drop();
    }
  });
});
