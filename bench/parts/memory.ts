import http from "node:http";
import path from "node:path";
import { startStaticServer } from "../lib/baselines.ts";
import { loadAverage, machine, residentBytes } from "../lib/machine.ts";
import { benchMaster } from "../lib/masters.ts";
import {
  type ChildServer,
  freePort,
  newDataDir,
  removeDataDir,
  seedMasters,
  seedUser,
  startPortal,
  withDatabase,
} from "../lib/portal.ts";
import { startCluster } from "../lib/postgres.ts";
import { type PartReport, runContext } from "../lib/results.ts";
import { settings } from "../lib/settings.ts";
import { mb, median, table, verdict } from "../lib/stats.ts";

const TARGET_BYTES = 300 * 1024 * 1024;
/** Clients reading at this rate stand for journalists on ordinary links; the others read flat out. */
const SLOW_BYTES_PER_SECOND = 4 * 1024 * 1024;
const RANGE_LOOPS = 5;
const SAMPLE_MS = 100;

interface Load {
  idle: number;
  peak: number;
  median: number;
  after: number;
  bytes: number;
  completed: number;
  started: number;
  ranges: number;
  errors: string[];
  seconds: number;
}

/**
 * Part 3: the server process's resident memory while 50 clients download a large master at once
 * (half as fast as they can, half at a few MB/s) and a few more ask for byte ranges.
 */
export async function memoryPart(log: (line: string) => void): Promise<PartReport> {
  const started = new Date();
  const loadBefore = loadAverage();
  const master = await benchMaster("xdcam", settings.minutes, log);
  const loads: { name: string; load: Load; ranges: boolean }[] = [];
  const portalRun = async (databaseUrl: string | undefined) => {
    const dataDir = await newDataDir("memory");
    const { token, items } = await withDatabase(dataDir, databaseUrl, async (db) => ({
      token: await seedUser(db),
      items: await seedMasters(db, dataDir, [master]),
    }));
    const item = items[0]!;
    let server: ChildServer | null = null;
    try {
      server = await startPortal(dataDir, await freePort(), databaseUrl ? { databaseUrl } : {});
      const load = await underLoad(
        server,
        `${server.url}/api/v1/items/${item.id}/download`,
        { authorization: `Bearer ${token}` },
        master.bytes,
        (line) => log(`portal${databaseUrl ? " (PostgreSQL)" : ""}: ${line}`),
      );
      await server.stop();
      server = null;
      if (!databaseUrl) {
        // The reference: the same load on the minimal static server, same file.
        server = await startStaticServer(path.dirname(item.storedPath), dataDir);
        const reference = await underLoad(
          server,
          `${server.url}/${encodeURIComponent(path.basename(item.storedPath))}`,
          {},
          master.bytes,
          (line) => log(`static: ${line}`),
          { ranges: false },
        );
        return { load, reference };
      }
      return { load, reference: null };
    } finally {
      await server?.stop();
      await removeDataDir(dataDir);
    }
  };
  const embedded = await portalRun(undefined);
  loads.push({ name: "portal, embedded database (the default)", load: embedded.load, ranges: true });
  const cluster = await startCluster("memory");
  if (cluster) {
    try {
      const external = await portalRun(cluster.url);
      loads.push({
        name: "portal on PostgreSQL (database in its own processes)",
        load: external.load,
        ranges: true,
      });
    } finally {
      cluster.stop();
    }
  } else log("PostgreSQL server binaries not found: no PostgreSQL row");
  if (embedded.reference)
    loads.push({ name: "reference: Node static server", load: embedded.reference, ranges: false });
  const portalLoad = embedded.load;
  const external = loads.find((l) => l.name.includes("PostgreSQL"));

  const row = (name: string, l: Load, ranges: boolean) => [
    name,
    mb(l.idle),
    mb(l.peak),
    mb(l.median),
    mb(l.after),
    `${l.started} started, ${l.completed} finished${ranges ? `; ${l.ranges} range requests` : ""}`,
    `${(l.bytes / 1e9).toFixed(1)} GB (${(l.bytes / 1e6 / l.seconds).toFixed(0)} MB/s)`,
    l.errors.length === 0 ? "none" : `${l.errors.length}: ${[...new Set(l.errors)].slice(0, 3).join("; ")}`,
  ];
  const met = portalLoad.peak < TARGET_BYTES && portalLoad.errors.length === 0;
  const body = `
${runContext(machine(), started, loadBefore)}

**How:** the portal runs as its own process (\`npm start\`: \`dist/server/main.js start\`, embedded PGlite database in the same
process, local storage), and again on a throwaway PostgreSQL 15 cluster (\`DATABASE_URL\`), where the
database's memory is in the PostgreSQL server's own processes (not counted). ${settings.memoryClients} clients (\`BENCH_MEMORY_CLIENTS\`) start a full download of the same
${(master.bytes / 1e9).toFixed(2)} GB master (${master.label}, ${master.minutes} min) at once, each on its own connection: half read as
fast as they can, half at ${SLOW_BYTES_PER_SECOND / 1024 / 1024} MiB/s (slow readers make a server that ignores back-pressure buffer).
${RANGE_LOOPS} more clients meanwhile ask, one after another, for random byte ranges of 1–16 MiB (\`Range: bytes=a-b\`).
After ${settings.memorySeconds} s (\`BENCH_MEMORY_SECONDS\`) the clients still downloading hang up. The server's resident memory
(VmRSS from \`/proc/PID/status\`) is sampled every ${SAMPLE_MS} ms: idle (started, one request served), peak and median under
load, and ${3} s after the clients left. The same load on the minimal Node static server (no range
requests, which it does not serve) is the reference. MB = MiB here.

${table(
  ["server", "idle", "peak", "median under load", "after", "requests", "bytes sent", "errors"],
  loads.map((l) => row(l.name, l.load, l.ranges)),
)}

Target: the portal's peak resident memory under ${mb(TARGET_BYTES)} with ${settings.memoryClients} concurrent downloads: ${mb(portalLoad.peak)} with the embedded database — ${verdict(met)}${external ? `; ${mb(external.load.peak)} on PostgreSQL — ${verdict(external.load.peak < TARGET_BYTES && external.load.errors.length === 0)}` : ""}.
`;
  return {
    id: "memory",
    title: `3. Memory: ${settings.memoryClients} concurrent downloads of a large master`,
    body,
  };
}

