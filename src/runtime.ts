import path from "node:path";
import type PgBoss from "pg-boss";
import type { Config } from "./config.ts";
import { openDatabase } from "./db/connect.ts";
import { lockDataDir } from "./db/data-dir-lock.ts";
import type { Database } from "./db/database.ts";
import { createJobQueue, createQueues, jobQueue } from "./db/jobs.ts";
import { migrate } from "./db/migrate.ts";
import type { FeatureDeps } from "./features.ts";
import { createMailer } from "./mail/transport.ts";
import { createFeatureDeps } from "./services.ts";
import { createStorage } from "./storage/index.ts";

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

/**
 * Everything a process needs to do product work: the runtime above, the job queue started,
 * mail, storage and the features' shared dependencies. For the portal, workers and CLI commands.
 */
export async function openServices(config: Config, log: FeatureDeps["log"]) {
  const runtime = await openRuntime(config);
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    outboxDir: outboxDir(config),
    log,
  });
  try {
    await runtime.boss.start();
    await createQueues(runtime.boss);
    const deps = await createFeatureDeps({
      config,
      db: runtime.db,
      mailer,
      storage: await createStorage(config.storage),
      jobs: jobQueue(runtime.boss),
      log,
    });
    return {
      runtime,
      deps,
      async close() {
        mailer.close();
        await runtime.close();
      },
    };
  } catch (error) {
    mailer.close();
    await runtime.close();
    throw error;
  }
}
