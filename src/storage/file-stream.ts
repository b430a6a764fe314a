import type { FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";

/**
 * Where a stream's chunks are written (an HTTP response): the bytes it still holds, queued or
 * being written to the socket. `http.ServerResponse` and every Writable have it.
 */
export interface ChunkSink {
  readonly writableLength: number;
}

/**
 * 256 KiB reads instead of Node's 64 KiB: a quarter of the system calls and stream events per byte
 * on multi-gigabyte masters; with one buffer per download, 50 downloads hold ~13 MB.
 */
export const CHUNK_BYTES = 256 * 1024;
/** Buffers kept between downloads; beyond this, finished downloads leave theirs to the GC. 4 MiB. */
const IDLE_BUFFERS_KEPT = 16;
const idleBuffers: Buffer[] = [];

/**
 * Bytes start..end (exclusive) of an open file as a stream that reuses its read buffers.
 *
 * `fs.createReadStream` allocates a new buffer for every read, and V8 frees it only at a later
 * garbage collection: with 50 downloads at ~1 GB/s that garbage was ~65 MB of resident memory
 * (bench/RESULTS.md, section 3), and with the small young generation main.ts asks for
 * (v8-flags.ts) collecting it cost ~1.5 s of CPU per GB sent instead of ~0.4 s. Here a buffer goes
 * back to a shared pool as soon as the sink has written it out, so a download holds one buffer
 * (rarely two) and makes no garbage.
 *
 * A buffer is known written from the sink's `writableLength`: the sink writes in order, so the bytes
 * it still holds (plus those still buffered in this stream) are the last ones pushed, and every
 * chunk pushed before them is out of the process. Without a sink (or after the stream is destroyed
 * — a client hanging up — when the socket may still reference them) buffers are simply left to the GC.
 */
export class FileChunkStream extends Readable {
  readonly #handle: FileHandle;
  readonly #sink: ChunkSink | null;
  readonly #end: number;
  #position: number;
  /** Chunks pushed and maybe still held downstream, oldest first, with the bytes pushed from each. */
  readonly #pushed: { buffer: Buffer; length: number }[] = [];

  constructor(handle: FileHandle, options: { start: number; end: number; sink?: ChunkSink | undefined }) {
    // With a sink, no read-ahead: the next read starts when the sink wants more, by which time
    // (the sink having drained) the previous buffer is free again — one buffer per download.
    // The socket's kernel buffer, not this one, keeps the client busy meanwhile.
    super({ highWaterMark: options.sink ? 0 : CHUNK_BYTES });
    this.#handle = handle;
    this.#position = options.start;
    this.#end = options.end;
    this.#sink = options.sink ?? null;
  }

  override _read(): void {
    this.#recycleWritten();
    const length = Math.min(CHUNK_BYTES, this.#end - this.#position);
    if (length <= 0) {
      this.push(null);
      return;
    }
    const buffer = idleBuffers.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
    this.#handle.read(buffer, 0, length, this.#position).then(
      ({ bytesRead }) => {
        if (this.destroyed) return;
        if (bytesRead === 0) {
          // The file is shorter than when it was opened: fail rather than send a short body.
          this.destroy(new Error(`file ended at byte ${this.#position}, before ${this.#end}`));
          return;
        }
        this.#position += bytesRead;
        if (this.#sink) this.#pushed.push({ buffer, length: bytesRead });
        this.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
      },
      (error: Error) => this.destroy(error),
    );
  }

  /** Returns to the pool every pushed chunk older than the bytes still held here and in the sink. */
  #recycleWritten(): void {
    if (!this.#sink || this.#pushed.length === 0) return;
    let held = this.readableLength + this.#sink.writableLength;
    let newest = this.#pushed.length;
    while (newest > 0 && held > 0) {
      newest -= 1;
      held -= this.#pushed[newest]!.length;
    }
    for (const { buffer } of this.#pushed.splice(0, newest)) {
      if (idleBuffers.length < IDLE_BUFFERS_KEPT) idleBuffers.push(buffer);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#pushed.length = 0;
    this.#handle.close().then(
      () => callback(error),
      (closeError: Error) => callback(error ?? closeError),
    );
  }
}
