import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { refreshStatistics } from "../../src/db/statistics.ts";
import { createItem } from "../catalogue/fixtures.ts";
import { openTestDatabase, testDbKind } from "../helpers/database.ts";

let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDatabase());
});
afterAll(() => drop());

async function addItems(count: number, words: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    await createItem(db, {
      title: { en: `${words} ${i}` },
      description: { en: `${words} briefing number ${i}` },
    });
  }
}

/** What the planner believes of the search documents: their count, and how common a title word is. */
async function plannerView(): Promise<{ rows: number; commonWords: string[] }> {
  const [table] = await db.query<{ rows: number }>(
    "SELECT reltuples::float8 AS rows FROM pg_class WHERE relname = 'search_documents'",
  );
  const stats = await db.query<{ elems: string | null }>(
    `SELECT most_common_elems::text AS elems FROM pg_stats
     WHERE tablename = 'search_documents' AND attname = 'title_doc'`,
  );
  const elems = stats[0]?.elems ?? "{}";
  return { rows: Number(table?.rows), commonWords: elems.replace(/[{}"]/g, "").split(",").filter(Boolean) };
}

describe(`the planner's statistics, kept for the embedded database (${testDbKind})`, () => {
  it("are read for a table that never had them, then again only once it has grown by more than a tenth", async () => {
    // On a PostgreSQL server autovacuum would do it too, at a moment of its own: not here.
    await db.exec("ALTER TABLE search_documents SET (autovacuum_enabled = false)");
    await addItems(400, "summit");
    expect((await plannerView()).commonWords).toEqual([]);
    expect(await refreshStatistics(db)).toContain("search_documents");
    await addItems(300, "harbour");
    const before = await plannerView();
    expect(before.rows).toBe(400);
    expect(before.commonWords).toContain("summit");
    expect(before.commonWords).not.toContain("harbour");

    const analysed = await refreshStatistics(db);
    expect(analysed).toContain("search_documents");
    const after = await plannerView();
    expect(after.rows).toBe(700);
    expect(after.commonWords).toContain("harbour");

    // Nothing has changed since: nothing is read again.
    expect(await refreshStatistics(db)).not.toContain("search_documents");
    // A few more rows are within a tenth: still nothing.
    await addItems(10, "harbour");
    expect(await refreshStatistics(db)).not.toContain("search_documents");
  });
});
