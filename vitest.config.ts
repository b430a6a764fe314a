import { defineConfig } from "vitest/config";

// The same integration suite runs once on embedded PGlite and once on a throwaway
// PostgreSQL 15 cluster (started by test/helpers/postgres-cluster.ts); the browser
// suite runs once, on PGlite.
const integration = ["test/**/*.test.ts"];
const browser = ["test/e2e/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        test: {
          name: "pglite",
          include: integration,
          exclude: browser,
          env: { TEST_DB: "pglite" },
        },
      },
      {
        test: {
          name: "postgres",
          include: integration,
          exclude: [...browser, "test/media/**"],
          env: { TEST_DB: "postgres" },
          globalSetup: ["test/helpers/postgres-cluster.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          include: browser,
          env: { TEST_DB: "pglite" },
          testTimeout: 120_000,
        },
      },
    ],
  },
});
