import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { setTimeout as delay } from "node:timers/promises";
import { clipOutput } from "./clip-output.ts";
import { type ClipWriter, type CutOptions, type CutResult, runCut } from "./cut.ts";
import { type RunOptions, runFfmpeg } from "./ffmpeg.ts";
import { initSegmentLength, sameInitSegment } from "./fmp4-init.ts";
import { isMxfHeader, MxfFormatError } from "./mxf-klv.ts";
import { createMxfStreamer, type MxfStreamer, sameMxfHeader, withStartTimecode } from "./mxf-stream.ts";
import { parseTimecode, timecodeAtFrame, timecodeToFrames } from "./timecode.ts";

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
   * The clip's header as ffmpeg wrote it, once the cut succeeded: the initialisation segment
   * (ftyp + moov) of an MP4/MOV, the header partition of an MXF (before mxf-stream.ts changes
   * it); null if the output never had one. Kept by the caller as the template for the next clips.
   */
  init: Promise<Buffer | null>;
}

/** The header sent ahead did not match what ffmpeg wrote; the reader's copy is broken off. */
export class InitSegmentMismatch extends Error {
  constructor() {
    super("the clip's header differs from the one sent ahead");
    this.name = "InitSegmentMismatch";
  }
}

// Enough for a few fragments of a 1080p master in flight to a slow client, little per client.
const CLIENT_BUFFER = 1 << 20;
// A moov for a handful of tracks is a few kilobytes; past this the output has none to find.
const INIT_SEARCH_BYTES = 1 << 20;
// An MXF clip's file is read back a megabyte at a time at most, and looked at again this soon
// when the reader has caught up with ffmpeg (which writes 32 kB at a time).
const READ_BYTES = 1 << 20;
const TAIL_WAIT_MS = 5;

/**
 * cutClip for a format whose container is written front to back (canStreamClip): ffmpeg writes
 * to a pipe, and every byte goes both to `<output>.partial` and to `stream`, so the client can
 * start reading within ffmpeg's start-up time (plus any re-encoded head) instead of after the
 * whole cut. The file is written at ffmpeg's pace; a slow reader holds ffmpeg back, a reader
 * that went away (stream destroyed) no longer does.
 *
 * An MXF clip goes through mxf-stream.ts instead (see tailMxf): the reader gets a valid OP1a file
 * whose open header partition its footer completes, and the work file is that, closed.
 *
 * With `initTemplate` (the header of an earlier clip of the same master, format, audio and video
 * origin: see fmp4-init.ts, mxf-stream.ts), the reader gets it at once (an MXF's with this clip's
 * start timecode), before any piece is cut, and ffmpeg's own header is checked against it and
 * replaced by it. Should they differ, the reader's stream fails with InitSegmentMismatch, while
 * the file is still completed.
 */
export function cutClipStream(options: CutOptions, initTemplate: Buffer | null = null): StreamedCut {
  const client = clientStream();
  // A failed cut destroys the stream with its error; a stream nobody reads any more must not
  // turn that into an uncaught exception. Readers still see the error.
  client.stream.on("error", () => {});
  let foundInit: (init: Buffer | null) => void = () => {};
  const init = new Promise<Buffer | null>((resolve) => {
    foundInit = resolve;
  });
  const breakReader = (error: Error): void => {
    client.stream.destroy(error);
  };
  const partial = `${options.output}.partial`;
  let write: ClipWriter;
  if (clipOutput(options.format, options.info).sequential?.at(-1) === "mxf") {
    const mxf = createMxfStreamer(options.outFrame - options.inFrame, () =>
      breakReader(new InitSegmentMismatch()),
    );
    const ahead = initTemplate === null ? null : mxfAhead(mxf, initTemplate, options);
    if (ahead !== null) void client.offer(ahead);
    write = async (args, run) => {
      await tailMxf(args, partial, run, mxf, client.offer);
      foundInit(mxf.header());
    };
  } else {
    if (initTemplate !== null) void client.offer(initTemplate);
    const splice = initSplicer(initTemplate, foundInit, breakReader);
    write = (args, run) =>
      runFfmpeg([...args, "pipe:1"], run, (stdout) => tee(stdout, partial, splice, client.offer));
  }
  const done = runCut(options, "sequential", write).then(
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
 * Whether a clip's header is the one kept from an earlier clip (see `initTemplate`): MP4 headers
 * but for bit-rate hints, MXF header partitions but for the start timecode.
 */
export function sameClipHeader(kept: Buffer, own: Buffer): boolean {
  return isMxfHeader(kept) ? sameMxfHeader(kept, own) : sameInitSegment(kept, own);
}

/**
 * An earlier clip's MXF header partition as this clip's (its start timecode), changed as the
 * streamer changes ffmpeg's; null if it is not one (the clip then waits for its own).
 */
function mxfAhead(mxf: MxfStreamer, template: Buffer, options: CutOptions): Buffer | null {
  const rate = options.info.video.frameRate;
  const start = timecodeAtFrame(options.info.startTimecode, options.inFrame, rate);
  try {
    return mxf.ahead(withStartTimecode(template, timecodeToFrames(parseTimecode(start), rate)));
  } catch (error) {
    if (!(error instanceof MxfFormatError)) throw error;
    options.logger?.warn({ err: error, master: options.master }, "kept MXF clip header unreadable");
    return null;
  }
}

/**
 * An MXF clip's final ffmpeg writes the work file itself, as it would a pipe (`-seekable 0`),
 * and the file is read back as it grows and passed through mxf-stream.ts for the reader. Piped
 * through Node instead, a 30 s 1080i clip (200 MB) took 0.4-0.8 s longer on a busy 2-core
 * machine: ffmpeg waited on every 64 kB chunk. Once ffmpeg is done and every byte was read, the
 * file is made what the reader got, with its header partition closed.
 */
async function tailMxf(
  args: string[],
  partial: string,
  run: RunOptions,
  mxf: MxfStreamer,
  offer: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  // Made before ffmpeg starts, so it can be opened at once; ffmpeg truncates the same file.
  const file = await open(partial, "w+");
  // Stops ffmpeg if reading its file fails, instead of letting it write on for nobody.
  const stop = new AbortController();
  const signal = run.signal ? AbortSignal.any([run.signal, stop.signal]) : stop.signal;
  let exited = false;
  const cut = runFfmpeg([...args, "-seekable", "0", partial], { ...run, signal }).finally(() => {
    exited = true;
  });
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let at = 0;
    for (;;) {
      // ffmpeg may be done long before a slow reader: leaving stops the reading too.
      run.signal?.throwIfAborted();
      // Read before looking: a read that finds nothing after ffmpeg exited has had every byte.
      const over = exited;
      const { bytesRead } = await file.read(buffer, 0, READ_BYTES, at);
      if (bytesRead === 0) {
        if (over) break;
        await Promise.race([cut.then(noop, noop), delay(TAIL_WAIT_MS)]);
        continue;
      }
      at += bytesRead;
      // A copy: what the reader is given must outlive the buffer.
      const { reader, patches } = mxf.splice(Buffer.from(buffer.subarray(0, bytesRead)));
      for (const patch of patches) await file.write(patch.bytes, 0, patch.bytes.length, patch.at);
      if (reader !== null && reader.length > 0) await offer(reader);
    }
    await cut;
    for (const patch of mxf.complete()) await file.write(patch.bytes, 0, patch.bytes.length, patch.at);
  } catch (error) {
    stop.abort();
    await cut.catch(noop);
    throw error;
  } finally {
    await file.close();
  }
}

function noop(): void {}

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
