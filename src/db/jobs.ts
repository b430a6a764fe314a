import PgBoss from "pg-boss";
import type { Database, Queryable } from "./database.ts";
import { type JobLog, type JobRun, wakeWorkers, workQueue } from "./job-worker.ts";

export type { JobRun } from "./job-worker.ts";

/**
 * The job queue lives in the same database (pg-boss). On PGlite it runs through this
 * adapter; pg-boss sends its multi-statement scripts without parameters, which `exec` runs.
 * Its maintenance (which, among other things, hands back jobs whose lease lapsed) runs in one
 * process at a time, twice per lease, so a dead process's job waits at most about 1.5 leases.
 */
export function createJobQueue(db: Database, options: { leaseSeconds: number }): PgBoss {
  const adapter = {
    async executeSql(text: string, values?: unknown[]) {
      const rows = values && values.length > 0 ? await db.query(text, values) : await db.exec(text);
      return { rows };
    },
  };
  return new PgBoss({
    // pg-boss's types describe `db` as its own Db class; only executeSql is used.
    db: adapter as unknown as PgBoss.ConstructorOptions["db"],
    schema: "pgboss",
    maintenanceIntervalSeconds: Math.max(1, Math.round(options.leaseSeconds / 2)),
  });
}

/** Every job the application knows. Jobs carry an id, never a payload; handlers can run twice safely. */
export const jobNames = [
  "alerts.announce",
  "alerts.digest",
  "alerts.send",
  "live.finish",
  "live.headers",
  "media.process",
  "newsletter.send",
  "transcript.align",
  "webhooks.deliver",
] as const;
export type JobName = (typeof jobNames)[number];
export type JobHandler = (id: string, run: JobRun) => Promise<void>;
export type JobHandlers = Record<JobName, JobHandler>;

export type JobQueue = {
  /**
   * Queues `name` for `id`. A second for the same id may be queued beside the first (handlers can run
   * twice safely); those of `oneAtATime` queues then run one after the other, never together.
   */
  enqueue(name: JobName, id: string | number, options?: EnqueueOptions): Promise<void>;
  /**
   * Wakes this process's idle workers of `name` (`enqueue` does it by itself): for jobs queued
   * inside a transaction (`enqueueWithin`), once that has committed.
   */
  wake(name: JobName): void;
};

export type EnqueueOptions = {
  /** Not before this many seconds from now, by the database's clock (so no clock skew between hosts). */
  delaySeconds?: number;
};

/** Ids of the jobs of `name` that pg-boss holds as running (its own table, in its schema). */
export async function activeJobIds(db: Queryable, name: JobName): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    "SELECT id::text AS id FROM pgboss.job WHERE name = $1 AND state = 'active'",
    [name],
  );
  return rows.map((r) => r.id);
}

/** The ids (job keys) the running jobs of `name` work on, e.g. item ids for "media.process". */
export async function activeJobKeys(db: Queryable, name: JobName): Promise<string[]> {
  const rows = await db.query<{ key: string }>(
    "SELECT singleton_key AS key FROM pgboss.job WHERE name = $1 AND state = 'active'",
    [name],
  );
  return rows.map((r) => r.key);
}

/**
 * Whether the job of `name` for `id` is being retried: waiting for its next try, running again
 * after an interrupted or failed one, or running in a process that stopped renewing its lease
 * (half a lease without news: that process is gone, the job will be taken up again).
 */
