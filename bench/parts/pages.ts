import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseQuery, searchQuerySql } from "../../src/catalogue/search-query.ts";
import type { Database } from "../../src/db/database.ts";
import { startNginxCache } from "../lib/baselines.ts";
import { growTranscripts, indexSizes, seedCatalogue } from "../lib/catalogue-seed.ts";
import { type Load, loadPage } from "../lib/load.ts";
import { loadAverage, machine } from "../lib/machine.ts";
import { type CacheRow, type DatabaseRun, pagesBody, plansFile, type SizeRun } from "../lib/pages-report.ts";
import {
  type ChildServer,
  freePort,
  newDataDir,
  removeDataDir,
  startChild,
  startPortal,
  withDatabase,
} from "../lib/portal.ts";
import { startCluster } from "../lib/postgres.ts";
import { type PartReport, runContext } from "../lib/results.ts";
import { explainSearch, type SearchPlan } from "../lib/search-plans.ts";
import { ROOT, settings } from "../lib/settings.ts";

interface PageTarget {
  name: string;
  path: string;
  /** The words searched, to count the items they match (what a search's work grows with). */
  words?: string;
}

/** The query whose statements' plans are written down (bench/SEARCH-PLANS.md). */
const PLANNED_QUERY = "defence spending";

/** Each query type of issue 10, at every archive size. */
function searchTargets(): PageTarget[] {
  const from = new Date(Date.now() - 2 * 365 * 86_400_000).toISOString().slice(0, 10);
  return [
    { name: "two common words", path: "/en/search?q=defence+spending", words: "defence spending" },
    {
      name: "two common words, FR",
      path: `/fr/search?q=${encodeURIComponent("dépenses défense")}`,
      words: "dépenses défense",
    },
    { name: "rare word", path: "/en/search?q=Lusandre", words: "Lusandre" },
    {
      name: "phrase",
      path: `/en/search?q=${encodeURIComponent('"secretary general"')}`,
      words: '"secretary general"',
    },
    {
      // Both words in 12,000 items, side by side in 500: read by the word pairs' index.
      name: "rare phrase of common words",
      path: `/en/search?q=${encodeURIComponent('"defence spending"')}`,
      words: '"defence spending"',
    },
    { name: "no match", path: "/en/search?q=zeppelin", words: "zeppelin" },
    {
      name: "words + filters",
      path: `/en/search?q=defence+spending&kind=press-conference&from=${from}`,
      words: "defence spending",
    },
    {
      name: "two common words, JSON API",
      path: "/api/v1/search?q=defence+spending",
      words: "defence spending",
    },
    { name: "suggestions", path: "/api/v1/suggest?q=sec&lang=en" },
  ];
}

/**
 * Part 4: the catalogue pages and search of a portal holding BENCH_ITEMS items while its
 * transcripts grow through the sizes of BENCH_WORDS, on PGlite and PostgreSQL, against a bare
 * Fastify route; and the home and a search page through nginx as a caching proxy.
 */
export async function pagesPart(log: (line: string) => void): Promise<PartReport> {
  const started = new Date();
  const loadBefore = loadAverage();
  const runs: DatabaseRun[] = [];
  const pgliteWords = settings.transcriptWords.filter((w) => w <= settings.pgliteMaxWords);
  runs.push(await measureOn("embedded PGlite (the default)", undefined, pgliteWords, log));
  const cluster = await startCluster("pages");
  if (cluster) {
    try {
      runs.push(
        await measureOn(
          "PostgreSQL 15 (throwaway cluster, fsync off)",
          cluster.url,
          settings.transcriptWords,
          log,
        ),
      );
    } finally {
      cluster.stop();
    }
  } else log("PostgreSQL server binaries not found: pages measured on PGlite only");
  await writeFile(path.join(ROOT, "bench", "SEARCH-PLANS.md"), plansFile(runs, PLANNED_QUERY, started));
  const body = `${runContext(machine(), started, loadBefore)}\n\n${pagesBody(runs, PLANNED_QUERY)}`;
  const largest = Math.max(...settings.transcriptWords);
  return {
    id: "pages",
    title: `4. Catalogue pages and search: ${settings.pageItems.toLocaleString("en")} items, up to ${largest.toLocaleString("en")} transcript words`,
    body,
  };
}

