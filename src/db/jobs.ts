import PgBoss from "pg-boss";
import type { Database, Queryable } from "./database.ts";

/**
 * The job queue lives in the same database (pg-boss). On PGlite it runs through this
 * adapter; pg-boss sends its multi-statement scripts without parameters, which `exec` runs.
 */
export function createJobQueue(db: Database): PgBoss {
  const adapter = {
    async executeSql(text: string, values?: unknown[]) {
      const rows = values && values.length > 0 ? await db.query(text, values) : await db.exec(text);
      return { rows };
    },
  };
  // pg-boss's types describe `db` as its own Db class; only executeSql is used.
  return new PgBoss({ db: adapter as unknown as PgBoss.ConstructorOptions["db"], schema: "pgboss" });
}

/** Every job the application knows. Jobs carry an id, never a payload; handlers can run twice safely. */
export const jobNames = ["media.process", "newsletter.send"] as const;
export type JobName = (typeof jobNames)[number];
export type JobHandler = (id: string) => Promise<void>;
export type JobHandlers = Record<JobName, JobHandler>;

export type JobQueue = {
  /** Queues `name` for `id`; while one is queued or running for the same id, a second is not added. */
  enqueue(name: JobName, id: string | number): Promise<void>;
};

const retry = { retryLimit: 5, retryDelay: 10, retryBackoff: true } as const;
// A job whose worker died is taken back after this long and retried.
const expireInSeconds: Record<JobName, number> = { "media.process": 4 * 60 * 60, "newsletter.send": 30 * 60 };

/** Ids of the jobs of `name` that pg-boss holds as running (its own table, in its schema). */
export async function activeJobIds(db: Queryable, name: JobName): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    "SELECT id::text AS id FROM pgboss.job WHERE name = $1 AND state = 'active'",
    [name],
  );
  return rows.map((r) => r.id);
}

export async function createQueues(boss: PgBoss): Promise<void> {
  for (const name of jobNames) await boss.createQueue(name);
}

export function jobQueue(boss: PgBoss): JobQueue {
  return {
    async enqueue(name, id) {
      await boss.send(
        name,
        { id: String(id) },
        { ...retry, expireInSeconds: expireInSeconds[name], singletonKey: String(id) },
      );
    },
  };
}

export async function startWorkers(
  boss: PgBoss,
  handlers: JobHandlers,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<void> {
  for (const name of jobNames) {
    const handler = handlers[name];
    if (!handler) throw new Error(`No handler for job "${name}"`);
    await boss.work<{ id: string }>(
      name,
      { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
      async (jobs) => {
        for (const job of jobs) await handler(job.data.id);
      },
    );
  }
}
