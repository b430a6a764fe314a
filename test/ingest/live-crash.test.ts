import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setItemPublished } from "../../src/catalogue/item-store.ts";
import { findLiveStream, type LivePiece, livePieces } from "../../src/catalogue/live-store.ts";
import { findMaster } from "../../src/catalogue/media-store.ts";
import { type Config, loadConfig } from "../../src/core/config.ts";
import type { Database } from "../../src/db/database.ts";
import { createJobQueue, createQueues, jobQueue } from "../../src/db/jobs.ts";
import { createLiveItem, endLive } from "../../src/ingest/live/streams.ts";
import { runFfmpeg } from "../../src/media/ffmpeg.ts";
import { createStorage, type Storage } from "../../src/storage/index.ts";
import { openTestDatabase } from "../helpers/database.ts";
import { frameCodesOf, h264Master, type TestMaster } from "../helpers/media.ts";
import { waitUntil } from "../helpers/processes.ts";
import { serverArgs } from "../helpers/server-bundle.ts";
import { createEvent } from "./fixtures.ts";
import { freeTcpPort, freeUdpPorts, startSender } from "./live-sender.ts";

/**
 * The live recording's robustness (issue 12), with the portal as a real process on PostgreSQL
 * (the test reads the database while it runs) and ffmpeg as the venue's encoder over RTMP: a
 * portal killed with SIGKILL mid-live, an encoder that drops, a stream with no picture, a second
 * sender on a key in use, and a second portal process that serves the live without receiving it.
 */

const root = path.resolve(import.meta.dirname, "../..");
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
let db: Database;
let drop: () => Promise<void>;
let dataDir: string;
let config: Config;
let env: Record<string, string>;
let boss: PgBoss;
let storage: Storage;
let short: TestMaster;
let long: TestMaster;
let soundOnly: string;
const portals = new Map<string, Proc>();

type Proc = { child: ChildProcess; output: string; exit: Promise<unknown> };

beforeAll(async () => {
  const opened = await openTestDatabase();
  ({ db, drop } = opened);
  dataDir = mkdtempSync(path.join(os.tmpdir(), "pressroom-live-crash-"));
  env = {
    DATABASE_URL: opened.url!,
    DATA_DIR: dataDir,
    DEMO_CONTENT: "off",
    PORT: String(await freeTcpPort()),
    LIVE_RTMP_PORT: String(await freeTcpPort()),
    LIVE_SRT_PORT: String(await freeUdpPorts(4)),
    LIVE_SRT_PORTS: "4",
    LIVE_HOST: "127.0.0.1",
    JOB_LEASE_SECONDS: "3",
  };
  config = loadConfig(env);
  boss = createJobQueue(db, config.jobs);
  await boss.start();
  await createQueues(boss);
  storage = await createStorage(config.storage);
  await createEvent(db, "summit");
  [short, long] = await Promise.all([
    h264Master({ seconds: 6, frameCode: true }),
    h264Master({ seconds: 16, frameCode: true }),
  ]);
  soundOnly = path.join(dataDir, "sound-only.m4a");
  await runFfmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=8", "-c:a", "aac", soundOnly]);
  await startPortal("first");
}, 180_000);

