/**
 * `npm run bench` runs every part; `npm run bench -- cuts download` runs the named ones. Each part
 * prints its table and the results go to bench/RESULTS.md (sections of parts not run are kept).
 */
import { execFileSync } from "node:child_process";
import { loadAverage, machine } from "./lib/machine.ts";
import { type PartId, type PartReport, partIds, writeResults } from "./lib/results.ts";
import { RESULTS_FILE, ROOT, settings } from "./lib/settings.ts";
import { alignPart } from "./parts/align.ts";
import { backgroundPart } from "./parts/background.ts";
import { cutsPart } from "./parts/cuts.ts";
import { downloadPart } from "./parts/download.ts";
import { livePart } from "./parts/live.ts";
import { memoryPart } from "./parts/memory.ts";
import { pagesPart } from "./parts/pages.ts";
import { publishingPart } from "./parts/publishing.ts";

const parts: Record<PartId, (log: (line: string) => void) => Promise<PartReport>> = {
  cuts: cutsPart,
  download: downloadPart,
  memory: memoryPart,
  pages: pagesPart,
  background: backgroundPart,
  align: alignPart,
  publishing: publishingPart,
  live: livePart,
};

async function main(args: string[]): Promise<void> {
  const unknown = args.filter((a) => !(partIds as string[]).includes(a));
  if (unknown.length > 0) {
    console.error(`Unknown part(s): ${unknown.join(", ")}. Parts: ${partIds.join(" | ")}`);
    process.exitCode = 2;
    return;
  }
  const chosen = args.length > 0 ? (args as PartId[]) : partIds;
  const m = machine();
  console.log(
    `Pressroom bench: ${chosen.join(", ")}; ${m.cores} cores, ffmpeg ${m.ffmpeg}, Node ${m.node}; ` +
      `masters of ${settings.minutes} min (BENCH_MINUTES); load average ${loadAverage()}`,
  );
  // The portal runs from its bundle, as `npm start` runs it: built from the current src/ first.
  execFileSync(process.execPath, ["scripts/build-server.mjs"], { cwd: ROOT, stdio: "inherit" });
  const reports: PartReport[] = [];
  for (const id of chosen) {
    const started = performance.now();
    console.log(`\n== ${id} ==`);
    const report = await parts[id]((line) => console.log(`[${id}] ${line}`));
    console.log(`\n## ${report.title}\n${report.body}`);
    console.log(`(${id} took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    reports.push(report);
    // Written after each part, so a later failure keeps what was measured.
    await writeResults([report]);
  }
  console.log(`\nResults written to ${RESULTS_FILE}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
