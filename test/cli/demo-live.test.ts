import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CACHE } from "../demo/demo-media.ts";
import { childrenOf, isAlive, waitUntil } from "../helpers/processes.ts";
import { serverArgs } from "../helpers/server-bundle.ts";
import { freeTcpPort } from "../ingest/live-sender.ts";

/**
 * `npm run cli -- demo:live` beside a running portal on the embedded database (issue 12, "Trying
 * it"): the portal makes the live item (the CLI cannot open its data folder) and the CLI sends the
 * demo press conference to the portal's RTMP listener until it is stopped.
 */

const root = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];
const dirs: string[] = [];
let env: Record<string, string>;
let base: string;

type Run = { child: ChildProcess; stdout: string; stderr: string; exit: Promise<number | null> };

function run(args: string[]): Run {
  const child = spawn(process.execPath, serverArgs(...args), {
    cwd: root,
    env: { ...process.env, ...env },
  });
  children.push(child);
  const proc: Run = {
    child,
    stdout: "",
    stderr: "",
    // "close", not "exit": after "exit" the pipes may still hold what the process wrote last.
    exit: new Promise((resolve) => child.once("close", (code) => resolve(code))),
  };
  child.stdout!.on("data", (d: Buffer) => (proc.stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (proc.stderr += d.toString()));
  return proc;
}

const demoLive = () => run(["cli", "demo:live", "--short", "--media-dir", DEMO_CACHE]);

async function printed(proc: Run): Promise<{ id: number; page: string; created: boolean }> {
  expect(await waitUntil(() => proc.stdout.includes("\n"), 120_000), proc.stderr).toBe(true);
  return JSON.parse(proc.stdout.split("\n")[0]!);
}

async function liveOf(id: number): Promise<{ state: string; receivedSeconds: number }> {
  const res = await fetch(`${base}/api/v1/items/${id}`);
  return ((await res.json()) as { live: { state: string; receivedSeconds: number } }).live;
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pressroom-demo-live-"));
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  const port = await freeTcpPort();
  env = {
    DATA_DIR: tempDir(),
    DEMO_CONTENT: "off",
    PORT: String(port),
    LIVE_RTMP_PORT: String(await freeTcpPort()),
    LIVE_SRT_PORT: "off",
  };
  delete process.env.DATABASE_URL;
  base = `http://127.0.0.1:${port}`;
  const portal = run(["start"]);
  expect(await waitUntil(() => portal.stdout.includes("Pressroom is running"), 60_000), portal.stderr).toBe(
    true,
  );
});

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("npm run cli -- demo:live beside the running portal", { timeout: 180_000 }, () => {
  it("makes a live item in the demo event and within a minute it is live, its playlist growing; Ctrl-C stops the sender", async () => {
    const sender = demoLive();
    const started = Date.now();
    const item = await printed(sender);
    expect(item).toEqual({ id: expect.any(Number), page: `${base}/en/items/${item.id}`, created: true });
    // stdout and stderr are two pipes: what was written to one first may arrive second.
    const told = () => sender.stderr.includes(`watch it at ${item.page}`);
    expect(await waitUntil(told, 10_000), sender.stderr).toBe(true);

    // Live with pieces listed, as a visitor's player gets them: the item is published.
    const playing = async () => {
      const live = await liveOf(item.id);
      if (live.state !== "live") return false;
      const playlist = await (await fetch(`${base}/media/items/${item.id}/live.m3u8`)).text();
      return (playlist.match(/#EXTINF/g) ?? []).length >= 2;
    };
    expect(await waitUntil(playing, 60_000 - (Date.now() - started)), sender.stderr).toBe(true);
    expect((await fetch(item.page)).status).toBe(200);
    const event = await (await fetch(`${base}/api/v1/items/${item.id}`)).json();
    expect(event.event.slug).toBe("foreign-ministers-meeting-maravel");

    // The encoder is ffmpeg, started by the command; Ctrl-C stops both.
    const [ffmpeg] = childrenOf(sender.child.pid!, "ffmpeg");
    expect(ffmpeg).toBeDefined();
    sender.child.kill("SIGINT");
    expect(await sender.exit).toBe(0);
    expect(sender.stderr).toContain("Stopped sending.");
    expect(await waitUntil(() => !isAlive(ffmpeg!.pid), 10_000)).toBe(true);

    // Run again: the same live item, not a second one, and it goes on receiving.
    const before = (await liveOf(item.id)).receivedSeconds;
    const again = demoLive();
    expect(await printed(again)).toEqual({ ...item, created: false });
    expect(
      await waitUntil(async () => (await liveOf(item.id)).receivedSeconds > before + 2, 30_000),
      again.stderr,
    ).toBe(true);
    again.child.kill("SIGINT");
    expect(await again.exit).toBe(0);
  });

  it("says to start the portal first when none is running on the data folder, and makes nothing", async () => {
    const saved = env.DATA_DIR!;
    env.DATA_DIR = tempDir();
    const alone = demoLive();
    env.DATA_DIR = saved;
    expect(await alone.exit).toBe(1);
    expect(alone.stderr).toContain("start the portal (npm start)");
    expect(alone.stdout).toBe("");
  });
});
