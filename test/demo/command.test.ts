import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openServices } from "../../src/app/services.ts";
import { loadConfig } from "../../src/core/config.ts";
import { DemoCommandError, runDemoCommand } from "../../src/demo/command.ts";
import { DEMO_CACHE } from "./demo-media.ts";

// The command opens its own embedded database in a data folder, as `npm run cli -- demo` does.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pressroom-demo-cli-"));
const config = loadConfig({ DATA_DIR: dataDir });
const args = ["--short", "--media-dir", DEMO_CACHE];

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("the demo command", () => {
  it("loads the demo once, and adds nothing the second time", async () => {
    const first = await runDemoCommand(config, args, openServices);
    expect(first.events.map((e) => e.created)).toEqual([true, true]);
    expect(first.itemsCreated).toBeGreaterThan(0);
    const second = await runDemoCommand(config, args, openServices);
    expect(second).toEqual({ events: first.events.map((e) => ({ ...e, created: false })), itemsCreated: 0 });
  }, 180_000);

  it("tells the operator to stop a portal that holds the data folder", async () => {
    fs.writeFileSync(path.join(dataDir, "pressroom.pid"), String(process.ppid));
    try {
      await expect(runDemoCommand(config, args, openServices)).rejects.toThrow(DemoCommandError);
      await expect(runDemoCommand(config, args, openServices)).rejects.toThrow(/loads the demo by itself/);
    } finally {
      fs.rmSync(path.join(dataDir, "pressroom.pid"), { force: true });
    }
  });

  it("refuses an unknown option with the usage", async () => {
    await expect(runDemoCommand(config, ["--long"], openServices)).rejects.toThrow(/Usage: demo/);
  });
});
