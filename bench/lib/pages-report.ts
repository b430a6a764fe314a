import type { CatalogueSeed, IndexSizes, TranscriptGrowth } from "./catalogue-seed.ts";
import { type Load, latency } from "./load.ts";
import type { SearchPlan } from "./search-plans.ts";
import { keyLines } from "./search-plans.ts";
import { settings } from "./settings.ts";
import { mb, table, verdict } from "./stats.ts";

/** One archive size on one database: how it was indexed and how each query type did. */
export interface SizeRun {
  growth: TranscriptGrowth;
  indexes: IndexSizes;
  /** Items holding every word of each search, by query type (filters aside). */
  matches: Record<string, number>;
  searches: Load[];
  /** Query types the portal does not answer yet (404), left out. */
  missing: string[];
}

export interface CacheRow {
  direct: Load;
  cached: Load;
  /** nginx's X-Cache-Status on a request after the runs (HIT, STALE, MISS, EXPIRED…). */
  cacheStatus: string;
}

export interface DatabaseRun {
  database: string;
  seed: CatalogueSeed;
  sizes: SizeRun[];
  /** Home, event and item pages at the largest size. */
  pages: Load[];
  bare: Load | null;
  /** Null when nginx is not installed. */
  cache: CacheRow[] | null;
  plans: SearchPlan[];
  /** Sizes of BENCH_WORDS not measured on this database (BENCH_PGLITE_MAX_WORDS). */
  skipped: number[];
}

const words = (n: number) =>
  n >= 1_000_000 ? `${+(n / 1_000_000).toFixed(1)} M` : `${+(n / 1000).toFixed(0)} k`;
/** Paths as a reader types them: `"secretary general"`, not `%22secretary%20general%22`. */
const shown = (path: string) => `\`${decodeURIComponent(path)}\``;
const isPostgres = (run: DatabaseRun) => run.database.startsWith("PostgreSQL");

/** The targets of issue 10 for one query type at one size. */
function targetMet(run: DatabaseRun, m: Load): boolean {
  return isPostgres(run)
    ? m.aloneP95 <= 50 && m.rps >= 100 && m.errors === 0
    : m.aloneP95 <= 150 && m.errors === 0;
}

function indexTable(run: DatabaseRun): string {
  return table(
    [
      "transcript words",
      "items with a transcript",
      "sentences",
      "writing the sentences",
      "time to index (search_documents from scratch + VACUUM ANALYZE)",
      "search_documents: total (heap / TOAST)",
      "GIN full_doc / head_doc / title_doc / pairs_doc",
      "transcript_segments: total / GIN on sentences",
    ],
    run.sizes.map(({ growth: g, indexes: i }) => [
      words(g.words),
      String(g.transcriptItems),
      String(g.segments),
      `${g.insertSeconds.toFixed(0)} s`,
      `${g.indexSeconds.toFixed(0)} s`,
      `${mb(i.total)} (${mb(i.heap)} / ${mb(i.toast)})`,
      `${mb(i.fullIndex)} / ${mb(i.headIndex)} / ${mb(i.titleIndex)} / ${mb(i.pairsIndex)}`,
      `${mb(i.segmentsTotal)} / ${mb(i.segmentsIndex)}`,
    ]),
  );
}

function searchTable(run: DatabaseRun): string {
  const names = run.sizes[0]?.searches.map((s) => s.name) ?? [];
  const rows: string[][] = [];
  for (const name of names) {
    for (const size of run.sizes) {
      const m = size.searches.find((s) => s.name === name);
      if (!m) continue;
      rows.push([
        name,
        words(size.growth.words),
        shown(m.path),
        `${(m.bytes / 1024).toFixed(1)} kB`,
        `${latency(m.aloneP50)} / ${latency(m.aloneP95)} / ${latency(m.aloneP99)}`,
        latency(m.loadedP95),
        m.rps.toFixed(0),
        m.errors === 0 ? "0" : `**${m.errors}**`,
        verdict(targetMet(run, m)),
      ]);
    }
  }
  return table(
    [
      "query",
      "words",
      "path",
      "size",
      "p50 / p95 / p99, 1 connection",
      `p95, ${settings.pageConnections} connections`,
      `requests/s, ${settings.pageConnections} connections`,
      "errors / non-2xx",
      isPostgres(run) ? "target: p95 ≤ 50 ms, ≥ 100 req/s, no errors" : "target: p95 ≤ 150 ms, no errors",
    ],
    rows,
  );
}

