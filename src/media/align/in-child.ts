import { fork } from "node:child_process";
import { MediaError } from "../errors.ts";
import type { ChildMessage } from "./child.ts";
import type { AlignInput, AlignResult } from "./types.ts";

const CHILD = new URL("./child.ts", import.meta.url);

/**
 * alignTranscript in a child process of its own (child.ts): the same input and answer, the same
 * errors (a MediaError with the code and params the child met), progress through `onProgress`,
 * and an abort kills the child (and with it its ffmpeg and espeak-ng). The child runs TypeScript
 * through tsx, as the portal does.
 */
export function alignInChild(input: AlignInput): Promise<AlignResult> {
  const { signal, onProgress, ...plain } = input;
  return new Promise<AlignResult>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const child = fork(CHILD, [], {
      execArgv: ["--import", "tsx"],
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
