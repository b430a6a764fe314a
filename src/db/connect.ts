import path from "node:path";
import type { Database } from "./database.ts";

/**
 * PostgreSQL when DATABASE_URL is set, otherwise the embedded database in DATA_DIR/db. Each is
 * loaded only when chosen: a process on PostgreSQL need not hold PGlite's code (~35 MB of memory).
 */
export async function openDatabase(config: {
  databaseUrl: string | null;
  dataDir: string;
  pglite: { sharedBuffersMb: number };
}): Promise<Database> {
  if (config.databaseUrl) {
    const { openPostgres } = await import("./postgres.ts");
    return openPostgres(config.databaseUrl);
  }
  const { openPglite } = await import("./pglite.ts");
  return openPglite(path.join(config.dataDir, "db"), { sharedBuffersMb: config.pglite.sharedBuffersMb });
}
