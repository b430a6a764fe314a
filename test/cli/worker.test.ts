import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { openTestDatabase } from "../helpers/database.ts";
import { serverArgs } from "../helpers/server-bundle.ts";

const root = path.resolve(import.meta.dirname, "../..");
let db: Database;
let url: string | null;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, url, drop } = await openTestDatabase());
});
afterAll(() => drop());

describe("npm run worker on a shared PostgreSQL server", () => {
  it("starts a process that works jobs from the same database, and stops cleanly on SIGTERM", async () => {
    // As `npm run worker` starts it: one node process, on the bundle. Through a wrapper such as tsx's
    // own CLI, a second process relays the signal and kills its child with SIGKILL when the child has not said within 30 ms that
    // it got it, which a loaded machine missed (exit 143 instead of a clean stop).
    const worker = spawn(process.execPath, serverArgs("worker"), {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url!, DATA_DIR: os.tmpdir() },
    });
    let output = "";
    worker.stdout.on("data", (d: Buffer) => (output += d.toString()));
    worker.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 60_000;
    while (!output.includes("worker is running") && Date.now() < deadline && worker.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output).toContain("Pressroom worker is running");
    // The worker uses the queue tables in this very database.
    const tables = await db.query(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = 'pgboss' AND table_name = 'job'",
    );
    expect(tables).toHaveLength(1);
    worker.kill("SIGTERM");
    const code = await new Promise((resolve) => worker.once("exit", resolve));
    expect(code).toBe(0);
  });
});
