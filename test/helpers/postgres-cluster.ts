import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrate } from "../../src/db/migrate.ts";
import { openPostgres } from "../../src/db/postgres.ts";

/**
 * Vitest global setup: a throwaway PostgreSQL 15 cluster (initdb + pg_ctl) for the
 * `postgres` test project. Each test file then creates its own database in it, a copy of a migrated one.
 */
export default async function setup(project: TestProject) {
  const bin = postgresBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pressroom-pg-"));
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  // PostgreSQL refuses to run as root; CI runs as root, so the cluster belongs to `postgres`.
  const asUser = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asUser.length) fs.chownSync(dir, uidOf("postgres"), gidOf("postgres"));
  run(asUser, path.join(bin, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "pressroom",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
  ]);
  run(asUser, path.join(bin, "pg_ctl"), [
    "-D",
    dataDir,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "-t",
    "60",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    "start",
  ]);
  const stop = () => {
    run(asUser, path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "stop"], { check: false });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const url = `postgres://pressroom@127.0.0.1:${port}/postgres`;
  // Migrated once: each test file's database is a copy of it (CREATE DATABASE … TEMPLATE), which
  // takes a fraction of running the migrations in every file. A migration that fails stops the
  // cluster before the run ends.
  await migratedTemplate(url).catch((error: unknown) => {
    stop();
    throw error;
  });
  project.provide("postgresUrl", url);
  project.provide("postgresTemplate", TEMPLATE);
  return stop;
}

async function migratedTemplate(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const template = await openPostgres(url.replace(/\/postgres$/, `/${TEMPLATE}`));
  await migrate(template).finally(() => template.close());
}

const TEMPLATE = "pressroom_migrated";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    /** A migrated database to copy. */
    postgresTemplate: string;
  }
}

/** The installed server's bin directory: `pg_config --bindir`, else the newest under /usr/lib/postgresql. */
function postgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim());
  } catch {
    // pg_config comes with the dev package, which a machine may not have.
  }
  const root = "/usr/lib/postgresql";
  if (fs.existsSync(root)) {
    for (const version of fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)))
      candidates.push(path.join(root, version, "bin"));
  }
  const found = candidates.find(
    (dir) => fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl")),
  );
  if (!found)
    throw new Error(
      "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql-15, or set PG_BIN",
    );
  return found;
}

function run(asUser: string[], command: string, args: string[], options = { check: true }): void {
  const [cmd, ...rest] = [...asUser, command, ...args];
  const result = spawnSync(cmd!, rest, { encoding: "utf8" });
  if (options.check && result.status !== 0)
    throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
}

function uidOf(user: string): number {
  return Number(execFileSync("id", ["-u", user], { encoding: "utf8" }).trim());
}
function gidOf(user: string): number {
  return Number(execFileSync("id", ["-g", user], { encoding: "utf8" }).trim());
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
