import { randomBytes } from "node:crypto";
import path from "node:path";
import type PgBoss from "pg-boss";
import { respellStoredAddresses } from "../accounts/respell-addresses.ts";
import { secret } from "../accounts/store.ts";
import { createAfterAnswer } from "../core/after-answer.ts";
import type { Config } from "../core/config.ts";
import type { FeatureDeps, Logger } from "../core/deps.ts";
import type { Mailer } from "../core/mailer.ts";
import { openDatabase } from "../db/connect.ts";
import { lockDataDir } from "../db/data-dir-lock.ts";
import type { Database } from "../db/database.ts";
import { createJobQueue, createQueues, type JobQueue, jobQueue } from "../db/jobs.ts";
import { migrate } from "../db/migrate.ts";
import { warmClipHeaders } from "../downloads/clip-headers.ts";
import { createMailer } from "../mail/transport.ts";
import { createStorage } from "../storage/index.ts";
import type { Storage } from "../storage/storage.ts";

/** Where e-mail goes when no SMTP server is configured. */
export function outboxDir(config: Config): string {
  return path.join(config.dataDir, "outbox");
}

export type Runtime = { db: Database; boss: PgBoss; close(): Promise<void> };

/**
 * The database (migrated) and the job queue, as every process needs them. With the embedded
 * database the data folder is locked first: one process at a time.
 */
export async function openRuntime(config: Config): Promise<Runtime> {
  const unlock = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir);
  try {
    const db = await openDatabase(config);
    await migrate(db);
    const boss = createJobQueue(db, config.jobs);
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

/** Everything the features share, built once per process (web, worker or command). */
export async function createFeatureDeps(input: {
  config: Config;
  db: Database;
  mailer: Mailer;
  storage: Storage;
  jobs: JobQueue;
  log: Logger;
  now?: () => Date;
  random?: (max: number) => number;
}): Promise<FeatureDeps> {
  return {
    ...input,
    now: input.now ?? (() => new Date()),
    secret: await secret(input.db, "hmac", () => randomBytes(32).toString("hex")),
    afterAnswer: createAfterAnswer(input.log),
    warmClipHeaders: (warm) => warmClipHeaders(input.storage, input.log, warm),
  };
}

export type Services = { runtime: Runtime; deps: FeatureDeps; close(): Promise<void> };

/**
 * Everything a process needs to do product work: the runtime, the job queue started, mail,
 * storage and the features' shared dependencies. For the portal, workers and commands.
 */
export async function openServices(config: Config, log: Logger): Promise<Services> {
  const runtime = await openRuntime(config);
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    outboxDir: outboxDir(config),
    log,
  });
  try {
    // Accounts stored before addresses had one form (accounts/email-address.ts).
    await respellStoredAddresses({ db: runtime.db, log, now: () => new Date() });
    await runtime.boss.start();
    await createQueues(runtime.boss);
    const deps = await createFeatureDeps({
      config,
      db: runtime.db,
      mailer,
      storage: await createStorage(config.storage),
      jobs: jobQueue(runtime.boss, config.jobs),
      log,
    });
    return {
      runtime,
      deps,
      async close() {
        await deps.afterAnswer.settled();
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
