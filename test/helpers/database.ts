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
import { openPglite, type PgliteDatabase } from "../../src/db/pglite.ts";
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
 * the throwaway PostgreSQL cluster (copied from its migrated template), dropped again by `drop`.
 */
export async function openTestDatabase(): Promise<{
  db: Database;
  url: string | null;
  drop(): Promise<void>;
}> {
  if (testDbKind === "pglite") {
    const db = idlePglite.pop() ?? (await openPglite(null, { loadDataDir: await migratedSnapshot() }));
    // Nothing to apply (the snapshot is of these migrations): this checks it.
    await migrate(db);
    // Described once, untouched, to put used ones back to it.
    pristine ??= describePristine(db);
    const before = await pristine;
    return { db, url: null, drop: () => release(db, before) };
  }
  const adminUrl = inject("postgresUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject("postgresTemplate")}`);
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

/**
 * Embedded databases given back by the files before, put back as the snapshot left them. Starting
 * PGlite from the snapshot takes about a second (the WebAssembly PostgreSQL starting, the data
 * folder unpacked), and the files of a worker run one after the other (`isolate: false`).
 */
const idlePglite: PgliteDatabase[] = [];

/** What a freshly opened snapshot holds, to put a used database back to it. */
type Pristine = {
  schemas: string[];
  /** Quoted names; the columns that can be written (not generated), and the rows as JSON. */
  tables: { name: string; columns: string; json: string | null }[];
  sequences: { name: string; lastValue: string | null }[];
  fingerprint: string;
};
let pristine: Promise<Pristine> | null = null;

const userSchemas = `n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

/**
 * The schema as the database describes it (relations and their options, columns, constraints,
 * indexes, functions, triggers, extensions) and which tables the planner has statistics for: two
 * databases with the same fingerprint and the same rows answer every test the same.
 */
async function fingerprint(db: Database): Promise<string> {
  const [row] = await db.query<{ md5: string }>(
    `SELECT md5(string_agg(line, E'\\n' ORDER BY line)) AS md5 FROM (
       SELECT format('rel %s.%s %s %s %s', n.nspname, c.relname, c.relkind, c.reloptions,
                     (SELECT count(*) FROM pg_statistic s WHERE s.starelid = c.oid)) AS line
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${userSchemas}
       UNION ALL
       SELECT format('col %s.%s.%s %s %s %s', n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                     a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attnum > 0 AND NOT a.attisdropped AND ${userSchemas}
       UNION ALL
       SELECT format('con %s %s %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid))
         FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE ${userSchemas}
       UNION ALL
       SELECT format('idx %s', pg_get_indexdef(i.indexrelid))
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE ${userSchemas}
       UNION ALL
       SELECT format('fn %s %s', p.oid::regprocedure, md5(p.prosrc))
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${userSchemas}
       UNION ALL
       SELECT format('tg %s', pg_get_triggerdef(t.oid)) FROM pg_trigger t WHERE NOT t.tgisinternal
       UNION ALL
       SELECT format('ext %s %s', extname, extversion) FROM pg_extension
     ) lines`,
  );
  return row?.md5 ?? "";
}

const schemasSql = `SELECT n.nspname AS name FROM pg_namespace n WHERE ${userSchemas}`;
const tablesSql = `SELECT format('%I.%I', n.nspname, c.relname) AS name, c.oid::int AS oid FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND ${userSchemas}`;

async function describePristine(db: Database): Promise<Pristine> {
  const schemas = await db.query<{ name: string }>(schemasSql);
  const tables: Pristine["tables"] = [];
  for (const { name, oid } of await db.query<{ name: string; oid: number }>(tablesSql)) {
    const [held] = await db.query<{ json: string | null }>(`SELECT json_agg(t)::text AS json FROM ${name} t`);
    const [columns] = await db.query<{ list: string }>(
      `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS list FROM pg_attribute
         WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`,
      [oid],
    );
    tables.push({ name, columns: columns?.list ?? "", json: held?.json ?? null });
  }
  const sequences = await db.query<{ name: string; lastValue: string | null }>(
    `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS "lastValue" FROM pg_sequences`,
  );
  return { schemas: schemas.map((s) => s.name), tables, sequences, fingerprint: await fingerprint(db) };
}

/**
 * Gives a database a file has used back for the next file of this worker, put back as the snapshot
 * left it; one that cannot be (a test closed it, or changed it in a way this does not undo) is
 * closed instead, and the next file starts a new one.
 */
async function release(db: PgliteDatabase, before: Pristine): Promise<void> {
  const restored = await restore(db, before).then(
    () => true,
    () => false,
  );
  if (restored && (await fingerprint(db)) === before.fingerprint) idlePglite.push(db);
  else await db.close().catch(() => undefined);
}

/**
 * What the file added (pg-boss's schema, tables) dropped, the snapshot's tables emptied and their
 * rows put back, their statistics forgotten, sequences, session settings and temporary tables as
 * they were.
 */
async function restore(db: PgliteDatabase, before: Pristine): Promise<void> {
  await db.exec("RESET ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD TEMP");
  const schemas = await db.query<{ name: string }>(schemasSql);
  for (const { name } of schemas) {
    if (!before.schemas.includes(name)) await db.exec(`DROP SCHEMA ${quoted(name)} CASCADE`);
  }
  for (const { name } of await db.query<{ name: string }>(tablesSql)) {
    if (!before.tables.some((t) => t.name === name)) await db.exec(`DROP TABLE IF EXISTS ${name} CASCADE`);
  }
  await db.transaction(async (tx) => {
    await tx.exec(`TRUNCATE ${before.tables.map((t) => t.name).join(", ")} RESTART IDENTITY CASCADE`);
    await tx.exec(
      `DELETE FROM pg_statistic WHERE starelid IN (SELECT c.oid FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${userSchemas})`,
    );
    // The snapshot's rows in any order: no trigger nor foreign key check while they go back.
    await tx.exec("SET LOCAL session_replication_role = replica");
    for (const { name, columns, json } of before.tables) {
      if (!json) continue;
      await tx.query(
        `INSERT INTO ${name} (${columns}) OVERRIDING SYSTEM VALUE
           SELECT ${columns} FROM json_populate_recordset(null::${name}, $1)`,
        [json],
      );
    }
    for (const s of before.sequences) {
      await tx.query("SELECT setval($1, $2, $3)", [s.name, s.lastValue ?? 1, s.lastValue !== null]);
    }
  });
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
