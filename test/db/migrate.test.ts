import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openTestDatabase, testDbKind } from "../helpers/database.ts";

let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDatabase());
});
afterAll(() => drop());

describe(`migrations (${testDbKind})`, () => {
  it("apply once: running them again changes nothing", async () => {
    expect(await migrate(db)).toEqual([]);
    const rows = await db.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
    expect(rows.map((r) => r.name)).toContain("001_accounts.sql");
  });

  it("roll a failed transaction back entirely", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO app_secrets (name, value) VALUES ('rollback-test', 'x')");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db.query("SELECT 1 FROM app_secrets WHERE name = 'rollback-test'")).toEqual([]);
  });
});
