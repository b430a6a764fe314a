import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync } from "node:fs";
import { link, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { hashToken } from "../../src/accounts/sessions.ts";
import { openRuntime } from "../../src/app/services.ts";
import { loadConfig } from "../../src/core/config.ts";
import type { Database } from "../../src/db/database.ts";
import { indexKeyframes, type KeyframeIndex } from "../../src/media/keyframes.ts";
import { type MasterInfo, probeMaster } from "../../src/media/probe.ts";
import type { BenchMaster } from "./masters.ts";
import { ROOT, RUNS_DIR } from "./settings.ts";

/** A fresh data folder for one part of the bench, under `.bench-data/runs/` (on the masters' file system). */
export async function newDataDir(part: string): Promise<string> {
  await mkdir(RUNS_DIR, { recursive: true });
  return mkdtemp(path.join(RUNS_DIR, `${part}-`));
}

export interface SeededItem {
  id: number;
  master: BenchMaster;
  info: MasterInfo;
  index: KeyframeIndex;
  /** Where the portal stores the master: the file a static server serves for comparison. */
  storedPath: string;
}

/** What the bench needs to talk to a seeded portal. */
export interface Seed {
  token: string;
  items: SeededItem[];
}

/** Environment of a portal on `dataDir` (and PostgreSQL when `databaseUrl` is given). */
export function portalEnv(dataDir: string, port: number, databaseUrl?: string): Record<string, string> {
  return {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
}

/**
 * Opens the portal's database the way the portal does (migrations included), then `work` writes
 * what the bench needs straight into it. With the embedded database this must happen while the
 * portal is not running: one process per data folder.
 */
export async function withDatabase<T>(
  dataDir: string,
  databaseUrl: string | undefined,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const config = loadConfig(portalEnv(dataDir, 0, databaseUrl));
  const runtime = await openRuntime(config);
  try {
    return await work(runtime.db);
  } finally {
    await runtime.close();
  }
}

/** A verified media user who accepted the download terms, and an API token for them. */
export async function seedUser(db: Database): Promise<string> {
  const now = new Date();
  const [user] = await db.query<{ id: number }>(
    `INSERT INTO users (email, password_hash, name, organisation, country, language, role, terms_accepted_at,
       email_verified_at, created_at, updated_at, download_terms_accepted_at)
     VALUES ($1, 'not-a-real-hash', 'Bench User', 'Bench Broadcasting', 'BE', 'en', 'media', $2, $2, $2, $2, $2)
     RETURNING id`,
    [`bench-${randomBytes(4).toString("hex")}@example.org`, now],
  );
  const token = `prt_${randomBytes(32).toString("base64url")}`;
  await db.query(
    "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, 'bench', $2, $3)",
    [user!.id, hashToken(token), now],
  );
  return token;
}

/**
 * A published, ready video item for each master, as ingest leaves one: probe in `masters`, keyframe
 * index in storage, the master in storage (hard-linked, not copied: masters are gigabytes).
 */
export async function seedMasters(
  db: Database,
  dataDir: string,
  masters: BenchMaster[],
): Promise<SeededItem[]> {
  const now = new Date();
  const storageRoot = path.join(dataDir, "storage");
  const [event] = await db.query<{ id: number }>(
    `INSERT INTO events (slug, starts_at, title_en, title_fr, published_at, created_at, updated_at)
     VALUES ($1, $2, 'Bench summit', 'Sommet du banc d''essai', $2, $2, $2) RETURNING id`,
    [`bench-${randomBytes(3).toString("hex")}`, now],
  );
  const items: SeededItem[] = [];
  for (const master of masters) {
    const { info, index } = await analysed(master);
    const [item] = await db.query<{ id: number }>(
      `INSERT INTO media_items (event_id, media_type, kind, title_en, title_fr, status, progress, duration_seconds,
         published_at, created_at, updated_at)
       VALUES ($1, 'video', 'press-conference', $2, $2, 'ready', 100, $3, $4, $4, $4) RETURNING id`,
      [event!.id, `Bench ${master.label}`, info.durationSeconds, now],
    );
    const id = item!.id;
    const name = path.basename(master.path);
    const masterKey = `items/${id}/master/${name}`;
    const indexKey = `items/${id}/keyframes.json`;
    const storedPath = path.join(storageRoot, masterKey);
    await mkdir(path.dirname(storedPath), { recursive: true });
    await link(master.path, storedPath);
    await writeFile(path.join(storageRoot, indexKey), JSON.stringify(index));
    await db.query(
      `INSERT INTO masters (media_item_id, storage_key, original_name, bytes, probe, keyframe_index_key, audio_labels, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, '[]', $7)`,
      [id, masterKey, name, master.bytes, JSON.stringify(info), indexKey, now],
    );
    items.push({ id, master, info, index, storedPath });
  }
  return items;
}

/** Probe and keyframe index of a master, as ingest computes them; kept beside the master for the next run. */
async function analysed(master: BenchMaster): Promise<{ info: MasterInfo; index: KeyframeIndex }> {
  const file = `${master.path}.analysis.json`;
  if (existsSync(file) && (await stat(file)).mtimeMs >= (await stat(master.path)).mtimeMs) {
    return JSON.parse(await readFile(file, "utf8")) as { info: MasterInfo; index: KeyframeIndex };
  }
  const [info, index] = await Promise.all([probeMaster(master.path), indexKeyframes(master.path)]);
  await writeFile(file, JSON.stringify({ info, index }));
  return { info, index };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** A server running as a child process of the bench. */
export interface ChildServer {
  pid: number;
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts a server as a child process of the bench, logging to a file, and waits until `readyPath`
 * answers 200. Node runs the script itself (`node --import tsx script`, or the portal's bundle), so
 * the pid is the server's own and its memory can be read.
 */
export async function startChild(options: {
  name: string;
  /** A TypeScript file run by this Node, or with `command`, any program. */
  script?: string;
  command?: string;
  args: string[];
  env?: Record<string, string>;
  port: number;
  logDir: string;
  readyPath: string;
  timeoutMs?: number;
}): Promise<ChildServer> {
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, "a");
  const [command, args] = options.script
    ? [process.execPath, ["--import", "tsx", options.script, ...options.args]]
    : [options.command!, options.args];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitReady(child, `${url}${options.readyPath}`, options.timeoutMs ?? 120_000, logFile);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return { pid: child.pid!, url, logFile, stop: () => stopChild(child) };
}

/**
 * The portal itself, as `npm start` runs it (its bundle, dist/server/main.js, which run.ts builds
 * first), on the bench's data folder.
 */
export function startPortal(
  dataDir: string,
  port: number,
  options: { databaseUrl?: string; env?: Record<string, string>; name?: string } = {},
): Promise<ChildServer> {
  return startChild({
    name: options.name ?? "portal",
    command: process.execPath,
    args: ["--enable-source-maps", path.join(ROOT, "dist", "server", "main.js"), "start"],
    env: { ...portalEnv(dataDir, port, options.databaseUrl), ...options.env },
    port,
    logDir: dataDir,
    readyPath: "/healthz",
  });
}

async function waitReady(
  child: ChildProcess,
  url: string,
  timeoutMs: number,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once("exit", (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) {
      const log = await readFile(logFile, "utf8").catch(() => "");
      throw new Error(`${url}: the server exited with ${exited} before it was ready:\n${log.slice(-2000)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s (log: ${logFile})`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Removes a run's data folder (its masters are hard links: the originals stay). */
export async function removeDataDir(dataDir: string): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
}
