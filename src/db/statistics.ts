import type { Database } from "./database.ts";

/**
 * The planner's statistics for the embedded database. PostgreSQL's autovacuum re-reads a table's
 * statistics as it changes; PGlite has no background processes, so without this its tables keep
 * the statistics of the day they were made (none). The search's plans depend on them: whether a
 * word is rare enough to take its posting list or common enough to walk the recency index comes
 * from the tsvector columns' element statistics, and how big a table is from its row count. On
 * the bench's archive without statistics, two common words cost 1.7 times the CPU.
 *
 * Its own activity counters are not kept up to date in PGlite (it runs as a single backend), so
 * a table is analysed when its size on disk has moved by more than a tenth since the last
 * ANALYZE, or it never had one. An archive that grows a little each day is then re-read rarely:
 * ANALYZE of the search documents of 50,000 items takes a few seconds, during which the single
 * connection waits.
 */

/** Share of a table's pages by which it must have grown or shrunk before it is analysed again. */
const DRIFT = 0.1;
/** Pages a small table may gain before it counts as changed (a few rows move it by a page). */
const SLACK_PAGES = 8;

/** Analyses the public tables whose statistics are missing or stale; returns their names. */
export async function refreshStatistics(db: Database): Promise<string[]> {
  const tables = await db.query<{ name: string; reltuples: number; relpages: number; pages: number }>(
    `SELECT c.relname AS name, c.reltuples::float8 AS reltuples, c.relpages,
       (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages
     FROM pg_class c
     WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
     ORDER BY c.relname`,
  );
  const stale = tables.filter((t) => {
    if (t.pages === 0) return false;
    if (t.reltuples < 0) return true;
    return Math.abs(t.pages - t.relpages) > DRIFT * t.relpages + SLACK_PAGES;
  });
  for (const table of stale) {
    // A name read from pg_class, quoted as an identifier: never text from a request.
    await db.exec(`ANALYZE "${table.name.replaceAll('"', '""')}"`);
  }
  return stale.map((t) => t.name);
}

export interface StatisticsKeeper {
  stop(): Promise<void>;
}

/**
 * Checks the statistics every `everyMs` (and once soon after start), one run at a time. For the
 * embedded database only: PostgreSQL's autovacuum does this itself.
 */
export function keepStatistics(
  db: Database,
  options: { everyMs: number; onError: (error: unknown) => void; onAnalysed?: (tables: string[]) => void },
): StatisticsKeeper {
  let running: Promise<void> | null = null;
  const run = () => {
    if (running) return;
    running = refreshStatistics(db)
      .then((tables) => {
        if (tables.length > 0) options.onAnalysed?.(tables);
      })
      .catch(options.onError)
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(run, Math.min(options.everyMs, 60_000));
  const timer = setInterval(run, options.everyMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
