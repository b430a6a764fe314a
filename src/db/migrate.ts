import fs from "node:fs/promises";
import type { Database } from "./database.ts";

const migrationsDir = new URL("./migrations/", import.meta.url);
// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 71_301;

/** Applies the SQL files in db/migrations in name order, each once, each in its own transaction. */
export async function migrate(db: Database): Promise<string[]> {
  await db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
  );
  const files = (await fs.readdir(migrationsDir)).filter((f) => f.endsWith(".sql")).sort();
  const applied: string[] = [];
  for (const name of files) {
    const sql = await fs.readFile(new URL(name, migrationsDir), "utf8");
    const done = await db.transaction(async (tx) => {
      // Two processes starting together against one PostgreSQL server take turns here.
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      const seen = await tx.query("SELECT 1 FROM schema_migrations WHERE name = $1", [name]);
      if (seen.length > 0) return false;
      await tx.exec(sql);
      await tx.query("INSERT INTO schema_migrations (name) VALUES ($1)", [name]);
      return true;
    });
    if (done) applied.push(name);
  }
  return applied;
}
