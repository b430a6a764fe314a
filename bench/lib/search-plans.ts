import { parseQuery } from "../../src/catalogue/search-query.ts";
import { rankItems, type SearchFilters, transcriptHits } from "../../src/catalogue/search-store.ts";
import type { Database, Queryable, Row } from "../../src/db/database.ts";

export interface SearchPlan {
  statement: string;
  plan: string;
}

const noFilters: SearchFilters = {
  kind: null,
  eventSlug: null,
  from: null,
  until: null,
  speaker: null,
  language: null,
};

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements a search runs, as search-store.ts writes them: the
 * store is handed a database that runs each statement under EXPLAIN and keeps the plan. Each runs
 * once before, so the plan shows warm caches as the measured pages see them.
 */
export async function explainSearch(db: Database, words: string): Promise<SearchPlan[]> {
  const query = parseQuery(words);
  const now = new Date();
  const plans: SearchPlan[] = [];
  const explaining = (statement: string): Queryable => ({
    async query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]> {
      await db.query(sql, params);
      const rows = await db.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      plans.push({ statement, plan: rows.map((r) => r["QUERY PLAN"]).join("\n") });
      // The real rows, so the next statement asks about the same items as the page does.
      return db.query<T>(sql, params);
    },
  });
  const page = await rankItems(explaining("rankItems: the page of items, counts and filters"), {
    query,
    now,
    filters: noFilters,
    order: "relevance",
    limit: 20,
    offset: 0,
  });
  await transcriptHits(explaining("transcriptHits: the best sentences of the 20 items shown"), {
    query,
    now,
    itemIds: page.items.map((item) => item.id),
    filters: noFilters,
    perItem: 3,
  });
  return plans;
}

/** The lines of a plan that say where the time goes: scans, the nodes' times, buffers. */
export function keyLines(plan: string, count = 14): string[] {
  return plan
    .split("\n")
    .filter((line) =>
      /Scan|Bitmap|Sort|Limit|WindowAgg|Execution Time|Planning Time|Recheck|Heap Blocks/.test(line),
    )
    .slice(0, count);
}
