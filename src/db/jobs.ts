import PgBoss from "pg-boss";
import type { Database } from "./database.ts";

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

/** Every job the application knows; the process refuses to start if one has no handler. */
export const jobNames: readonly string[] = [];
export type JobHandlers = Record<string, (data: { id: string }) => Promise<void>>;

export async function startWorkers(boss: PgBoss, handlers: JobHandlers): Promise<void> {
  for (const name of jobNames) {
    const handler = handlers[name];
    if (!handler) throw new Error(`No handler for job "${name}"`);
    await boss.createQueue(name);
    await boss.work<{ id: string }>(name, { pollingIntervalSeconds: 1 }, async (jobs) => {
      for (const job of jobs) await handler(job.data);
    });
  }
}
