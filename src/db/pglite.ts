import fs from "node:fs/promises";
import { setImmediate as nextTurn } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import type { Database, Row } from "./database.ts";
import { DEFAULT_PGLITE_SHARED_BUFFERS_MB } from "./settings.ts";

/**
 * Embedded PostgreSQL (WASM). `dir` null keeps everything in memory (tests).
 *
 * Settings go on PostgreSQL's command line (`-c`), not into the data folder's postgresql.conf,
 * which PGlite would overwrite whole: a folder opened with other settings stays as initdb left it.
 *
 * PGlite runs in this thread, and its answers resolve as microtasks: a job chaining statements
 * would never let the event loop reach a request. Each statement or transaction begun outside a
 * transaction therefore waits one turn of the loop first, so requests and jobs take turns.
 * Statements inside a transaction do not: the transaction holds the database either way.
 */

/** The embedded database, which can also write its data folder out as one tar file. */
export type PgliteDatabase = Database & { dumpDataDir(): Promise<Blob> };

export async function openPglite(
  dir: string | null,
  options: {
    sharedBuffersMb?: number;
    /** A data folder written by dumpDataDir: starts from it instead of making a new one (tests). */
    loadDataDir?: Blob;
  } = {},
): Promise<PgliteDatabase> {
  if (dir) await fs.mkdir(dir, { recursive: true });
  const sharedBuffers = options.sharedBuffersMb ?? DEFAULT_PGLITE_SHARED_BUFFERS_MB;
  const db = await PGlite.create(dir ?? undefined, {
    extensions: { unaccent },
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${sharedBuffers}MB`],
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  return {
    dumpDataDir: () => db.dumpDataDir("none"),
    kind: "pglite",
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      await nextTurn();
      const result = await db.query<T>(sql, params);
      return result.rows;
    },
    async exec(sql: string) {
      await nextTurn();
      const results = await db.exec(sql);
      return (results.at(-1)?.rows ?? []) as Row[];
    },
    async transaction(work) {
      await nextTurn();
      return db.transaction((tx) =>
        work({
          async query<T extends Row>(sql: string, params: unknown[] = []) {
            return (await tx.query<T>(sql, params)).rows;
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        }),
      );
    },
    async close() {
      await db.close();
    },
  };
}
