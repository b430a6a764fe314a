import pino from "pino";
import type { Config } from "../core/config.ts";
import type { OpenServices } from "../core/deps.ts";
import { DataDirInUse, dataDirHolder } from "../db/data-dir-lock.ts";
import { handOffToPortal } from "./hand-off.ts";
import { type ImportOutcome, type ImportRequest, importFile, readImportArgs } from "./import-file.ts";

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
): Promise<{ id: number; status: string; publish?: "when processed" }> {
  const request = await readImportArgs(args);
  const importer = openImporter(config, openServices);
  try {
    const { id, status } = await importer.run(request);
    return { id, status, ...(request.publish ? { publish: "when processed" as const } : {}) };
  } finally {
    await importer.close();
  }
}

/** Imports one request after another, in the portal that holds the data folder or in this process. */
export type Importer = { run(request: ImportRequest): Promise<ImportOutcome>; close(): Promise<void> };

export function openImporter(config: Config, openServices: OpenServices): Importer {
  let services: Awaited<ReturnType<OpenServices>> | null = null;
  return {
    async run(request) {
      if (services) return importFile(services.deps, request);
      return inPortalOrHere<ImportOutcome>(config, { command: "ingest", payload: request }, async () => {
        // stdout carries the answers only.
        services = await openServices(config, pino({ level: "warn" }, pino.destination(2)));
        return importFile(services.deps, request);
      });
    },
    async close() {
      await services?.close();
    },
  };
}

/**
 * Does `here` in this process, unless a portal holds the embedded data folder: then the work is
 * handed to it (`request`, which its inbox knows how to do). Also for app/'s `event:add`.
 */
export async function inPortalOrHere<T>(
  config: Config,
  request: { command: string; payload: unknown },
  here: () => Promise<T>,
): Promise<T> {
  if (!config.databaseUrl && portalHolds(config.dataDir)) {
    const handled = await handOffToPortal<T>(config.dataDir, request);
    if (handled !== null) return handled;
  }
  try {
    return await here();
  } catch (error) {
    // The portal started between our look at the lock and our opening the database.
    if (!(error instanceof DataDirInUse)) throw error;
    const handled = await handOffToPortal<T>(config.dataDir, request);
    if (handled === null) throw error;
    return handled;
  }
}

function portalHolds(dataDir: string): boolean {
  const holder = dataDirHolder(dataDir);
  return holder !== null && holder !== process.pid;
}