async function measureOn(
  database: string,
  databaseUrl: string | undefined,
  sizes: number[],
  log: (line: string) => void,
): Promise<DatabaseRun> {
  const dataDir = await newDataDir("pages");
  const say = (line: string) => log(`${databaseUrl ? "PostgreSQL" : "PGlite"}: ${line}`);
  const skipped = settings.transcriptWords.filter((w) => !sizes.includes(w));
  try {
    const seed = await withDatabase(dataDir, databaseUrl, (db) =>
      seedCatalogue(db, { items: settings.pageItems }, say),
    );
    const run: DatabaseRun = {
      database,
      seed,
      sizes: [],
      pages: [],
      bare: null,
      cache: null,
      plans: [],
      skipped,
    };
    for (const words of sizes) {
      const last = words === sizes[sizes.length - 1];
      const prepared = await withDatabase(dataDir, databaseUrl, async (db) => {
        const growth = await growTranscripts(db, words, say);
        return {
          growth,
          matches: await matchingItems(db, searchTargets()),
          indexes: await indexSizes(db),
          plans: last ? await explainSearch(db, PLANNED_QUERY) : ([] as SearchPlan[]),
          pages: last ? await pageTargets(db) : [],
        };
      });
      if (last) run.plans = prepared.plans;
      const size: SizeRun = {
        growth: prepared.growth,
        indexes: prepared.indexes,
        matches: prepared.matches,
        searches: [],
        missing: [],
      };
      await withPortal(dataDir, databaseUrl, async (portal) => {
        for (const target of searchTargets()) {
          const found = await fetch(`${portal.url}${target.path}`, { signal: AbortSignal.timeout(60_000) });
          await found.arrayBuffer();
          if (found.status === 404 && target.path.startsWith("/api/v1/suggest")) {
            size.missing.push(target.name);
            continue;
          }
          size.searches.push(await measured(portal.url, target, `${words} words`, say));
        }
        if (!last) return;
        for (const target of prepared.pages) run.pages.push(await measured(portal.url, target, "", say));
        run.bare = await measuredBare(dataDir, say);
        run.cache = await throughCache(portal.url, dataDir, say);
      });
      run.sizes.push(size);
    }
    return run;
  } finally {
    await removeDataDir(dataDir);
  }
}

async function withPortal(
  dataDir: string,
  databaseUrl: string | undefined,
  work: (portal: ChildServer) => Promise<void>,
): Promise<void> {
  const portal = await startPortal(dataDir, await freePort(), databaseUrl ? { databaseUrl } : {});
  try {
    await work(portal);
  } finally {
    await portal.stop();
  }
}

async function measured(
  base: string,
  target: PageTarget,
  at: string,
  say: (line: string) => void,
): Promise<Load> {
  const m = await loadPage(base, target);
  say(
    `${target.name}${at ? ` (${at})` : ""}: alone p50 ${m.aloneP50.toFixed(1)} / p95 ${m.aloneP95.toFixed(1)} ms; ` +
      `loaded p95 ${m.loadedP95.toFixed(1)} ms, ${m.rps.toFixed(0)} req/s, ${m.errors} errors`,
  );
  return m;
}

async function measuredBare(dataDir: string, say: (line: string) => void): Promise<Load> {
  const port = await freePort();
  const bare = await startChild({
    name: "bare-fastify",
    script: path.join(ROOT, "bench", "bare-server.ts"),
    args: [String(port)],
    port,
    logDir: dataDir,
    readyPath: "/healthz",
  });
  try {
    return await measured(bare.url, { name: "baseline: bare Fastify route", path: "/bare" }, "", say);
  } finally {
    await bare.stop();
  }
}

/** The home page and a search, straight from the portal and through nginx caching what the portal allows. */
async function throughCache(
  portalUrl: string,
  dataDir: string,
  say: (line: string) => void,
): Promise<CacheRow[] | null> {
  const nginx = await startNginxCache(portalUrl, dataDir);
  if (!nginx) {
    say("nginx not installed: no row through a caching proxy");
    return null;
  }
  try {
    const rows: CacheRow[] = [];
    for (const target of [
      { name: "home", path: "/en" },
      { name: "search, two common words", path: "/en/search?q=defence+spending" },
    ]) {
      const direct = await measured(portalUrl, target, "direct", say);
      const cached = await measured(nginx.url, target, "through nginx", say);
      const after = await fetch(`${nginx.url}${target.path}`, { signal: AbortSignal.timeout(30_000) });
      await after.arrayBuffer();
      rows.push({ direct, cached, cacheStatus: after.headers.get("x-cache-status") ?? "—" });
    }
    return rows;
  } finally {
    await nginx.stop();
  }
}

/** How many items hold every word of each search (filters aside): the rows a search's index scan returns. */
async function matchingItems(db: Database, targets: PageTarget[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const target of targets) {
    if (target.words === undefined) continue;
    const words = searchQuerySql(parseQuery(target.words), 1);
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM search_documents WHERE full_doc @@ (${words.all})`,
      words.params,
    );
    counts[target.name] = row!.n;
  }
  return counts;
}

/** A typical event (ten items) and the item with the longest transcript. */
async function pageTargets(db: Database): Promise<PageTarget[]> {
  const [event] = await db.query<{ slug: string }>(
    "SELECT slug FROM events ORDER BY starts_at DESC OFFSET 5 LIMIT 1",
  );
  const [item] = await db.query<{ id: number; segments: number }>(
    `SELECT media_item_id AS id, count(*)::integer AS segments FROM transcript_segments
     GROUP BY media_item_id ORDER BY count(*) DESC, media_item_id LIMIT 1`,
  );
  return [
    { name: "home", path: "/en" },
    { name: "event (10 items, programme)", path: `/en/events/${event!.slug}` },
    { name: `item (transcript of ${item!.segments} segments)`, path: `/en/items/${item!.id}` },
  ];
}
