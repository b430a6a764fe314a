import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import {
  createJobQueue,
  createQueues,
  enqueueWithin,
  type JobHandlers,
  type JobRun,
  jobPending,
  jobQueue,
  startWorkers,
  unfinishedJobs,
  type Workers,
} from "../../src/db/jobs.ts";
import { openTestDatabase, testDbKind } from "../helpers/database.ts";
import { waitUntil } from "../helpers/processes.ts";

// Short leases keep the test short; production uses JOB_LEASE_SECONDS (60 by default).
const lease = { leaseSeconds: 2 };
let db: Database;
let drop: () => Promise<void>;
let boss: PgBoss;
const lines: { msg: string; obj: object }[] = [];
const log = {
  info: (obj: object, msg?: string) => lines.push({ obj, msg: msg ?? "" }),
  warn: (obj: object, msg?: string) => lines.push({ obj, msg: msg ?? "" }),
  error: (obj: object, msg?: string) => lines.push({ obj, msg: msg ?? "" }),
};
const running: Workers[] = [];

beforeAll(async () => {
  ({ db, drop } = await openTestDatabase());
  boss = createJobQueue(db, lease);
  await boss.start();
  await createQueues(boss);
});
afterAll(async () => {
  await Promise.all(running.map((w) => w.stop()));
  await boss.stop({ graceful: false, wait: true });
  await drop();
});

/**
 * A process's workers: `media` handles "media.process", `send` "alerts.send"; the others are not
 * used here. They look for jobs every `pollingIntervalSeconds` when none is waiting.
 */
function work(
  media: (id: string, run: JobRun) => Promise<void>,
  send: (id: string, run: JobRun) => Promise<void> = async () => undefined,
  pollingIntervalSeconds = 0.2,
): Workers {
  const handlers: JobHandlers = {
    "alerts.announce": async () => undefined,
    "alerts.digest": async () => undefined,
    "alerts.send": send,
    "live.finish": async () => undefined,
    "live.headers": async () => undefined,
    "media.process": media,
    "newsletter.send": async () => undefined,
    "transcript.align": async () => undefined,
    "webhooks.deliver": async () => undefined,
  };
  const workers = startWorkers(boss, handlers, { db, log, ...lease, pollingIntervalSeconds });
  running.push(workers);
  return workers;
}

async function stateOf(key: string): Promise<string | undefined> {
  const rows = await db.query<{ state: string }>(
    "SELECT state FROM pgboss.job WHERE name = 'media.process' AND singleton_key = $1",
    [key],
  );
  return rows[0]?.state;
}