function growthTable(run: DatabaseRun): string {
  const first = run.sizes[0];
  const last = run.sizes[run.sizes.length - 1];
  if (!first || !last || first === last) return "Only one size measured: no growth to show.";
  const names = first.searches.map((s) => s.name);
  const rows = names.map((name) => {
    const p95 = run.sizes.map((size) => size.searches.find((s) => s.name === name)?.aloneP95 ?? Number.NaN);
    const growth = p95[p95.length - 1]! / p95[0]!;
    const matches = run.sizes.map((size) => size.matches[name]);
    return [
      name,
      matches.every((n) => n !== undefined) ? matches.join(" / ") : "—",
      ...p95.map(latency),
      Number.isFinite(growth) ? `${growth.toFixed(2)}×` : "—",
      verdict(growth <= 2),
    ];
  });
  return table(
    [
      "query",
      `items matching (${run.sizes.map((s) => words(s.growth.words)).join(" / ")})`,
      ...run.sizes.map((s) => `p95 at ${words(s.growth.words)}, 1 connection`),
      `growth ${words(first.growth.words)} → ${words(last.growth.words)}`,
      "target ≤ 2×",
    ],
    rows,
  );
}

function pagesTable(run: DatabaseRun): string {
  const all = [...run.pages, ...(run.bare ? [run.bare] : [])];
  return table(
    [
      "page",
      "path",
      "size",
      "p50 / p95 / p99, 1 connection",
      `p95, ${settings.pageConnections} connections`,
      `requests/s, ${settings.pageConnections} connections`,
      "vs bare route",
      "errors / non-2xx",
    ],
    all.map((m) => [
      m.name,
      shown(m.path),
      `${(m.bytes / 1024).toFixed(1)} kB`,
      `${latency(m.aloneP50)} / ${latency(m.aloneP95)} / ${latency(m.aloneP99)}`,
      latency(m.loadedP95),
      m.rps.toFixed(0),
      run.bare ? `${((m.rps / run.bare.rps) * 100).toFixed(1)} %` : "—",
      m.errors === 0 ? "0" : `**${m.errors}**`,
    ]),
  );
}

function cacheTable(run: DatabaseRun): string {
  if (!run.cache)
    return "nginx is not installed (`apt-get install nginx-light`): no row through a caching proxy.";
  return table(
    [
      "page",
      "portal's Cache-Control / ETag",
      `requests/s, ${settings.pageConnections} connections: portal`,
      "through nginx",
      `p95, ${settings.pageConnections} connections: portal / through nginx`,
      "X-Cache-Status after the run",
      "errors",
    ],
    run.cache.map(({ direct, cached, cacheStatus }) => [
      `${direct.name} ${shown(direct.path)}`,
      `${direct.headers.get("cache-control") ?? "none"} / ${direct.headers.get("etag") ? "yes" : "none"}`,
      direct.rps.toFixed(0),
      `${cached.rps.toFixed(0)} (${(cached.rps / direct.rps).toFixed(1)}×)`,
      `${latency(direct.loadedP95)} / ${latency(cached.loadedP95)}`,
      cacheStatus,
      String(direct.errors + cached.errors),
    ]),
  );
}

function planSummary(run: DatabaseRun): string {
  if (run.plans.length === 0) return "";
  const lines = run.plans.map((p) => {
    const time = /Execution Time: ([\d.]+) ms/.exec(p.plan)?.[1] ?? "?";
    return `- ${p.statement}: ${time} ms in the database`;
  });
  return lines.join("\n");
}

