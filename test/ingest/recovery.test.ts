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
  it(`retries them at once on the embedded database, leaves them to their lease on PostgreSQL, and removes dead work folders on both (${testDbKind})`, async () => {
    const { db, drop } = await openTestDatabase();
    const lease = { leaseSeconds: 60 };
    const boss = createJobQueue(db, lease);
    try {
      await boss.start();
      await createQueues(boss);
      await jobQueue(boss, lease).enqueue("media.process", 7);
      // Taken by a worker that then died: the job stays active.
      const [job] = await boss.fetch("media.process");
      expect(job).toBeDefined();
      const running = path.join(ingestWorkRoot(dataDir), "7-leftover");
      const finished = path.join(ingestWorkRoot(dataDir), "8-leftover");
      mkdirSync(running, { recursive: true });
      mkdirSync(finished, { recursive: true });

      const { retried } = await recoverInterruptedJobs({ db, boss, dataDir });
      const [row] = await db.query<{ state: string }>("SELECT state FROM pgboss.job WHERE id = $1", [
        job!.id,
      ]);
      // Item 8 has no job running: its folder is a dead run's, whatever the database.
      expect(existsSync(finished)).toBe(false);
      if (testDbKind === "pglite") {
        expect(retried).toBe(1);
        expect(row!.state).toBe("retry");
        expect(existsSync(running)).toBe(false);
      } else {
        // Another live process may be working item 7: its job and folder are left alone.
        expect(retried).toBe(0);
        expect(row!.state).toBe("active");
        expect(existsSync(running)).toBe(true);
      }
    } finally {
      await boss.stop({ graceful: false, wait: true });
      await drop();
    }
  });
});
