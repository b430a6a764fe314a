import path from "node:path";
import { startNginx, startStaticServer } from "../lib/baselines.ts";
import { timedGet } from "../lib/http.ts";
import { loadAverage, machine, treeCpuSeconds } from "../lib/machine.ts";
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
import { type PartReport, runContext } from "../lib/results.ts";
import { settings } from "../lib/settings.ts";
import { max, median, min, percent, table, verdict } from "../lib/stats.ts";

const TARGET = 0.9;

interface Server {
  name: string;
  url: string;
  headers: Record<string, string>;
  pid: number;
  rates: number[];
  /** Server CPU seconds per GB sent: what the server spends, whatever else runs on the machine. */
  cpuPerGb: number[];
  bytes: number;
}

/**
 * Part 2: a full download of a large master through the download endpoint, against the same file
 * from a static file server, same client, alternating, several runs.
 */
export async function downloadPart(log: (line: string) => void): Promise<PartReport> {
  const started = new Date();
  const loadBefore = loadAverage();
  const master = await benchMaster("xdcam", settings.minutes, log);
  const dataDir = await newDataDir("download");
  const { token, items } = await withDatabase(dataDir, undefined, async (db) => ({
    token: await seedUser(db),
    items: await seedMasters(db, dataDir, [master]),
  }));
  const item = items[0]!;
  const children: ChildServer[] = [];
  const servers: Server[] = [];
  try {
    const portal = await startPortal(dataDir, await freePort());
    children.push(portal);
    servers.push({
      name: "portal: GET /api/v1/items/{id}/download (format=original)",
      url: `${portal.url}/api/v1/items/${item.id}/download`,
      headers: { authorization: `Bearer ${token}` },
      pid: portal.pid,
      cpuPerGb: [],
      rates: [],
      bytes: 0,
    });
    const storageRoot = path.dirname(item.storedPath);
    const file = encodeURIComponent(path.basename(item.storedPath));
    const staticServer = await startStaticServer(storageRoot, dataDir);
    children.push(staticServer);
    servers.push({
      name: "baseline: Node static server (createReadStream + Content-Length)",
      url: `${staticServer.url}/${file}`,
      headers: {},
      pid: staticServer.pid,
      cpuPerGb: [],
      rates: [],
      bytes: 0,
    });
    const nginx = await startNginx(storageRoot, dataDir);
    if (nginx) {
      children.push(nginx);
      servers.push({
        name: "reference: nginx 1 worker, sendfile",
        url: `${nginx.url}/${file}`,
        headers: {},
        pid: nginx.pid,
        cpuPerGb: [],
        rates: [],
        bytes: 0,
      });
    } else log("nginx not installed: no nginx reference row (apt-get install nginx-light)");

    // One unmeasured download each, so every server reads a file already in the page cache.
    for (const server of servers) await timedGet(server.url, { headers: server.headers });
    for (let run = 0; run < settings.downloadRuns; run++) {
      // Alternating, and rotating who goes first, so the machine's load drifts over all alike.
      for (let k = 0; k < servers.length; k++) {
        const server = servers[(run + k) % servers.length]!;
        const cpuBefore = treeCpuSeconds(server.pid);
        const timed = await timedGet(server.url, { headers: server.headers });
        server.cpuPerGb.push((treeCpuSeconds(server.pid) - cpuBefore) / (timed.bytes / 1e9));
        if (timed.status !== 200 || timed.bytes !== master.bytes)
          throw new Error(`${server.url}: status ${timed.status}, ${timed.bytes} of ${master.bytes} bytes`);
        const rate = timed.bytes / 1e6 / (timed.totalMs / 1000);
        server.rates.push(rate);
        server.bytes = timed.bytes;
        log(
          `run ${run + 1}, ${server.name.split(":")[0]}: ${rate.toFixed(0)} MB/s, server CPU ${server.cpuPerGb.at(-1)!.toFixed(2)} s/GB (first byte ${timed.firstByteMs.toFixed(1)} ms)`,
        );
      }
    }
  } finally {
    for (const child of children) await child.stop();
  }
  await removeDataDir(dataDir);

  const baseline = median(servers[1]!.rates);
  const rows = servers.map((s, i) => {
    const share = median(s.rates) / baseline;
    return [
      s.name,
      `${median(s.rates).toFixed(0)} MB/s`,
      `${min(s.rates).toFixed(0)}–${max(s.rates).toFixed(0)} MB/s`,
      i === 1 ? "100 %" : percent(share),
      `${median(s.cpuPerGb).toFixed(2)} s`,
    ];
  });
  const portalShare = median(servers[0]!.rates) / baseline;
  const nginxRow = servers[2];
  const nginxShare = nginxRow ? median(servers[0]!.rates) / median(nginxRow.rates) : Number.NaN;
  const body = `
${runContext(machine(), started, loadBefore)}

**How:** the same ${(master.bytes / 1e9).toFixed(2)} GB file (the ${master.minutes}-minute ${master.label} master)
downloaded whole over HTTP on 127.0.0.1 by the same client (Node \`http.get\`, a fresh connection, the body
read as it comes and discarded), from the portal's download endpoint (a separate process:
\`npm start\`: \`dist/server/main.js start\`, embedded database, local storage; bearer-token user with accepted usage terms, so
each request is authorised, checked and recorded) and from a minimal static file server in a separate Node
process (\`bench/static-server.ts\`: \`fs.createReadStream\` piped to the response with Content-Length)${nginxRow ? ", with nginx (sendfile, one worker) as a further reference" : ""}.
One unmeasured download each first, so the file is in the page cache for all; then ${settings.downloadRuns} runs
each, alternating (median, min–max). MB = 10⁶ bytes.

${table(["server", "throughput (median)", "range", "vs Node static server", "server CPU per GB (median)"], rows)}

Server CPU per GB is read from \`/proc/PID/stat\` (the process and its children) around each download: it
shows what each server spends to send the bytes, which the machine's other load does not change as much
as it changes wall-clock throughput.

Target: the portal at least ${percent(TARGET)} of the static file server's throughput: ${percent(portalShare)} — ${verdict(portalShare >= TARGET)}${nginxRow ? ` against the Node static server (the baseline); against nginx it is ${percent(nginxShare)}, ${nginxShare >= TARGET ? "also at least" : "below"} ${percent(TARGET)}` : ""}.
`;
  return { id: "download", title: "2. Full download throughput vs a static file server", body };
}
