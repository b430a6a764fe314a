import autocannon from "autocannon";
import { getText } from "./http.ts";
import { settings } from "./settings.ts";
import { percentile } from "./stats.ts";

/** What one page did: alone (one connection, one request at a time), then under load. */
export interface Load {
  name: string;
  path: string;
  bytes: number;
  aloneP50: number;
  aloneP95: number;
  aloneP99: number;
  loadedP50: number;
  loadedP95: number;
  loadedP99: number;
  /** Requests per second with `settings.pageConnections` connections. */
  rps: number;
  /** Connection errors, time-outs and answers other than 2xx, in both runs. */
  errors: number;
  /** Response headers of the probe before the runs (Cache-Control, ETag, nginx's cache status). */
  headers: Headers;
}

/**
 * Loads `base + path` for `settings.pageSeconds` with one connection, then as long with
 * `settings.pageConnections`. Latencies are every response's time as autocannon reports it
 * (its summary has no p95), so percentiles are computed here from all of them.
 */
export async function loadPage(base: string, target: { name: string; path: string }): Promise<Load> {
  const url = `${base}${target.path}`;
  if (!url.startsWith("http://127.0.0.1:")) throw new Error(`the bench only talks to 127.0.0.1, not ${url}`);
  // Twice: the first may fill a cache (the database's, nginx's) that the runs then find warm.
  await getText(url);
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  const alone = await run(url, 1);
  const loaded = await run(url, settings.pageConnections);
  return {
    ...target,
    bytes: Buffer.byteLength(text),
    aloneP50: percentile(alone.times, 50),
    aloneP95: percentile(alone.times, 95),
    aloneP99: percentile(alone.times, 99),
    loadedP50: percentile(loaded.times, 50),
    loadedP95: percentile(loaded.times, 95),
    loadedP99: percentile(loaded.times, 99),
    rps: loaded.rps,
    errors: alone.errors + loaded.errors,
    headers: response.headers,
  };
}

async function run(
  url: string,
  connections: number,
): Promise<{ times: number[]; rps: number; errors: number }> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections, duration: settings.pageSeconds, timeout: 30 },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
  return {
    times,
    rps: result.requests.total / (result.duration || settings.pageSeconds),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** Milliseconds as the tables show them. */
export function latency(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(0)} ms`;
}
