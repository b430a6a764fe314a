import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root and where generated masters and run folders go (`.bench-data/`, gitignored). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BENCH_DATA = path.join(ROOT, ".bench-data");
export const MASTERS_DIR = path.join(BENCH_DATA, "masters");
export const RUNS_DIR = path.join(BENCH_DATA, "runs");
export const RESULTS_FILE = path.join(ROOT, "bench", "RESULTS.md");

function wholeNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** A comma-separated list of whole numbers, sorted ascending. */
function wholeNumbers(name: string, fallback: number[], min: number, max: number): number[] {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const values = raw.split(",").map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < min || value > max)) {
    throw new Error(`${name} must be whole numbers from ${min} to ${max}, separated by commas, got "${raw}"`);
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

/** Every knob of the bench, from the environment, checked once. */
export const settings = {
  /** Length of each generated master. */
  minutes: wholeNumber("BENCH_MINUTES", 10, 1, 60),
  /** Timed cuts per master (each at a different IN, so the clip cache is cold). */
  cutRuns: wholeNumber("BENCH_CUT_RUNS", 5, 1, 50),
  /** Full re-encodes of the same range per master (the baseline). */
  baselineRuns: wholeNumber("BENCH_BASELINE_RUNS", 1, 1, 10),
  /** Full downloads per server in the throughput part. */
  downloadRuns: wholeNumber("BENCH_DOWNLOAD_RUNS", 5, 1, 50),
  /** Concurrent full downloads in the memory part. */
  memoryClients: wholeNumber("BENCH_MEMORY_CLIENTS", 50, 1, 500),
  /** How long the memory part keeps its clients downloading. */
  memorySeconds: wholeNumber("BENCH_MEMORY_SECONDS", 30, 5, 600),
  /** Catalogue size for the pages part: items stay fixed while the transcripts grow. */
  pageItems: wholeNumber("BENCH_ITEMS", 50_000, 10, 1_000_000),
  /** Transcript words, in growing sizes: the pages part measures search at each. */
  transcriptWords: wholeNumbers("BENCH_WORDS", [1_000_000, 3_000_000, 10_000_000], 1000, 100_000_000),
  /** The embedded database stops growing at this size (seeding it is slower): larger sizes are skipped on it. */
  pgliteMaxWords: wholeNumber("BENCH_PGLITE_MAX_WORDS", 10_000_000, 1000, 100_000_000),
  /** Seconds of load per page and server in the pages part (with one connection, then with several). */
  pageSeconds: wholeNumber("BENCH_PAGE_SECONDS", 4, 1, 120),
  pageConnections: wholeNumber("BENCH_PAGE_CONNECTIONS", 10, 1, 500),
};

export type Settings = typeof settings;
