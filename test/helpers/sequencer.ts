import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The order test files start in. Two run at a time on two cores, so the suite ends when the slowest
 * queue does: the longest files go first (Vitest's own timings when it has them; on a fresh clone,
 * as in CI, it has none and would go by file size, which put a two-minute live file near the end),
 * and the browser files are spread through the run, one at a time (test/e2e/browser.ts), instead
 * of one after the other on one core at the end.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const key = (spec: TestSpecification) => `${spec.project.name}:${path.relative(root, spec.moduleId)}`;
    const seconds = (spec: TestSpecification) => {
      const cached = this.ctx.cache.getFileTestResults(key(spec))?.duration;
      return cached !== undefined && cached > 0 ? cached / 1000 : (measuredSeconds[key(spec)] ?? 4);
    };
    const sorted = [...files].sort((a, b) => seconds(b) - seconds(a));
    const browser = sorted.filter((spec) => spec.project.name === "e2e");
    const others = sorted.filter((spec) => spec.project.name !== "e2e");
    // Browser file i is queued once the others before it add up to i shares of their time: far
    // enough apart that the next one rarely waits for the browser.
    const total = others.reduce((sum, spec) => sum + seconds(spec), 0);
    const order: TestSpecification[] = [];
    let elapsed = 0;
    let next = 0;
    for (const spec of others) {
      while (next < browser.length && elapsed >= (next * total) / browser.length)
        order.push(browser[next++]!);
      order.push(spec);
      elapsed += seconds(spec);
    }
    return [...order, ...browser.slice(next)];
  }
}

// Seconds each slower file took in a full run on the 2-core machine (2026-12-05, two at a time):
// only their order matters, so a stale figure costs a little time, never a result.
const measuredSeconds: Record<string, number> = {
  "pglite:test/downloads/live-clips.test.ts": 142,
  "postgres:test/ingest/live-crash.test.ts": 104,
  "postgres:test/cli/crash.test.ts": 80,
  "pglite:test/cli/import.test.ts": 64,
  "pglite:test/ingest/live.test.ts": 62,
  "pglite:test/ingest/process.test.ts": 60,
  "pglite:test/media/cut-stream.test.ts": 59,
  "pglite:test/cli/processes.test.ts": 59,
  "pglite:test/downloads/api-stream.test.ts": 45,
  "pglite:test/downloads/replaced-master.test.ts": 33,
  "e2e:test/e2e/media-library.test.ts": 38,
  "pglite:test/cli/demo-live.test.ts": 38,
  "pglite:test/media/cut-xdcam.test.ts": 36,
  "e2e:test/e2e/phones.test.ts": 36,
  "pglite:test/ingest/cli-embedded.test.ts": 30,
  "e2e:test/e2e/live.test.ts": 27,
  "pglite:test/media/cut-delivery.test.ts": 27,
  "pglite:test/media/cut-h264.test.ts": 27,
  "pglite:test/security/bad-input.test.ts": 27,
  "e2e:test/e2e/editor.test.ts": 26,
  "pglite:test/media/align/align.test.ts": 24,
  "e2e:test/e2e/preview.test.ts": 20,
  "postgres:test/editor/alignment-pages.test.ts": 20,
  "postgres:test/security/bad-input.test.ts": 20,
  "pglite:test/db/jobs.test.ts": 19,
  "postgres:test/db/jobs.test.ts": 18,
  "e2e:test/e2e/catalogue.test.ts": 17,
  "pglite:test/demo/command.test.ts": 17,
  "pglite:test/downloads/api.test.ts": 17,
  "e2e:test/e2e/account-flow.test.ts": 16,
  "pglite:test/ingest/cli.test.ts": 16,
  "pglite:test/downloads/pages-estimate.test.ts": 16,
  "pglite:test/editor/alignment-pages.test.ts": 15,
  "e2e:test/e2e/download.test.ts": 15,
  "pglite:test/ingest/uploads.test.ts": 14,
  "pglite:test/editor/alignment.test.ts": 14,
  "postgres:test/ingest/cli.test.ts": 13,
  "postgres:test/editor/alignment.test.ts": 12,
  "pglite:test/downloads/pages.test.ts": 12,
  "postgres:test/ingest/uploads.test.ts": 11,
  "pglite:test/demo/load.test.ts": 11,
  "postgres:test/downloads/api.test.ts": 11,
  "pglite:test/media/cut-prores.test.ts": 10,
};