async function underLoad(
  server: ChildServer,
  url: string,
  headers: Record<string, string>,
  size: number,
  log: (line: string) => void,
  options: { ranges: boolean } = { ranges: true },
): Promise<Load> {
  // One request first: the idle figure is a server that has served, not one that never did.
  // (The static server ignores Range: the first MiB is read and the connection closed.)
  await download(url, { ...headers, range: "bytes=0-1048575" }, 0, AbortSignal.timeout(30_000), 1024 * 1024);
  await sleep(1000);
  const idle = residentBytes(server.pid) ?? 0;
  const samples: number[] = [];
  const sampler = setInterval(() => {
    const rss = residentBytes(server.pid);
    if (rss !== null) samples.push(rss);
  }, SAMPLE_MS);
  const controller = new AbortController();
  const errors: string[] = [];
  let bytes = 0;
  let completed = 0;
  let ranges = 0;
  const startedAt = performance.now();
  const deadline = setTimeout(() => controller.abort(), settings.memorySeconds * 1000);
  const clients = Array.from({ length: settings.memoryClients }, (_, i) =>
    download(url, headers, i % 2 === 0 ? 0 : SLOW_BYTES_PER_SECOND, controller.signal).then((result) => {
      bytes += result.bytes;
      if (result.complete && result.bytes === size) completed += 1;
      if (result.error) errors.push(result.error);
    }),
  );
  const rangeLoops = options.ranges
    ? Array.from({ length: RANGE_LOOPS }, async () => {
        while (!controller.signal.aborted) {
          const length = (1 + Math.floor(Math.random() * 16)) * 1024 * 1024;
          const start = Math.floor(Math.random() * (size - length));
          const result = await download(
            url,
            { ...headers, range: `bytes=${start}-${start + length - 1}` },
            0,
            controller.signal,
          );
          bytes += result.bytes;
          if (result.error) errors.push(result.error);
          else if (result.complete) {
            ranges += 1;
            if (result.status !== 206 || result.bytes !== length)
              errors.push(`range: status ${result.status}, ${result.bytes} of ${length} bytes`);
          }
        }
      })
    : [];
  const progress = setInterval(() => log(`RSS ${mb(residentBytes(server.pid) ?? 0)}`), 5000);
  await Promise.all([...clients, ...rangeLoops]);
  const seconds = (performance.now() - startedAt) / 1000;
  clearTimeout(deadline);
  clearInterval(progress);
  clearInterval(sampler);
  await sleep(3000);
  const after = residentBytes(server.pid) ?? 0;
  const peak = Math.max(...samples);
  log(
    `idle ${mb(idle)}, peak ${mb(peak)}, after ${mb(after)}; ${completed} downloads finished, ${(bytes / 1e9).toFixed(1)} GB`,
  );
  return {
    idle,
    peak,
    median: median(samples),
    after,
    bytes,
    completed,
    started: settings.memoryClients,
    ranges,
    errors,
    seconds,
  };
}

interface Result {
  status: number;
  bytes: number;
  complete: boolean;
  error: string | null;
}

/** One GET read to the end (or until `signal`, or `maxBytes`), at most `rate` bytes a second when rate > 0. */
function download(
  url: string,
  headers: Record<string, string>,
  rate: number,
  signal: AbortSignal,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Result> {
  const target = new URL(url);
  if (target.hostname !== "127.0.0.1")
    throw new Error(`the bench only talks to 127.0.0.1, not ${target.host}`);
  return new Promise((resolve) => {
    let bytes = 0;
    let status = 0;
    let settled = false;
    const finish = (complete: boolean, error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ status, bytes, complete, error });
    };
    if (signal.aborted) return finish(false, null);
    const startedAt = performance.now();
    const request = http.get(target, { agent: false, headers }, (response) => {
      status = response.statusCode ?? 0;
      if (status >= 400) {
        response.resume();
        finish(false, `status ${status}`);
        return;
      }
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes >= maxBytes) {
          finish(true, null);
          request.destroy();
          return;
        }
        if (rate > 0) {
          const due = startedAt + (bytes / rate) * 1000;
          const wait = due - performance.now();
          if (wait > 1) {
            response.pause();
            setTimeout(() => response.resume(), wait);
          }
        }
      });
      response.once("end", () => finish(true, null));
      response.once("error", (error) => finish(false, signal.aborted ? null : error.message));
    });
    request.once("error", (error) => finish(false, signal.aborted ? null : error.message));
    request.once("close", () => finish(false, null));
    const abort = () => request.destroy();
    signal.addEventListener("abort", abort, { once: true });
    request.once("close", () => signal.removeEventListener("abort", abort));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
