import { accessSync, constants } from "node:fs";
import path from "node:path";

/**
 * How a media tool is started. Work people wait for (a clip) runs at normal priority;
 * "background" work (an ingest's HLS ladder, storyboard, waveform) gives way to it.
 */
export type Priority = "normal" | "background";

/**
 * The command line that runs `command args`, through small util-linux/coreutils programs that
 * each set something and exec the next, so the tool keeps Node as its parent and its pid:
 * - `setpriv --pdeathsig KILL`: the kernel kills the tool when the process that started it
 *   dies, whatever killed it (kill -9, the out-of-memory killer). Without it an orphaned ffmpeg
 *   writing to files goes on to the end (it ignores SIGPIPE, inherited from Node).
 * - `nice -n 10` and `ionice -c 3` (idle I/O class) for background work: a clip cut during an
 *   ingest keeps most of the machine (a nice-10 thread weighs a tenth of a normal one). Not 19:
 *   that (1/70th) all but stops an ingest on a busy machine. Set before exec, so every thread
 *   ffmpeg starts has them.
 * A program missing from the PATH (not Linux, a slim image) is left out, and the tool runs as is.
 */
export function launchLine(
  command: string,
  args: readonly string[],
  priority: Priority = "normal",
): { file: string; args: string[] } {
  const helpers = availableHelpers();
  const line: string[] = [];
  if (helpers.setpriv) line.push(helpers.setpriv, "--pdeathsig", "KILL", "--");
  if (priority === "background") {
    if (helpers.nice) line.push(helpers.nice, "-n", "10");
    if (helpers.ionice) line.push(helpers.ionice, "-c", "3");
  }
  line.push(command, ...args);
  return { file: line[0]!, args: line.slice(1) };
}

type Helpers = { setpriv: string | null; nice: string | null; ionice: string | null };
let found: Helpers | null = null;

/** Looked up once per process: the PATH does not change under a running server. */
function availableHelpers(): Helpers {
  found ??= { setpriv: onPath("setpriv"), nice: onPath("nice"), ionice: onPath("ionice") };
  return found;
}

function onPath(name: string): string | null {
  if (process.platform !== "linux") return null;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return null;
}
