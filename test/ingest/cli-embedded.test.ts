import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { migratedDataDir } from "../helpers/database.ts";
import { h264Master } from "../helpers/media.ts";
import { runCli, runIngestCli } from "./cli-run.ts";
import { createEvent } from "./fixtures.ts";

// The embedded database's own case: the CLI opens the data folder itself (vitest.config.ts runs
// this file in the pglite project only).

describe("npm run cli -- ingest, with the portal stopped", () => {
  it("imports into the embedded database and queues the processing for the portal", async () => {
    // Made and migrated already (helpers/database.ts): the next test starts from an empty folder.
    const dataDir = await migratedDataDir(mkdtempSync(path.join(os.tmpdir(), "ingest-cli-data-")));
    try {
      const before = await openPglite(path.join(dataDir, "db"));
      await migrate(before);
      await createEvent(before, "summit");
      await before.close();

      const run = await runIngestCli([(await h264Master({ seconds: 4 })).path, "--event", "summit"], dataDir);
      expect(run.stderr).toBe("");
      const printed = JSON.parse(run.stdout) as { id: number; status: string };
      expect(printed.status).toBe("processing");

      const after = await openPglite(path.join(dataDir, "db"));
      const jobs = await after.query<{ state: string; data: { id: string } }>(
        "SELECT state, data FROM pgboss.job WHERE name = 'media.process'",
      );
      await after.close();
      expect(jobs).toEqual([{ state: "created", data: { id: String(printed.id) } }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Two embedded databases opened in this process and one in the CLI's.
  }, 90_000);

  it("makes an event and imports a folder into it, each opening the data folder itself", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "ingest-cli-data-"));
    try {
      const added = await runCli(
        ["event:add", "--slug", "visit", "--title-en", "Visit", "--starts-at", "2026-11-23 09:00"],
        dataDir,
      );
      expect(added.stderr).toBe("");
      expect(JSON.parse(added.stdout)).toEqual({ id: expect.any(Number), slug: "visit", published: false });
      const dir = path.join(dataDir, "masters");
      mkdirSync(dir);
      copyFileSync((await h264Master({ seconds: 2 })).path, path.join(dir, "arrival.mp4"));
      writeFileSync(
        path.join(dir, "import.csv"),
        "file,event,title_fr,publish\narrival.mp4,visit,Arrivée,yes\n",
      );
      const run = await runCli(["import", dir], dataDir);
      expect(run.stderr).toBe("");
      expect(run.stdout).toMatch(/^arrival\.mp4: imported as item \d+, published when processed$/m);

      const after = await openPglite(path.join(dataDir, "db"));
      const items = await after.query(
        `SELECT m.title_fr, e.slug, (SELECT count(*)::int FROM publish_when_ready p WHERE p.media_item_id = m.id) AS publish
         FROM media_items m JOIN events e ON e.id = m.event_id`,
      );
      await after.close();
      expect(items).toEqual([{ title_fr: "Arrivée", slug: "visit", publish: 1 }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