afterAll(async () => {
  for (const { child } of portals.values()) child.kill("SIGKILL");
  await boss?.stop({ graceful: false, wait: true });
  await drop?.();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startPortal(name: string, extra: Record<string, string> = {}): Promise<Proc> {
  const child = spawn(process.execPath, serverArgs("start"), {
    cwd: root,
    env: { ...process.env, ...env, ...extra },
  });
  const proc: Proc = { child, output: "", exit: new Promise((resolve) => child.once("exit", resolve)) };
  child.stdout!.on("data", (d: Buffer) => (proc.output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (proc.output += d.toString()));
  portals.set(name, proc);
  expect(await waitUntil(() => proc.output.includes("Pressroom is running"), 60_000), proc.output).toBe(true);
  return proc;
}

/** The venue's encoder over RTMP (`startSender`). */
function send(file: string, itemKey: string, options: { maps?: string[]; loops?: number } = {}) {
  return startSender(file, `rtmp://127.0.0.1:${env.LIVE_RTMP_PORT}/live/${itemKey}`, "flv", options);
}

async function newLive(title: string): Promise<{ id: number; key: string }> {
  const item = await createLiveItem(
    { db, config, now: () => new Date() },
    { event: "summit", title: { en: title } },
    null,
  );
  return { id: item.id, key: item.stream.key };
}

const stream = (id: number) => findLiveStream(db, id);
const piecesOf = (id: number) => livePieces(db, id);
const seconds = (pieces: LivePiece[]) => pieces.reduce((sum, p) => sum + p.durationSeconds, 0);
/** The receiving process has stored the connection's last piece. */
const settled = async (id: number) => (await stream(id))?.receivingAt === null;

describe("a live recording through crashes, drops and bad senders", { timeout: 180_000 }, () => {
  it("refuses a second sender on a key in use while the first goes on, whole", async () => {
    const live = await newLive("Second sender");
    const first = send(short.path, live.key);
    expect(await waitUntil(async () => (await stream(live.id))?.state === "live", 20_000)).toBe(true);
    const second = await send(short.path, live.key).done;
    expect(second.code).not.toBe(0);
    expect((await first.done).code).toBe(0);
    await waitUntil(() => settled(live.id), 20_000);
    const pieces = await piecesOf(live.id);
    expect(new Set(pieces.map((p) => p.connection))).toEqual(new Set([1]));
    expect(Math.abs(seconds(pieces) - short.frameCount / 25)).toBeLessThan(0.15);
    expect((await stream(live.id))?.gaps).toEqual([]);
  });

  it("continues the same recording when the encoder drops and comes back, what came before kept", async () => {
    const live = await newLive("Encoder drops");
    const first = send(long.path, live.key);
    expect(await waitUntil(async () => (await piecesOf(live.id)).length >= 2, 30_000)).toBe(true);
    first.child.kill("SIGKILL"); // the venue's network goes
    await first.done;
    expect(await waitUntil(() => settled(live.id), 20_000)).toBe(true);
    const before = await piecesOf(live.id);

    expect((await send(short.path, live.key).done).code).toBe(0);
    await waitUntil(() => settled(live.id), 20_000);
    const after = await piecesOf(live.id);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((p) => p.connection)).not.toContain(1);
    expect(new Set(after.map((p) => p.connection))).toEqual(new Set([1, 2]));
    const state = await stream(live.id);
    expect(state?.state).toBe("live");
    expect(state?.gaps).toHaveLength(1);
    expect(state?.gaps[0]?.at).toBeCloseTo(seconds(before), 3);
  });

  it("tells the editor a stream without picture cannot be recorded, and records nothing", async () => {
    const live = await newLive("Sound only");
    await send(soundOnly, live.key, { maps: ["-map", "0:a"] }).done;
    expect(await waitUntil(async () => (await stream(live.id))?.problem === "no_video", 30_000)).toBe(true);
    expect(await piecesOf(live.id)).toEqual([]);
    expect((await stream(live.id))?.state).toBe("waiting");
  });

  it("keeps every piece stored before the portal is killed (SIGKILL); after a restart the encoder continues the same item", async () => {
    const live = await newLive("Portal killed");
    const first = send(long.path, live.key);
    expect(await waitUntil(async () => (await piecesOf(live.id)).length >= 3, 30_000)).toBe(true);
    const portal = portals.get("first")!;
    portal.child.kill("SIGKILL");
    await portal.exit;
    await first.done; // the encoder loses its connection
    const before = await piecesOf(live.id);
    expect(before.length).toBeGreaterThanOrEqual(3);
    for (const piece of before) expect((await storage.stat(piece.storageKey))?.size).toBe(piece.bytes);

    await startPortal("first");
    expect((await send(short.path, live.key).done).code).toBe(0);
    await waitUntil(() => settled(live.id), 20_000);
    const after = await piecesOf(live.id);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBeGreaterThan(before.length);
    const state = await stream(live.id);
    expect(state?.state).toBe("live");
    expect(state?.gaps).toHaveLength(1);
    expect(state?.gaps[0]?.missingSeconds).toBeGreaterThan(0);

    // Ended, the recording is the item's master: the first connection from its first frame with
    // nothing missing up to the kill, then the whole second one.
    await endLive({ db, now: () => new Date(), jobs: jobQueue(boss, config.jobs) }, live.id);
    expect(await waitUntil(async () => (await findMaster(db, live.id)) !== null, 120_000)).toBe(true);
    const master = (await findMaster(db, live.id))!;
    const codes = await frameCodesOf(await storage.localPath(master.storageKey, config.mastersCacheDir));
    const kept = codes.length - short.frameCount;
    expect(codes).toEqual([...range(kept), ...range(short.frameCount)]);
    expect(kept).toBeGreaterThanOrEqual(Math.round(seconds(before) * 25) - 2);
  });

  it("with a second portal process on the same database: it serves the live playlist and pieces it does not receive", async () => {
    const live = await newLive("Two processes");
    await setItemPublished(db, live.id, true, new Date());
    const sender = send(long.path, live.key);
    expect(await waitUntil(async () => (await piecesOf(live.id)).length >= 1, 30_000)).toBe(true);
    // Started during the live, on the same machine: the RTMP port is the first one's.
    const other = await startPortal("second", { PORT: String(await freeTcpPort()) });
    expect(other.output).toContain("the RTMP port is in use");
    const base = `http://127.0.0.1:${otherPort(other)}`;
    const listed = (await piecesOf(live.id)).length;
    const playlist = await fetch(`${base}/media/items/${live.id}/live.m3u8`);
    expect(playlist.status).toBe(200);
    const body = await playlist.text();
    expect(body).not.toContain("#EXT-X-ENDLIST");
    expect((body.match(/#EXTINF/g) ?? []).length).toBeGreaterThanOrEqual(listed);
    const piece = await fetch(`${base}/media/items/${live.id}/live/0.ts`);
    expect(piece.status).toBe(200);
    expect((await piece.arrayBuffer()).byteLength).toBe((await piecesOf(live.id))[0]!.bytes);
    // All that while the first process was still receiving: the second one served a live that went on.
    expect((await stream(live.id))?.receivingAt).not.toBeNull();

    // The first process's recording went on undisturbed by the second one starting.
    expect((await sender.done).code).toBe(0);
    await waitUntil(() => settled(live.id), 20_000);
    const pieces = await piecesOf(live.id);
    expect(new Set(pieces.map((p) => p.connection))).toEqual(new Set([1]));
    expect(Math.abs(seconds(pieces) - long.frameCount / 25)).toBeLessThan(0.2);
  });
});

/** The port a portal's log says it listens on. */
function otherPort(proc: Proc): string {
  return /Pressroom is running at http:\/\/[^:]+:(\d+)/.exec(proc.output)?.[1] ?? "0";
}
