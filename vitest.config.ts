import { defineConfig } from "vitest/config";
import { LongestFirst } from "./test/helpers/sequencer.ts";

// The integration suite runs once on embedded PGlite and once on a throwaway PostgreSQL 15
// cluster (test/helpers/postgres-cluster.ts). Tests that do not touch a database, or that
// are about one of the two (starting processes on the embedded data folder; a worker
// beside the portal on a shared server), run in one project only. The browser files
// (test/e2e/) run once, on PGlite, in the pglite project: with `isolate: false` Vitest runs
// projects one after the other, so as a project of their own they ran alone, one browser at a
// time (the first 190 s of a 906 s run; 876 s once spread among the others). Their timeout and
// retry are set in each file (test/e2e/browser.ts BROWSER_TESTS).
const all = ["test/**/*.test.ts"];
const databaseFree = [
  "test/web/units.test.ts",
  "test/mail/**",
  "test/media/**",
  "test/storage/**",
  "test/demo/generate.test.ts",
  "test/demo/units.test.ts",
  "test/editor/units.test.ts",
  "test/catalogue/units.test.ts",
  "test/downloads/clip-headers.test.ts",
  "test/downloads/pages-estimate.test.ts",
];
// Media-heavy files whose database use is incidental (a row per item or per cached clip, the
// same SQL that other files run on both databases): on PGlite only, to keep the suite short.
const mediaHeavy = [
  "test/downloads/api-stream.test.ts",
  "test/ingest/process.test.ts",
  "test/downloads/replaced-master.test.ts",
  "test/demo/command.test.ts",
  // Real-time senders (ffmpeg playing the venue's encoder) and CLI processes: the database holds a
  // few rows; live-crash covers the live tables on PostgreSQL.
  "test/ingest/live.test.ts",
  "test/downloads/live-clips.test.ts",
  "test/cli/import.test.ts",
  // Three alignments through the editor's pages: the timing job and its store run on PostgreSQL in
  // test/editor/alignment.test.ts, the timing page's saves in test/editor/transcripts.test.ts.
  "test/editor/alignment-pages.test.ts",
  // One bilingual alignment: what it adds (a voice per sentence) is the same on either database.
  "test/editor/bilingual-alignment.test.ts",
  // CLI processes handing a file to the portal's inbox (seven starts, about 2 s of CPU each): the CLI
  // opens no database (no DATABASE_URL, the portal holds the folder); the portal's side, importFile,
  // runs on PostgreSQL in test/cli/crash.test.ts, a transcript's speakers and questions in
  // test/editor/transcripts.test.ts, a timing queued in test/editor/alignment.test.ts.
  "test/ingest/cli.test.ts",
];
const embeddedOnly = [
  "test/cli/processes.test.ts",
  "test/ingest/cli-embedded.test.ts",
  "test/cli/demo-live.test.ts",
];
// live-crash: portal processes on PostgreSQL, which the test reads while they run.
const serverOnly = ["test/cli/worker.test.ts", "test/cli/crash.test.ts", "test/ingest/live-crash.test.ts"];

// Two files at a time, on 2 cores, longest first; the browser files are spread through the
// pglite project and take turns (test/helpers/sequencer.ts, test/e2e/browser.ts): two browsers at
// once made the frame-timing checks flaky. They used to run one after the other in a single process, which
// Vitest starts after every other file: the last three minutes on one core. Running them in a
// worker thread beside the forked files made three at once on two cores: slower, and the live
// tests' real-time senders fell behind.
export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    // The server's bundle, which the processes that tests start run (test/helpers/server-bundle.ts).
    globalSetup: ["test/helpers/server-bundle.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    minWorkers: 1,
    // Files in a worker share its module cache: each file imported the whole app anew (1.2 s a
    // file, 208 s of a full run; 54 s without). Every file opens its own database, data folder,
    // servers and clock, and closes them, so nothing else is shared.
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: "pglite",
          include: all,
          exclude: serverOnly,
          env: { TEST_DB: "pglite" },
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: all,
          exclude: ["test/e2e/**", ...databaseFree, ...embeddedOnly, ...mediaHeavy],
          env: { TEST_DB: "postgres" },
          globalSetup: ["test/helpers/postgres-cluster.ts"],
        },
      },
    ],
  },
});