/** The part's Markdown after its context line. */
export function pagesBody(runs: DatabaseRun[], plannedQuery: string): string {
  const sizes = settings.transcriptWords.map(words).join(", ");
  const sections = runs.map((run) => {
    const last = run.sizes[run.sizes.length - 1];
    const missing = [...new Set(run.sizes.flatMap((s) => s.missing))];
    return `### Database: ${run.database}

${run.seed.items} items in ${run.seed.events} events seeded in ${run.seed.seconds.toFixed(0)} s; transcripts grown through ${run.sizes.map((s) => words(s.growth.words)).join(", ")} words.${
      run.skipped.length
        ? ` **Not measured on this database: ${run.skipped.map(words).join(", ")} words** (\`BENCH_PGLITE_MAX_WORDS\`; see the time to index above that).`
        : ""
    }${missing.length ? ` Not answered by the portal yet (404), left out: ${missing.join(", ")}.` : ""}

Indexing:

${indexTable(run)}

Search, each query type at each size ("—": no answer completed during the one-connection run, a stall longer than it):

${searchTable(run)}

Growth of search time with the archive:

${growthTable(run)}

Other pages at ${last ? words(last.growth.words) : "—"} words:

${pagesTable(run)}

Through a caching reverse proxy (nginx \`proxy_cache\`, which keeps only what the portal's own headers allow):

${cacheTable(run)}

Statements of a search for "${plannedQuery}" at ${last ? words(last.growth.words) : "—"} words (plans in [SEARCH-PLANS.md](SEARCH-PLANS.md)):

${planSummary(run)}`;
  });
  return `**How:** the portal runs as its own process (\`npm start\`: \`dist/server/main.js start\`, request logging on as in production),
its database seeded directly with SQL (\`bench/lib/catalogue-seed.ts\`): ${settings.pageItems} items (\`BENCH_ITEMS\`) in events of ten
over about ten years, with programmes and posters; then transcripts are added to video items (50–150 sentences of 20 words each,
EN and FR, drawn from word lists with common words more often, invented names in about one sentence in 4 000) until the archive
holds each size of \`BENCH_WORDS\` in turn (${sizes}); the items stay the same, so the tables show search time against transcript words.
At each size search_documents is rebuilt from scratch and timed ("time to index"), then the portal is started and each query
type is loaded for ${settings.pageSeconds} s (\`BENCH_PAGE_SECONDS\`) by autocannon with one connection (latency alone: p50/p95/p99 over every
response), then for as long with ${settings.pageConnections} connections (\`BENCH_PAGE_CONNECTIONS\`; p95, requests/s, errors), as an anonymous visitor.
The bare Fastify route (\`bench/bare-server.ts\`) is the baseline for the other pages. The load generator runs on the same
2-core machine as the portal and its database, so requests/s are a floor. Targets (issue 10): PostgreSQL p95 ≤ 50 ms with one
connection and ≥ 100 requests/s with ${settings.pageConnections} without errors; PGlite p95 ≤ 150 ms and no errors with ${settings.pageConnections};
search p95 at most 2× from the smallest to the largest size.

${sections.join("\n\n")}`;
}

/** bench/SEARCH-PLANS.md: the plans of the search statements at the largest size, per database. */
export function plansFile(runs: DatabaseRun[], plannedQuery: string, started: Date): string {
  const sections = runs
    .filter((run) => run.plans.length > 0)
    .map((run) => {
      const last = run.sizes[run.sizes.length - 1];
      const plans = run.plans
        .map(
          (p) => `#### ${p.statement}

Key lines:

\`\`\`
${keyLines(p.plan).join("\n")}
\`\`\`

<details><summary>Whole plan</summary>

\`\`\`
${p.plan}
\`\`\`

</details>`,
        )
        .join("\n\n");
      return `## ${run.database}, ${last ? words(last.growth.words) : "—"} transcript words, ${run.seed.items} items\n\n${plans}`;
    });
  return `# Search plans

Written by \`npm run bench -- pages\` (run ${started.toISOString().replace(/\.\d+Z$/, "Z")}): \`EXPLAIN (ANALYZE, BUFFERS)\` of the
statements \`src/catalogue/search-store.ts\` runs for a search for "${plannedQuery}" (no filters, first page), captured by handing
the store a database that explains each statement it is given (\`bench/lib/search-plans.ts\`), after running it once (warm caches).
Timings in [RESULTS.md](RESULTS.md), part 4.

${sections.join("\n\n")}
`;
}
