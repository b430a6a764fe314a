import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createItem } from "../catalogue/fixtures.ts";
import { openTestDatabase } from "../helpers/database.ts";

let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDatabase());
});
afterAll(() => drop());

it("marks what is already available as announced when alerts are deployed, so nobody is flooded", async () => {
  const available = await createItem(db, { title: { en: "Old news" } });
  const embargoed = await createItem(db, { embargoUntil: new Date(Date.now() + 86_400_000) });
  await createItem(db, { publishedAt: null });
  // The database as it was before 013: its tables gone and the migration not yet applied.
  await db.exec(
    "DROP TABLE alert_deliveries, alert_digests, item_announcements, saved_searches CASCADE;" +
      "DELETE FROM schema_migrations WHERE name = '013_saved_searches.sql'",
  );
  expect(await migrate(db)).toEqual(["013_saved_searches.sql"]);
  const rows = await db.query<{ item_id: number }>("SELECT item_id FROM item_announcements ORDER BY item_id");
  expect(rows.map((r) => r.item_id)).toEqual([available]);
  expect(rows.map((r) => r.item_id)).not.toContain(embargoed);
});
