import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "./portal.ts";
import { BENCH_DATA } from "./settings.ts";

export interface Cluster {
  /** A database made for one bench part. */
  url: string;
  stop(): void;
}

/**
 * A throwaway PostgreSQL 15 cluster (initdb + pg_ctl, as the `postgres` user when run as root, as the
 * test suite does), with one database for the bench; null when the server binaries are not installed.
 */
export async function startCluster(name: string): Promise<Cluster | null> {
  const bin = binDir();
  if (!bin) return null;
  fs.mkdirSync(BENCH_DATA, { recursive: true });
  const dir = fs.mkdtempSync(path.join(BENCH_DATA, `pg-${name}-`));
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  const asUser = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asUser.length) {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    fs.chownSync(dir, id("-u"), id("-g"));
  }
  const run = (command: string, args: string[], check = true) => {
    const [cmd, ...rest] = [...asUser, command, ...args];
    const result = spawnSync(cmd!, rest, { encoding: "utf8" });
    if (check && result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  run(path.join(bin, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "pressroom",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
  ]);
  run(path.join(bin, "pg_ctl"), [
    ...["-D", dataDir, "-l", path.join(dir, "server.log"), "-w", "-t", "60"],
    ...[
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      "start",
    ],
  ]);
  const stop = () => {
    run(path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "stop"], false);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(path.join(bin, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "pressroom", "bench"]);
  } catch (error) {
    stop();
    throw error;
  }
  return { url: `postgres://pressroom@127.0.0.1:${port}/bench`, stop };
}

function binDir(): string | null {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const root = "/usr/lib/postgresql";
  if (fs.existsSync(root)) {
    for (const version of fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)))
      candidates.push(path.join(root, version, "bin"));
  }
  return (
    candidates.find(
      (dir) => fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl")),
    ) ?? null
  );
}
