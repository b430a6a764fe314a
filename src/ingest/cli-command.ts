import pino from "pino";
import type { Config } from "../core/config.ts";
import type { OpenServices } from "../core/deps.ts";
import { DataDirInUse, dataDirHolder } from "../db/data-dir-lock.ts";
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
  openServices: OpenServices,
): Promise<{ id: number; status: string }> {
  const request = await readImportArgs(args);
  if (!config.databaseUrl && portalHolds(config.dataDir)) {
    const handled = await handOffToPortal(config.dataDir, request);
    if (handled) return handled;
  }
  try {
    return await importHere(config, request, openServices);
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

async function importHere(config: Config, request: ImportRequest, openServices: OpenServices) {
  // stdout carries the JSON answer only.
  const { deps, close } = await openServices(config, pino({ level: "warn" }, pino.destination(2)));
  try {
    const item = await importFile(deps, request);
    return { id: item.id, status: item.status };
  } finally {
    await close();
  }
}
