/**
 * The child process of alignInChild (in-child.ts): receives one AlignInput (without callbacks) over
 * IPC, answers progress, then the result or the error's code, message and params, and exits.
 * Its own process so the aligner's memory (≈ 215 MB for 45 minutes) goes back when it ends
 * and never adds to the portal's or the worker's.
 */
import { MediaError } from "../errors.ts";
import { alignTranscript } from "./align.ts";
import type { AlignInput } from "./types.ts";

export type ChildMessage =
  | { type: "progress"; fraction: number }
  | { type: "done"; result: Awaited<ReturnType<typeof alignTranscript>> }
  | { type: "failed"; code: string | null; message: string; params: Record<string, string | number> };

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

// The parent gone (killed, crashed): stop at once; our ffmpeg and espeak-ng die with us (launch.ts).
process.on("disconnect", () => process.exit(1));

process.once("message", (input: AlignInput) => {
  alignTranscript({ ...input, onProgress: (fraction) => void send({ type: "progress", fraction }) })
    .then((result) => send({ type: "done", result }))
    .catch((error: unknown) =>
      send({
        type: "failed",
        code: error instanceof MediaError ? error.code : null,
        message: error instanceof Error ? error.message : String(error),
        params: error instanceof MediaError ? (error.params ?? {}) : {},
      }),
    )
    .finally(() => process.exit(0));
});
