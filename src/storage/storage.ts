import type { ChunkSink } from "./file-stream.ts";

/**
 * Where masters, renditions, photos and cached clips live. One interface, a local folder or
 * an S3 bucket behind it, chosen once at start (index.ts), so no caller knows which.
 */
export interface Storage {
  readonly kind: "local" | "s3";
  /** Stores a local file under key, atomically: readers never see a partial object. */
  putFile(key: string, localPath: string, options?: PutOptions): Promise<void>;
  /** Stores a stream (e.g. an upload), atomically. Returns bytes written. */
  putStream(key: string, body: NodeJS.ReadableStream, options?: PutOptions): Promise<number>;
  /** Size and modification time, or null when absent. */
  stat(key: string): Promise<ObjectStat | null>;
  /**
   * The object, or bytes start..end inclusive (an end past the last byte stops at it, as in
   * HTTP). Throws StorageNotFound, or RangeNotSatisfiable when start is past the last byte.
   */
  read(key: string, range?: ByteRange, options?: ReadOptions): Promise<NodeJS.ReadableStream>;
  /**
   * A path ffmpeg can open directly: the file itself for local storage; for S3 a copy
   * downloaded into cacheDir, reused while its size and modification time match the object.
   */
  localPath(key: string, cacheDir: string): Promise<string>;
  /** Does nothing when the key is absent. */
  delete(key: string): Promise<void>;
  /**
   * Deletes every object whose key starts with prefix. The match is on characters, so end
   * the prefix with "/" to mean a folder ("items/4/" spares "items/42/").
   */
  deletePrefix(prefix: string): Promise<void>;
  /** Keys starting with prefix (same matching as deletePrefix), sorted. */
  list(prefix: string): Promise<string[]>;
}

export interface ReadOptions {
  /**
   * The writable the stream will be piped into (an HTTP response). Local storage then reuses its
   * read buffers once the sink has written them out, instead of leaving one to the GC per read.
   */
  sink?: ChunkSink;
}

export interface PutOptions {
  /** Kept by S3 and sent back on signed-URL downloads; the local folder has nowhere to keep it. */
  contentType?: string;
  /**
   * putFile only: the caller gives the file up, so a local folder on the same filesystem takes
   * it by renaming instead of copying it (the file is then gone from where it was).
   */
  move?: boolean;
  /**
   * With move, false skips the flush to disk before the rename: for a cache whose entries record
   * their size, so that one cut short by a crash is recognised. Flushing hundreds of megabytes
   * holds up every other write on the filesystem meanwhile.
   */
  durable?: boolean;
}

export interface ObjectStat {
  size: number;
  modifiedAt: Date;
}

/** Inclusive, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

export class StorageNotFound extends Error {
  constructor(readonly key: string) {
    super(`no object at "${key}"`);
    this.name = "StorageNotFound";
  }
}

/** The requested range starts at or past the end of the object (HTTP 416). */
export class RangeNotSatisfiable extends Error {
  constructor(readonly key: string) {
    super(`range starts past the end of "${key}"`);
    this.name = "RangeNotSatisfiable";
  }
}
