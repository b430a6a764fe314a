/**
 * Runs one alignment in its own process, so the bench measures the aligner's time and peak memory
 * alone (not the bench's). `node --import tsx bench/lib/align-child.ts job.json out.json`: the job
 * is an AlignInput without callbacks; the answer is the result (or the error's code) with the
 * wall time and the process's peak resident memory (VmHWM of /proc/self/status).
 */
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { type AlignInput, alignTranscript } from "../../src/media/align/index.ts";

export interface ChildAnswer {
  result: Awaited<ReturnType<typeof alignTranscript>> | null;
  error: string | null;
  seconds: number;
  peakBytes: number;
  /** Peak before the alignment started: Node, tsx and the aligner's code loaded. */
  idleBytes: number;
}

/**
 * This process's peak resident memory. Not getrusage's maxRSS: Linux carries that over from the
 * process that forked this one, so after the bench's cuts part every child started at the parent's
 * 232 MB. VmHWM belongs to this process's own address space, new at exec.
 */
function peakBytes(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  return kb ? Number(kb) * 1024 : process.resourceUsage().maxRSS * 1024;
}

async function main(jobFile: string, outFile: string): Promise<void> {
  const job = JSON.parse(await readFile(jobFile, "utf8")) as AlignInput;
  const idleBytes = peakBytes();
  const started = performance.now();
  let answer: ChildAnswer;
  try {
    const result = await alignTranscript(job);
    answer = { result, error: null, seconds: 0, peakBytes: 0, idleBytes };
  } catch (error) {
    answer = {
      result: null,
      error: (error as { code?: string }).code ?? String(error),
      seconds: 0,
      peakBytes: 0,
      idleBytes,
    };
  }
  answer.seconds = (performance.now() - started) / 1000;
  answer.peakBytes = peakBytes();
  await writeFile(outFile, JSON.stringify(answer));
}

const [jobFile, outFile] = process.argv.slice(2);
if (!jobFile || !outFile) {
  console.error("usage: align-child.ts job.json out.json");
  process.exit(2);
}
main(jobFile, outFile).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
