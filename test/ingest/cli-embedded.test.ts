import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { h264Master } from "../helpers/media.ts";
import { runIngestCli } from "./cli-run.ts";
import { createEvent } from "./fixtures.ts";

// The embedded database's own case: the CLI opens the data folder itself (vitest.config.ts runs
// this file in the pglite project only).

describe("npm run cli -- ingest, with the portal stopped", () => {
  it("imports into the embedded database and queues the processing for the portal", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "ingest-cli-data-"));
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
});
