import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { type CutOptions, type CutResult, runCut } from "./cut.ts";
import { runFfmpeg } from "./ffmpeg.ts";
import { initSegmentLength, sameInitSegment } from "./fmp4-init.ts";

export interface StreamedCut {
  /**
   * The clip's bytes as ffmpeg writes them, the same bytes as the output file. It ends only
   * once the cut has succeeded, and is destroyed with the error otherwise, so a reader never
   * takes a broken clip for a whole one. Destroying it does not stop the cut: abort `signal`.
   */
  stream: Readable;
  /** Settles when the output file is complete and renamed in, or the cut failed (no file left). */
  done: Promise<CutResult>;
  /**
   * The clip's initialisation segment (ftyp + moov) as written to the file, once complete; null
   * if the output never had one. Kept by the caller as the template for the next clips.
   */
  init: Promise<Buffer | null>;
}

/** The template sent ahead did not match what ffmpeg wrote; the reader's copy is broken off. */
export class InitSegmentMismatch extends Error {
  constructor() {
    super("the clip's initialisation segment differs from the one sent ahead");
    this.name = "InitSegmentMismatch";
  }
}

// Enough for a few fragments of a 1080p master in flight to a slow client, little per client.
const CLIENT_BUFFER = 1 << 20;
// A moov for a handful of tracks is a few kilobytes; past this the output has none to find.
const INIT_SEARCH_BYTES = 1 << 20;

/**
 * cutClip for a format whose container is written front to back (canStreamClip): ffmpeg writes
 * to a pipe, and every byte goes both to `<output>.partial` and to `stream`, so the client can
 * start reading within ffmpeg's start-up time (plus any re-encoded head) instead of after the
 * whole cut. The file is written at ffmpeg's pace; a slow reader holds ffmpeg back, a reader
 * that went away (stream destroyed) no longer does.
 *
 * With `initTemplate` (the initialisation segment of an earlier clip of the same master, format,
 * audio and video method; see fmp4-init.ts), the reader gets it at once, before any piece is
 * cut, and ffmpeg's own segment is checked against it and replaced by it. Should they differ,
 * the reader's stream fails with InitSegmentMismatch, while the file is still completed.
 */
export function cutClipStream(options: CutOptions, initTemplate: Buffer | null = null): StreamedCut {
  const client = clientStream();
  // A failed cut destroys the stream with its error; a stream nobody reads any more must not
  // turn that into an uncaught exception. Readers still see the error.
  client.stream.on("error", () => {});
  if (initTemplate !== null) void client.offer(initTemplate);
  let foundInit: (init: Buffer | null) => void = () => {};
  const init = new Promise<Buffer | null>((resolve) => {
    foundInit = resolve;
  });
  const splice = initSplicer(initTemplate, foundInit, (error) => client.stream.destroy(error));
  const done = runCut(options, "sequential", (args, run) =>
    runFfmpeg([...args, "pipe:1"], run, (stdout) =>
      tee(stdout, `${options.output}.partial`, splice, client.offer),
    ),
  ).then(
    (result) => {
      foundInit(null);
      client.stream.push(null);
      return result;
    },
    (error: unknown) => {
      foundInit(null);
      client.stream.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    },
  );
  return { stream: client.stream, done, init };
}

/**
 * Holds ffmpeg's first bytes until its initialisation segment is complete, then lets through
 * either them or, with a matching template, the template in their place (the reader has it).
 */
function initSplicer(
  template: Buffer | null,
  found: (init: Buffer | null) => void,
  breakReader: (error: Error) => void,
): (chunk: Buffer) => { file: Buffer; reader: Buffer | null } {
  let held: Buffer | null = Buffer.alloc(0);
  return (chunk) => {
    if (held === null) return { file: chunk, reader: chunk };
    held = Buffer.concat([held, chunk]);
    const length = initSegmentLength(held);
    if (length === null && held.length < INIT_SEARCH_BYTES) return { file: Buffer.alloc(0), reader: null };
    const bytes: Buffer = held;
    held = null;
    if (length === null) {
      found(null);
      if (template !== null) breakReader(new InitSegmentMismatch());
      return { file: bytes, reader: bytes };
    }
    const own = Buffer.from(bytes.subarray(0, length));
    found(own);
    if (template === null) return { file: bytes, reader: bytes };
    if (!sameInitSegment(template, own)) {
      breakReader(new InitSegmentMismatch());
      return { file: bytes, reader: null };
    }
    const rest = bytes.subarray(length);
    return { file: Buffer.concat([template, rest]), reader: rest };
  };
}

async function tee(
  stdout: Readable,
  file: string,
  splice: (chunk: Buffer) => { file: Buffer; reader: Buffer | null },
  offer: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  const out = createWriteStream(file);
  try {
    for await (const chunk of stdout) {
      const parts = splice(chunk as Buffer);
      if (parts.file.length > 0 && !out.write(parts.file)) await once(out, "drain");
      if (parts.reader !== null && parts.reader.length > 0) await offer(parts.reader);
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
