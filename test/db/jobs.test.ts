import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { createJobQueue } from "../../src/db/jobs.ts";
import { openTestDatabase, testDbKind } from "../helpers/database.ts";

let db: Database;
let drop: () => Promise<void>;
let boss: PgBoss;

beforeAll(async () => {
  ({ db, drop } = await openTestDatabase());
  boss = createJobQueue(db);
  await boss.start();
});
afterAll(async () => {
  await boss.stop({ graceful: false, wait: true });
  await drop();
});

describe(`job queue in the database (${testDbKind})`, () => {
  it("runs a queued job, and retries one that failed until it succeeds", async () => {
    await boss.createQueue("test-flaky");
    const attempts: string[] = [];
    const finished = new Promise<void>((resolve) => {
      void boss.work<{ id: string }>("test-flaky", { pollingIntervalSeconds: 0.5 }, async ([job]) => {
        attempts.push(job!.data.id);
        if (attempts.length < 2) throw new Error("transient failure");
        resolve();
      });
    });
    await boss.send("test-flaky", { id: "item-1" }, { retryLimit: 3, retryDelay: 0 });
    await finished;
    expect(attempts).toEqual(["item-1", "item-1"]);
  });

  it("keeps queued jobs in the database for whichever process works next", async () => {
    await boss.createQueue("test-later");
    const id = await boss.send("test-later", { id: "x" });
    const rows = await db.query<{ state: string }>("SELECT state FROM pgboss.job WHERE id = $1", [id]);
    expect(rows[0]?.state).toBe("created");
  });
});
