import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migratedDataDir } from "../helpers/database.ts";
import { serverArgs } from "../helpers/server-bundle.ts";

const root = path.resolve(import.meta.dirname, "../..");
const dirs: string[] = [];
const children: ChildProcess[] = [];

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pressroom-cli-"));
  dirs.push(dir);
  return dir;
}

/** A data folder with its database made: the processes skip PGlite's initdb (helpers/database.ts). */
const withDatabase = () => migratedDataDir(dataDir());

function pressroom(args: string[], env: Record<string, string>) {
  // As the npm scripts start it (package.json): node on the bundle, one process.
  return spawnSync(process.execPath, serverArgs(...args), {
    cwd: root,
    env: { ...process.env, DEMO_CONTENT: "off", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("command line and processes on the embedded database", () => {
  it("creates an editor with user:add, printing JSON, and refuses a weak password clearly", async () => {
    const env = { DATA_DIR: await withDatabase() };
    const ok = pressroom(
      ["cli", "user:add", "--email", "Ed@Org.example", "--password", "Editor-Pass-2026!", "--role", "editor"],
      env,
    );
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout.trim().split("\n").at(-1)!)).toMatchObject({
      email: "ed@org.example",
      role: "editor",
      created: true,
    });

    const weak = pressroom(["cli", "user:add", "--email", "x@org.example", "--password", "weak"], env);
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain("Choose a stronger password.");
    expect(weak.stderr).toContain("at least 12 characters");
    expect(weak.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("lets an operator queue a job again and see the jobs not done, as JSON lines", async () => {
    const env = { DATA_DIR: await withDatabase() };
    const queued = pressroom(["cli", "jobs:retry", "media.process", "5"], env);
    expect(queued.status, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout.trim())).toEqual({ name: "media.process", id: "5", status: "queued" });
    const listed = pressroom(["cli", "jobs"], env);
    expect(listed.status, listed.stderr).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { name: "media.process", id: "5", state: "created", attempt: 0, startedOn: null, reason: null },
    ]);
  });

  it("refuses to start without a usable ffmpeg, in one sentence, rather than failing every job later", () => {
    const run = pressroom(["start"], { DATA_DIR: dataDir(), FFMPEG_PATH: "/no/such/ffmpeg" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("/no/such/ffmpeg not found: install ffmpeg or set FFMPEG_PATH");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a second process on a data folder the portal holds, with a sentence and not a stack trace, and still lists the commands", async () => {
    const dir = await withDatabase();
    const portal = spawn(process.execPath, serverArgs("start"), {
      cwd: root,
      env: { ...process.env, DATA_DIR: dir, PORT: "0", DEMO_CONTENT: "off" },
    });
    children.push(portal);
    let output = "";
    portal.stdout.on("data", (d: Buffer) => (output += d.toString()));
    portal.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 60_000;
    while (!output.includes("Pressroom is running") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain("Pressroom is running");

    const second = pressroom(
      ["cli", "user:add", "--email", "a@b.example", "--password", "Editor-Pass-2026!"],
      { DATA_DIR: dir },
    );
    expect(second.status).toBe(1);
    // The pid is the portal's node process.
    expect(second.stderr).toMatch(
      new RegExp(`The data folder ${dir} is in use by another Pressroom process \\(pid \\d+\\)`),
    );
    expect(second.stderr).not.toMatch(/\n\s+at /);
    // What needs no database is answered all the same: the list of commands.
    const help = pressroom(["cli", "help"], { DATA_DIR: dir });
    expect(help.status).toBe(2);
    expect(help.stderr).toMatch(/^Commands: migrate \| user:add /);
    const typo = pressroom(["cli", "evnt:add"], { DATA_DIR: dir });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^Unknown command "evnt:add"\.\nCommands: migrate /);

    portal.kill("SIGTERM");
    await new Promise((resolve) => portal.once("exit", resolve));
    expect(fs.existsSync(path.join(dir, "pressroom.pid"))).toBe(false);
  });

  it("explains that npm run worker needs DATABASE_URL", () => {
    const res = pressroom(["worker"], { DATA_DIR: dataDir() });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("npm run worker needs DATABASE_URL");
  });

  it("stops at start with every configuration problem listed", () => {
    const res = pressroom(["start"], { DATA_DIR: dataDir(), PORT: "x", SMTP_URL: "http://mail" });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('PORT must be a whole number, got "x"');
    expect(res.stderr).toContain("SMTP_URL must start with smtp:// or smtps://");
  });
});
