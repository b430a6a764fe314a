import pino from "pino";
import type { Config } from "../config.ts";
import { DataDirInUse, dataDirHolder } from "../db/data-dir-lock.ts";
import { createQueues, jobQueue } from "../db/jobs.ts";
import { createMailer } from "../mail/transport.ts";
import { openRuntime, outboxDir } from "../runtime.ts";
import { createFeatureDeps } from "../services.ts";
import { createStorage } from "../storage/index.ts";
import { handOffToPortal } from "./hand-off.ts";
import { type ImportRequest, importFile, readImportArgs } from "./import-file.ts";

/**
 * `ingest FILE --event SLUG ...`: the new item as JSON. With the embedded database only one
 * process may open the data folder, so when a portal holds it the work is handed to that
 * portal through DATA_DIR/inbox; otherwise (portal stopped, or PostgreSQL) this process
 * imports the file and queues its processing for whichever portal or worker runs next.
 */
export async function runImportCommand(
  config: Config,
  args: string[],
): Promise<{ id: number; status: string }> {
  const request = await readImportArgs(args);
  if (!config.databaseUrl && portalHolds(config.dataDir)) {
    const handled = await handOffToPortal(config.dataDir, request);
    if (handled) return handled;
  }
  try {
    return await importHere(config, request);
  } catch (error) {
    // The portal started between our look at the lock and our opening the database.
    if (!(error instanceof DataDirInUse)) throw error;
    const handled = await handOffToPortal(config.dataDir, request);
    if (!handled) throw error;
    return handled;
  }
}

function portalHolds(dataDir: string): boolean {
  const holder = dataDirHolder(dataDir);
  return holder !== null && holder !== process.pid;
}

async function importHere(config: Config, request: ImportRequest) {
  const runtime = await openRuntime(config);
  // stdout carries the JSON answer only.
  const log = pino({ level: "warn" }, pino.destination(2));
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
      storage: createStorage(config.storage),
      jobs: jobQueue(runtime.boss),
      log,
    });
    const item = await importFile(deps, request);
    return { id: item.id, status: item.status };
  } finally {
    mailer.close();
    await runtime.close();
  }
}
