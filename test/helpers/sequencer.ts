import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The order test files start in. Two run at a time on two cores, so the suite ends when the slowest
 * queue does: the longest files go first (Vitest's own timings when it has them; on a fresh clone,
 * as in CI, it has none and would go by file size, which put a two-minute live file near the end),
 * and the browser files are spread through their project, one at a time (test/e2e/browser.ts),
 * instead of one after the other on one core. With `isolate: false` (vitest.config.ts) Vitest runs
 * the projects one after the other, each in the order given here, so the spreading is per project.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const key = (spec: TestSpecification) => `${spec.project.name}:${path.relative(root, spec.moduleId)}`;
    const seconds = (spec: TestSpecification) => {
      const cached = this.ctx.cache.getFileTestResults(key(spec))?.duration;
      return cached !== undefined && cached > 0 ? cached / 1000 : (measuredSeconds[key(spec)] ?? 4);
    };
    const isBrowser = (spec: TestSpecification) => path.relative(root, spec.moduleId).startsWith("test/e2e/");
    const sorted = [...files].sort((a, b) => seconds(b) - seconds(a));
    const projects = [...new Set(sorted.map((spec) => spec.project.name))];
    return projects.flatMap((name) => {
      const own = sorted.filter((spec) => spec.project.name === name);
      return spread(
        own.filter(isBrowser),
        own.filter((spec) => !isBrowser(spec)),
        seconds,
      );
    });
  }
}

/**
 * Browser file i is queued once the others before it add up to i shares of their time: far enough
 * apart that the next one rarely waits for the browser.
 */
function spread(
  browser: TestSpecification[],
  others: TestSpecification[],
  seconds: (spec: TestSpecification) => number,
): TestSpecification[] {
  const total = others.reduce((sum, spec) => sum + seconds(spec), 0);
  const order: TestSpecification[] = [];
  let elapsed = 0;
  let next = 0;
  for (const spec of others) {
    while (next < browser.length && elapsed >= (next * total) / browser.length) order.push(browser[next++]!);
    order.push(spec);
    elapsed += seconds(spec);
  }
  return [...order, ...browser.slice(next)];
}

// Seconds each slower file took in a full run on the 2-core machine (2026-12-05 20:49 UTC, two at
// a time, the browser files then a project of their own; the alignment files as of 2026-12-06):
// only their order matters, so a stale figure costs a little time, never a result. A file missing
// here counts 4 s and goes near the end: voice-warp.test.ts (40–56 s) once ended a run alone.
const measuredSeconds: Record<string, number> = {
  "postgres:test/ingest/live-crash.test.ts": 94,
  "pglite:test/downloads/live-clips.test.ts": 92,
  "postgres:test/cli/crash.test.ts": 84,
  "pglite:test/e2e/preview.test.ts": 64,
  "pglite:test/cli/import.test.ts": 60,
  "pglite:test/media/cut-stream.test.ts": 59,
  "pglite:test/ingest/process.test.ts": 57,
  "pglite:test/e2e/media-library.test.ts": 57,
  "pglite:test/media/align/align.test.ts": 45,
  "pglite:test/media/align/voice-warp.test.ts": 50,
  "pglite:test/ingest/live.test.ts": 55,
  "pglite:test/downloads/api-stream.test.ts": 54,
  "pglite:test/e2e/catalogue.test.ts": 50,
  "pglite:test/cli/processes.test.ts": 49,
  "pglite:test/e2e/phones.test.ts": 48,
  "pglite:test/e2e/editor.test.ts": 42,
  "pglite:test/media/cut-xdcam.test.ts": 41,
  "pglite:test/e2e/live.test.ts": 40,
  "pglite:test/cli/demo-live.test.ts": 39,
  "pglite:test/e2e/download.test.ts": 38,
  "pglite:test/ingest/cli-embedded.test.ts": 37,
  "pglite:test/media/cut-delivery.test.ts": 35,
  "pglite:test/media/cut-h264.test.ts": 29,
  "pglite:test/downloads/replaced-master.test.ts": 26,
  "pglite:test/e2e/account-flow.test.ts": 25,
  "pglite:test/editor/alignment-pages.test.ts": 19,
  "pglite:test/editor/alignment.test.ts": 18,
  "pglite:test/editor/bilingual-alignment.test.ts": 17,
  "pglite:test/downloads/pages-estimate.test.ts": 18,
  "pglite:test/db/jobs.test.ts": 18,
  "postgres:test/db/jobs.test.ts": 16,
  "pglite:test/media/align/english-speakers.test.ts": 25,
  "pglite:test/security/bad-input.test.ts": 15,
  "pglite:test/media/align/speakers.test.ts": 15,
  "pglite:test/ingest/cli.test.ts": 14,
  "postgres:test/demo/load.test.ts": 13,
  "pglite:test/downloads/api.test.ts": 13,
  "postgres:test/security/bad-input.test.ts": 12,
  "postgres:test/editor/alignment.test.ts": 12,
  "pglite:test/ingest/uploads.test.ts": 12,
  "pglite:test/demo/command.test.ts": 12,
  "pglite:test/downloads/pages.test.ts": 11,
  "pglite:test/media/cut-options.test.ts": 10,
};