describe(`job queue in the database (${testDbKind})`, () => {
  it("runs a queued job, and retries one that failed until it succeeds", async () => {
    const attempts: number[] = [];
    const workers = work(async (id, run) => {
      if (id !== "flaky") return;
      attempts.push(run.attempt);
      if (attempts.length < 2) throw new Error("transient failure");
    });
    await jobQueue(boss, lease).enqueue("media.process", "flaky");
    expect(await waitUntil(async () => (await stateOf("flaky")) === "completed", 20_000)).toBe(true);
    expect(attempts).toEqual([0, 1]);
    await workers.stop();
  });

  // The portal queues a master's processing and a transcript's timing from its own requests: the
  // editor sees them start at once, not after the workers' next look for jobs (2 s by default).
  it("starts a job queued in this process at once, not at the workers' next poll, and one queued in a transaction once woken", async () => {
    const handled: string[] = [];
    await jobQueue(boss, lease).enqueue("media.process", "first");
    // Polling once a minute: only the first look, at start, can find a job by itself.
    const workers = work(
      async (id) => {
        handled.push(id);
      },
      undefined,
      60,
    );
    expect(await waitUntil(() => handled.includes("first"), 20_000)).toBe(true);
    await jobQueue(boss, lease).enqueue("media.process", "second");
    expect(await waitUntil(() => handled.includes("second"), 20_000)).toBe(true);
    // Queued with the rows it is about, in their transaction (webhook deliveries): woken after it.
    await db.transaction((tx) => enqueueWithin(tx, "media.process", ["third"], lease));
    jobQueue(boss, lease).wake("media.process");
    expect(await waitUntil(() => handled.includes("third"), 20_000)).toBe(true);
    await workers.stop();
  });

  it("takes up again, within a few seconds, a job whose process died, and says so in the log", async () => {
    await jobQueue(boss, lease).enqueue("media.process", "orphan");
    // A process takes the job, then dies: it never renews the lease, completes or fails.
    const [taken] = await boss.fetch("media.process");
    expect(taken).toBeDefined();
    const attempts: number[] = [];
    const workers = work(async (id, run) => {
      if (id === "orphan") attempts.push(run.attempt);
    });
    expect(await waitUntil(async () => (await stateOf("orphan")) === "completed", 20_000)).toBe(true);
    expect(attempts).toEqual([1]);
    const line = lines.find(
      (l) => l.msg.includes("taken up again") && (l.obj as { id?: string }).id === "orphan",
    );
    expect(line?.obj).toMatchObject({
      job: "media.process",
      attempt: 1,
      previous: expect.stringMatching(/timeout/),
    });
    await workers.stop();
  });

  it("keeps a job longer than its lease with the process working it: never worked twice at once", async () => {
    let runs = 0;
    let atOnce = 0;
    let most = 0;
    const slow = async (id: string) => {
      if (id !== "long") return;
      runs++;
      most = Math.max(most, ++atOnce);
      // Three leases of work while a second process polls for jobs.
      await new Promise((resolve) => setTimeout(resolve, 3 * lease.leaseSeconds * 1000));
      atOnce--;
    };
    const first = work(slow);
    const second = work(slow);
    await jobQueue(boss, lease).enqueue("media.process", "long");
    expect(await waitUntil(async () => (await stateOf("long")) === "completed", 30_000)).toBe(true);
    expect({ runs, most }).toEqual({ runs: 1, most: 1 });
    await Promise.all([first.stop(), second.stop()]);
  });

  it("runs one alert send at a time, whichever process fetches it: one queued meanwhile waits, then runs", async () => {
    let runs = 0;
    let atOnce = 0;
    let most = 0;
    // Sending a long batch of e-mails: a second send beside it would send the same ones again.
    const send = async () => {
      runs++;
      most = Math.max(most, ++atOnce);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      atOnce--;
    };
    const first = work(async () => undefined, send);
    const second = work(async () => undefined, send);
    const queue = jobQueue(boss, lease);
    await queue.enqueue("alerts.send", "all");
    expect(await waitUntil(() => runs === 1, 10_000)).toBe(true);
    // An item announced while the first sends queues another.
    await queue.enqueue("alerts.send", "all");
    expect(await waitUntil(() => runs === 2 && atOnce === 0, 20_000)).toBe(true);
    expect(most).toBe(1);
    await Promise.all([first.stop(), second.stop()]);
  });

  it("shows the operator what is stuck: a job that spent its tries, with why, and no longer pending", async () => {
    await boss.send("media.process", { id: "spent" }, { singletonKey: "spent", retryLimit: 0 });
    const [job] = await boss.fetch("media.process");
    await boss.fail("media.process", job!.id, { message: "storage unreachable" });
    const row = (await unfinishedJobs(db)).find((j) => j.id === "spent");
    expect(row).toMatchObject({
      name: "media.process",
      state: "failed",
      attempt: 0,
      reason: "storage unreachable",
    });
    expect(await jobPending(db, "media.process", "spent")).toBe(false);
    await jobQueue(boss, lease).enqueue("media.process", "spent");
    expect(await jobPending(db, "media.process", "spent")).toBe(true);
  });

  it("hands a running job back for a retry when its process stops, and stops its work", async () => {
    let aborted = false;
    const workers = work(async (id, run) => {
      if (id !== "stopping") return;
      await new Promise<void>((resolve) => run.signal.addEventListener("abort", () => resolve()));
      aborted = true;
      throw run.signal.reason;
    });
    await jobQueue(boss, lease).enqueue("media.process", "stopping");
    expect(await waitUntil(async () => (await stateOf("stopping")) === "active", 10_000)).toBe(true);
    await workers.stop();
    expect(aborted).toBe(true);
    expect(await stateOf("stopping")).toBe("retry");
  });
});
