import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { inject } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { openPostgres } from "../../src/db/postgres.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const migrations = path.join(root, "src/db/migrations");
const execFileAsync = promisify(execFile);

/**
 * A migrated embedded database as a tar file, made once per set of migrations and PGlite version:
 * a new PGlite's initdb takes seconds in WebAssembly, loading a folder a fraction of that, and every
 * test file starts one (.test-data/, gitignored).
 */
async function migratedSnapshotFile(): Promise<string> {
  const hash = createHash("sha256");
  for (const name of (await readdir(migrations)).sort()) {
    hash.update(name).update(await readFile(path.join(migrations, name)));
  }
  const pglite = JSON.parse(
    await readFile(path.join(root, "node_modules/@electric-sql/pglite/package.json"), "utf8"),
  );
  hash.update(String(pglite.version));
  const file = path.join(root, ".test-data", `pglite-${hash.digest("hex").slice(0, 16)}.tar`);
  if (existsSync(file)) return file;
  const db = await openPglite(null);
  await migrate(db);
  const blob = await db.dumpDataDir();
  await db.close();
  await mkdir(path.dirname(file), { recursive: true });
  // Written beside its name and renamed: a run killed midway leaves no half file to load.
  const partial = `${file}.${process.pid}.part`;
  await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
  await rename(partial, file);
  return file;
}

async function migratedSnapshot(): Promise<Blob> {
  return new Blob([await readFile(await migratedSnapshotFile())]);
}

/**
 * A data folder whose embedded database is already made and migrated (`db/`, as src/db/connect.ts
 * opens it), for tests that start the portal or the CLI as a process: on an empty folder each
 * process first runs PGlite's initdb (5 s, twice that on a loaded machine). The first start on an
 * empty folder is tested by test/cli/demo-live.test.ts and test/demo/command.test.ts.
 */
export async function migratedDataDir(dataDir: string): Promise<string> {
  const db = path.join(dataDir, "db");
  await mkdir(db, { recursive: true });
  await execFileAsync("tar", ["-xf", await migratedSnapshotFile(), "-C", db]);
  return dataDir;
}

export const testDbKind = process.env.TEST_DB === "postgres" ? "postgres" : "pglite";

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or a new database in
 * the throwaway PostgreSQL cluster, dropped again by `drop`.
 */
export async function openTestDatabase(): Promise<{
  db: Database;
  url: string | null;
  drop(): Promise<void>;
}> {
  if (testDbKind === "pglite") {
    const db = await openPglite(null, { loadDataDir: await migratedSnapshot() });
    // Nothing to apply (the snapshot is of these migrations): this checks it.
    await migrate(db);
    return { db, url: null, drop: () => db.close() };
  }
  const adminUrl = inject("postgresUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const db = await openPostgres(url);
  await migrate(db);
  return {
    db,
    url,
    async drop() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
