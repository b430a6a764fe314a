import { fork } from "node:child_process";
import { MediaError } from "../errors.ts";
import type { ChildMessage } from "./child.ts";
import type { AlignInput, AlignResult } from "./types.ts";

// Bundled (dist/server/, scripts/build-server.mjs), this code sits in a chunk beside the child's own
// bundle, which starts without a loader; from source (tests, tools), the child is child.ts through tsx.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const CHILD = FROM_SOURCE
  ? new URL("./child.ts", import.meta.url)
  : new URL("./align-child.js", import.meta.url);
const LOADER = FROM_SOURCE ? ["--import", "tsx"] : [];

/**
 * How the aligner's process is started, for its memory (docs/ALIGNMENT.md, limits; 46 minutes, in
 * the same harness: 238–252 MB with Node's defaults, 211–230 MB with both, in the same time):
 * - glibc's malloc serves a freed block of up to 32 MB again from its heap instead of giving it
 *   back (its mmap threshold follows the largest block freed), and the aligner allocates and frees
 *   many such arrays (features, prices, each search's levels): that memory stayed resident. A
 *   fixed threshold of 128 kB (glibc's starting value) keeps every large array in a mapping of its
 *   own, returned when freed. Other C libraries ignore the variable.
 * - a young generation of 2 MB semi-spaces instead of 16: the typed arrays a search drops are
 *   collected sooner, so three searches' worth of them are not resident at once.
 * - `--expose-gc`, for `freeGarbage` (free-garbage.ts) before each search level and before the
 *   words are read: what a level dropped is freed before the next allocates (46 minutes: 241–249 →
 *   216–224 MB, 2026-12-06).
 */
export const ALIGN_NODE_FLAGS = ["--max-semi-space-size=2", "--expose-gc"];

export function alignChildEnv(): NodeJS.ProcessEnv {
  return { ...process.env, MALLOC_MMAP_THRESHOLD_: "131072" };
}

/**
 * alignTranscript in a child process of its own (child.ts): the same input and answer, the same
 * errors (a MediaError with the code and params the child met), progress through `onProgress`,
 * and an abort kills the child (and with it its ffmpeg and espeak-ng).
 */
export function alignInChild(input: AlignInput): Promise<AlignResult> {
  const { signal, onProgress, ...plain } = input;
  return new Promise<AlignResult>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const child = fork(CHILD, [], {
      execArgv: [...ALIGN_NODE_FLAGS, ...LOADER],
      env: alignChildEnv(),
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const onAbort = () => {
      child.kill("SIGKILL");
      finish(() => reject(signal?.reason));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    child.on("message", (message: ChildMessage) => {
      if (message.type === "progress") onProgress?.(message.fraction);
      else if (message.type === "done") finish(() => resolve(message.result));
      else {
        const error = message.code
          ? new MediaError(message.code, message.message, message.params)
          : new Error(message.message);
        finish(() => reject(error));
      }
    });
    child.on("error", (error) => finish(() => reject(error)));
    child.on("exit", (code, exitSignal) =>
      finish(() =>
        reject(new Error(`the alignment process ended without an answer (${exitSignal ?? code})`)),
      ),
    );
    child.send(plain);
  });
}
