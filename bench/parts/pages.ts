import path from "node:path";
import autocannon from "autocannon";
import type { Database } from "../../src/db/database.ts";
import { type CatalogueSeed, seedCatalogue } from "../lib/catalogue-seed.ts";
import { getText } from "../lib/http.ts";
import { loadAverage, machine } from "../lib/machine.ts";
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
import { ROOT, settings } from "../lib/settings.ts";
import { table } from "../lib/stats.ts";

interface PageTarget {
  name: string;
  path: string;
}

interface Measured {
  name: string;
  path: string;
  bytes: number;
  /** One connection, one request at a time: what a visitor sees on an idle server. */
  aloneP50: number;
  aloneP99: number;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

interface DatabaseRun {
  database: string;
  seed: CatalogueSeed;
  pages: Measured[];
  bare: Measured;
}

/**
 * Part 4: the catalogue pages (home, event, item, search) of a portal holding 10 000 items and
 * 1 000 000 transcript words, under load, against a bare Fastify route in the same run.
 */
export async function pagesPart(log: (line: string) => void): Promise<PartReport> {
  const started = new Date();
  const loadBefore = loadAverage();
  const runs: DatabaseRun[] = [];
  runs.push(await measureOn("embedded PGlite (the default)", undefined, log));
  const cluster = await startCluster("pages");
  if (cluster) {
    try {
      runs.push(await measureOn("PostgreSQL 15 (throwaway cluster, fsync off)", cluster.url, log));
    } finally {
      cluster.stop();
    }
  } else log("PostgreSQL server binaries not found: pages measured on PGlite only");

  const sections = runs.map((run) => {
    const rows = [...run.pages, run.bare].map((m) => [
      m.name,
      `\`${m.path}\``,
      `${(m.bytes / 1024).toFixed(1)} kB`,
      `${latency(m.aloneP50)} / ${latency(m.aloneP99)}`,
      `${latency(m.p50)} / ${latency(m.p99)}`,
      `${m.rps.toFixed(0)}`,
      m === run.bare ? "100 %" : `${((m.rps / run.bare.rps) * 100).toFixed(1)} %`,
      m.errors === 0 ? "0" : `**${m.errors}**`,
    ]);
    return `### Database: ${run.database}

Seeded in ${run.seed.seconds.toFixed(0)} s: ${run.seed.events} events, ${run.seed.items} items, transcripts on ${run.seed.transcriptItems} video items,
${run.seed.segments} segments, ${run.seed.words} words.

${table(
  [
    "page",
    "path",
    "size",
    "latency p50 / p99, 1 connection",
    `latency p50 / p99, ${settings.pageConnections} connections`,
    `requests/s, ${settings.pageConnections} connections`,
    "vs bare route",
    "errors / non-2xx",
  ],
  rows,
)}`;
  });

  const body = `
${runContext(machine(), started, loadBefore)}

**How:** the portal runs as its own process (\`src/main.ts start\`, request logging on as in production),
its database seeded directly with SQL (\`bench/lib/catalogue-seed.ts\`): ${settings.pageItems} items (\`BENCH_ITEMS\`) in events of ten, with
programmes and posters, and ${settings.transcriptWords} transcript words (\`BENCH_WORDS\`) as 20-word EN/FR sentences drawn from word lists
(common words more often), so full-text search has real posting lists. Each page is loaded for
${settings.pageSeconds} s (\`BENCH_PAGE_SECONDS\`) by autocannon with ${settings.pageConnections} connections (\`BENCH_PAGE_CONNECTIONS\`), as an anonymous
visitor, one page after the other, first with one connection for half that time (latency alone), then
with ${settings.pageConnections} connections (latency under load, requests/s); the baseline is a bare Fastify route returning a fixed small HTML page
from its own process (\`bench/bare-server.ts\`), loaded the same way in the same run. The load generator
runs on the same 2-core machine, so absolute requests/s are a floor; autocannon's latency resolution is 1 ms. No target is set for pages beyond
"milliseconds": the figures are recorded to follow them over time.

${sections.join("\n\n")}
`;
  return { id: "pages", title: "4. Catalogue pages with 10 000 items and 1 000 000 transcript words", body };
}

async function measureOn(
  database: string,
  databaseUrl: string | undefined,
  log: (line: string) => void,
): Promise<DatabaseRun> {
  const dataDir = await newDataDir("pages");
  const say = (line: string) => log(`${databaseUrl ? "PostgreSQL" : "PGlite"}: ${line}`);
  const { seed, targets } = await withDatabase(dataDir, databaseUrl, async (db) => {
    const seed = await seedCatalogue(db, { items: settings.pageItems, words: settings.transcriptWords }, say);
    return { seed, targets: await pickTargets(db) };
  });
  say(`seeded in ${seed.seconds.toFixed(0)} s: ${seed.items} items, ${seed.words} transcript words`);
  const children: ChildServer[] = [];
  try {
    const portal = await startPortal(dataDir, await freePort(), databaseUrl ? { databaseUrl } : {});
    children.push(portal);
    const barePort = await freePort();
    const bare = await startChild({
      name: "bare-fastify",
      script: path.join(ROOT, "bench", "bare-server.ts"),
      args: [String(barePort)],
      port: barePort,
      logDir: dataDir,
      readyPath: "/healthz",
    });
    children.push(bare);
    const pages: Measured[] = [];
    for (const target of targets) pages.push(await load(portal.url, target, say));
    const bareResult = await load(bare.url, { name: "baseline: bare Fastify route", path: "/bare" }, say);
    return { database, seed, pages, bare: bareResult };
  } finally {
    for (const child of children) await child.stop();
    await removeDataDir(dataDir);
  }
}

/** A typical event (ten items), the item with the longest transcript, and searches that hit transcripts. */
async function pickTargets(db: Database): Promise<PageTarget[]> {
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
    { name: "search, 2 common EN words", path: "/en/search?q=defence+spending" },
    { name: "search, rare FR word", path: `/fr/search?q=${encodeURIComponent("gazoducs")}` },
    { name: "search, no match", path: "/en/search?q=zeppelin" },
  ];
}

async function load(base: string, target: PageTarget, log: (line: string) => void): Promise<Measured> {
  const url = `${base}${target.path}`;
  if (!url.startsWith("http://127.0.0.1:")) throw new Error(`the bench only talks to 127.0.0.1, not ${url}`);
  const probe = await getText(url);
  if (probe.status !== 200) throw new Error(`${url} answered ${probe.status}: ${probe.text.slice(0, 300)}`);
  const alone = await autocannon({
    url,
    connections: 1,
    duration: Math.max(1, Math.round(settings.pageSeconds / 2)),
  });
  const result = await autocannon({
    url,
    connections: settings.pageConnections,
    duration: settings.pageSeconds,
  });
  const measured = {
    name: target.name,
    path: target.path,
    bytes: Buffer.byteLength(probe.text),
    aloneP50: alone.latency.p50,
    aloneP99: alone.latency.p99,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.timeouts + result.non2xx + alone.errors + alone.timeouts + alone.non2xx,
  };
  log(
    `${target.name}: alone p50 ${measured.aloneP50} ms; loaded p50 ${measured.p50} ms, p99 ${measured.p99} ms, ${measured.rps.toFixed(0)} req/s, ${measured.errors} errors`,
  );
  return measured;
}

/** autocannon measures whole milliseconds. */
function latency(ms: number): string {
  return ms < 1 ? "<1 ms" : `${ms.toFixed(0)} ms`;
}