export async function jobIsRetrying(db: Queryable, name: JobName, id: string | number): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND (
       state = 'retry' OR (state = 'active' AND (retry_count > 0 OR started_on + expire_in / 2 < now())))`,
    [name, String(id)],
  );
  return rows.length > 0;
}

/** A job as an operator reads it (`npm run cli -- jobs`). */
export type JobSummary = {
  name: string;
  /** What it works on: an item id, an issue id. */
  id: string;
  state: string;
  /** 0 for the first run. */
  attempt: number;
  startedOn: Date | null;
  /** Why the last run ended, for a retry or a failure. */
  reason: string | null;
};

/** Jobs not completed: waiting, running, waiting for a retry, or failed once their tries were spent. */
export async function unfinishedJobs(db: Queryable): Promise<JobSummary[]> {
  const rows = await db.query<{
    name: string;
    id: string;
    state: string;
    attempt: number;
    started_on: Date | null;
    output: { message?: string; value?: { message?: string } } | null;
  }>(
    `SELECT name, singleton_key AS id, state::text AS state, retry_count AS attempt, started_on, output
     FROM pgboss.job WHERE name = ANY($1) AND state IN ('created', 'retry', 'active', 'failed')
     ORDER BY created_on`,
    [[...jobNames]],
  );
  return rows.map((r) => ({
    name: r.name,
    id: r.id,
    state: r.state,
    attempt: r.attempt,
    startedOn: r.started_on,
    reason: r.output?.message ?? r.output?.value?.message ?? null,
  }));
}

/** Whether a job of `name` for `id` is waiting, running or waiting for a retry. */
export async function jobPending(db: Queryable, name: JobName, id: string | number): Promise<boolean> {
  const rows = await db.query(
    "SELECT 1 FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry', 'active')",
    [name, String(id)],
  );
  return rows.length > 0;
}

/**
 * Jobs that must never run twice at once for one id, in whichever processes: a second "alerts.send"
 * beside the first would send the same pending e-mails again (their rows have no claim, unlike the
 * newsletter's). pg-boss's "standard" queues let two jobs with one singleton key be active together;
 * a "singleton" queue fetches another only when none of its key is active (the next waits, queued).
 */
const oneAtATime: readonly JobName[] = ["alerts.send", "alerts.digest"];

export async function createQueues(boss: PgBoss): Promise<void> {
  for (const name of jobNames) {
    const policy = oneAtATime.includes(name) ? "singleton" : "standard";
    await boss.createQueue(name, { name, policy });
    // A queue made before its policy was chosen here gets it too (createQueue leaves one that exists).
    await boss.updateQueue(name, { name, policy });
  }
}

export function jobQueue(boss: PgBoss, options: { leaseSeconds: number }): JobQueue {
  return {
    async enqueue(name, id, more = {}) {
      const delay = more.delaySeconds ? { startAfter: Math.max(1, Math.ceil(more.delaySeconds)) } : {};
      await boss.send(name, { id: String(id) }, { ...sendOptions(id, options.leaseSeconds), ...delay });
      // Committed: a worker of this process may take it now rather than at its next poll.
      if (!more.delaySeconds) wakeWorkers(boss, name);
    },
    wake(name) {
      wakeWorkers(boss, name);
    },
  };
}

function sendOptions(id: string | number, leaseSeconds: number) {
  return {
    // The lease: a running job keeps moving its start forward (job-worker.ts).
    expireInSeconds: leaseSeconds,
    // Five more tries, the first after a sixth of a lease (10 s by default), doubling each time.
    retryLimit: 5,
    retryDelay: Math.max(1, Math.round(leaseSeconds / 6)),
    retryBackoff: true,
    singletonKey: String(id),
  };
}

// pg-boss's own SQL for adding jobs, run through whatever connection a call passes: never started,
// it holds no connection and no timer of its own.
let detached: PgBoss | null = null;

/**
 * Queues `name` for each of `ids` inside the caller's transaction `tx`: the jobs exist if and
 * only if the transaction commits, so work recorded in it can be neither lost (a crash between
 * commit and enqueue) nor started early (before commit). One statement for all of them.
 */
export async function enqueueWithin(
  tx: Queryable,
  name: JobName,
  ids: (string | number)[],
  options: { leaseSeconds: number } & EnqueueOptions,
): Promise<void> {
  if (ids.length === 0) return;
  const delay = options.delaySeconds
    ? { startAfter: String(Math.max(1, Math.ceil(options.delaySeconds))) }
    : {};
  const unused = async () => {
    throw new Error("the detached job sender has no connection of its own");
  };
  detached ??= new PgBoss({
    db: { executeSql: unused } as unknown as PgBoss.ConstructorOptions["db"],
    schema: "pgboss",
  });
  const db = {
    executeSql: async (text: string, values?: unknown[]) => ({ rows: await tx.query(text, values) }),
  };
  const jobs = ids.map((id) => ({
    name,
    data: { id: String(id) },
    ...sendOptions(id, options.leaseSeconds),
    ...delay,
  }));
  await detached.insert(jobs, { db });
}

export type Workers = { stop(): Promise<void> };

/** Works every queue in this process until `stop`, which hands running jobs back for a retry. */
export function startWorkers(
  boss: PgBoss,
  handlers: JobHandlers,
  options: { db: Queryable; log: JobLog; leaseSeconds: number; pollingIntervalSeconds?: number },
): Workers {
  const queues = jobNames.map((name) => {
    const handler = handlers[name];
    if (!handler) throw new Error(`No handler for job "${name}"`);
    return workQueue(boss, name, handler, {
      ...options,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
    });
  });
  return {
    async stop() {
      await Promise.all(queues.map((queue) => queue.stop()));
    },
  };
}
