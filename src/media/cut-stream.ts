import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { type CutOptions, type CutResult, runCut } from "./cut.ts";
import { runFfmpeg } from "./ffmpeg.ts";

export interface StreamedCut {
  /**
   * The clip's bytes as ffmpeg writes them, the same bytes as the output file. It ends only
   * once the cut has succeeded, and is destroyed with the error otherwise, so a reader never
   * takes a broken clip for a whole one. Destroying it does not stop the cut: abort `signal`.
   */
  stream: Readable;
  /** Settles when the output file is complete and renamed in, or the cut failed (no file left). */
  done: Promise<CutResult>;
}

// Enough for a few fragments of a 1080p master in flight to a slow client, little per client.
const CLIENT_BUFFER = 1 << 20;

/**
 * cutClip for a format whose container is written front to back (canStreamClip): ffmpeg writes
 * to a pipe, and every byte goes both to `<output>.partial` and to `stream`, so the client can
 * start reading within ffmpeg's start-up time (plus any re-encoded head) instead of after the
 * whole cut. The file is written at ffmpeg's pace; a slow reader holds ffmpeg back, a reader
 * that went away (stream destroyed) no longer does.
 */
export function cutClipStream(options: CutOptions): StreamedCut {
  const client = clientStream();
  // A failed cut destroys the stream with its error; a stream nobody reads any more must not
  // turn that into an uncaught exception. Readers still see the error.
  client.stream.on("error", () => {});
  const done = runCut(options, "sequential", (args, run) =>
    runFfmpeg([...args, "pipe:1"], run, (stdout) => tee(stdout, `${options.output}.partial`, client.offer)),
  ).then(
    (result) => {
      client.stream.push(null);
      return result;
    },
    (error: unknown) => {
      client.stream.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    },
  );
  return { stream: client.stream, done };
}

async function tee(stdout: Readable, file: string, offer: (chunk: Buffer) => Promise<void>): Promise<void> {
  const out = createWriteStream(file);
  try {
    for await (const chunk of stdout) {
      if (!out.write(chunk)) await once(out, "drain");
      await offer(chunk as Buffer);
    }
    out.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    throw error;
  }
}

/** A readable the tee pushes into, waiting while the reader's buffer is full unless it is gone. */
function clientStream(): { stream: Readable; offer: (chunk: Buffer) => Promise<void> } {
  let resume: (() => void) | null = null;
  let demand = false;
  const wake = (): void => {
    demand = true;
    const waiting = resume;
    resume = null;
    waiting?.();
  };
  const stream = new Readable({
    highWaterMark: CLIENT_BUFFER,
    read: wake,
    destroy(error, callback) {
      wake();
      callback(error);
    },
  });
  const offer = async (chunk: Buffer): Promise<void> => {
    if (stream.destroyed) return;
    demand = false;
    // push() may ask for more at once (a reader already waiting), so only wait if it did not.
    if (!stream.push(chunk) && !demand) {
      await new Promise<void>((resolve) => {
        resume = resolve;
      });
    }
  };
  return { stream, offer };
}
