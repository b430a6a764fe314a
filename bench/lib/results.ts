import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { loadAverage, type Machine } from "./machine.ts";
import { RESULTS_FILE } from "./settings.ts";

export type PartId =
  | "cuts"
  | "download"
  | "memory"
  | "pages"
  | "background"
  | "align"
  | "publishing"
  | "live";
export const partIds: PartId[] = [
  "cuts",
  "download",
  "memory",
  "pages",
  "background",
  "align",
  "publishing",
  "live",
];

export interface PartReport {
  id: PartId;
  title: string;
  /** Markdown: what was measured and how, the table, the verdicts, observations. */
  body: string;
}

const HEADER = `# Pressroom benchmarks

Speed is measured here, not asserted in tests. \`npm run bench\` runs every part; \`npm run bench -- cuts\`
(or \`download\`, \`memory\`, \`pages\`, \`background\`, \`align\`, \`publishing\`, \`live\`) runs one, and replaces only that part's section below. Each part
compares the portal with a baseline measured in the same run, on the same machine, and says whether
the target is met. See \`bench/README.md\` for the settings (\`BENCH_MINUTES\` and others).

Timings depend on what else the machine is doing: each section gives the load average before and after
its run. A load well above the number of cores means other work (a test suite, a build) shared the CPU
with the bench, which slows the portal and its baseline alike but makes single numbers noisier.
`;

/** The run's context line: when, on what. */
export function runContext(machine: Machine, started: Date, loadBefore: string): string {
  return [
    `Run ${started.toISOString().replace(/\.\d+Z$/, "Z")}; machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB,`,
    `ffmpeg ${machine.ffmpeg}, Node ${machine.node}, Linux ${machine.kernel}; load average (1/5/15 min) before ${loadBefore}, after ${loadAverage()}.`,
  ].join(" ");
}

/** Writes the parts just run into RESULTS.md, keeping the sections of parts not run this time. */
export async function writeResults(reports: PartReport[]): Promise<void> {
  const existing = existsSync(RESULTS_FILE) ? await readFile(RESULTS_FILE, "utf8") : "";
  const sections = new Map<PartId, string>();
  for (const id of partIds) {
    const match = new RegExp(`<!-- part:${id} -->[\\s\\S]*?<!-- /part:${id} -->`).exec(existing);
    if (match) sections.set(id, match[0]);
  }
  for (const report of reports) {
    sections.set(
      report.id,
      `<!-- part:${report.id} -->\n## ${report.title}\n\n${report.body.trim()}\n<!-- /part:${report.id} -->`,
    );
  }
  const body = partIds
    .map((id) => sections.get(id))
    .filter((section): section is string => section !== undefined)
    .join("\n\n");
  await writeFile(RESULTS_FILE, `${HEADER}\n${body}\n`);
}
