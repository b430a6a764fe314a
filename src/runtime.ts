import path from "node:path";
import type PgBoss from "pg-boss";
import type { Config } from "./config.ts";
import { openDatabase } from "./db/connect.ts";
import { lockDataDir } from "./db/data-dir-lock.ts";
import type { Database } from "./db/database.ts";
import { createJobQueue } from "./db/jobs.ts";
import { migrate } from "./db/migrate.ts";

export type Runtime = { db: Database; boss: PgBoss; close(): Promise<void> };

/**
 * The database (migrated) and the job queue, as every process needs them. With the
 * embedded database the data folder is locked first: one process at a time.
 */
export async function openRuntime(config: Config): Promise<Runtime> {
  const unlock = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir);
  try {
    const db = await openDatabase(config);
    await migrate(db);
    const boss = createJobQueue(db);
    return {
      db,
      boss,
      async close() {
        await boss.stop({ graceful: true, wait: true }).catch(() => undefined);
        await db.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

export function outboxDir(config: Config): string {
  return path.join(config.dataDir, "outbox");
}
