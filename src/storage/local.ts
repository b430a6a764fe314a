import { randomUUID } from "node:crypto";
import { createWriteStream, constants as fsConstants } from "node:fs";
import { copyFile, mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { byteCounter } from "./byte-counter.ts";
import { FileChunkStream } from "./file-stream.ts";
import { checkKey, checkPrefix, checkRange } from "./keys.ts";
import {
  type ByteRange,
  type ObjectStat,
  type PutOptions,
  RangeNotSatisfiable,
  type ReadOptions,
  type Storage,
  StorageNotFound,
} from "./storage.ts";

/**
 * Objects are files under root, named by their key. Every write goes to root/.tmp first and
 * is renamed into place: a rename within one filesystem is atomic, so readers see the old
 * file or the new one, never a partial one, and an open reader keeps the version it opened.
 */
export class LocalStorage implements Storage {
  readonly kind = "local";
  readonly root: string;
  private readonly tmpDir: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, ".tmp");
  }

  async putFile(key: string, localPath: string, options: PutOptions = {}): Promise<void> {
    const target = this.pathOf(key);
    if (options.move) {
      // Flushed before the rename, for the same reason as below, unless the caller can tell a
      // short file (a crash before it reached the disk) from a whole one. No copy either way.
      if (options.durable !== false) {
        const handle = await open(localPath, "r+");
        await handle.sync().finally(() => handle.close());
      }
      try {
        await moveInto(localPath, target);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      }
    }
    const tmp = this.tmpPath();
    try {
      await mkdir(this.tmpDir, { recursive: true });
      // A reflink where the filesystem has them, an ordinary copy elsewhere.
      await copyFile(localPath, tmp, fsConstants.COPYFILE_FICLONE);
      const handle = await open(tmp, "r+");
      // Flushed before the rename so a crash cannot leave a complete-looking empty file.
      await handle.sync().finally(() => handle.close());
      await moveInto(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async putStream(key: string, body: NodeJS.ReadableStream): Promise<number> {
    const target = this.pathOf(key);
    const tmp = this.tmpPath();
    const counter = byteCounter();
    // Attached before the first await, so a body that fails early (a client hanging up)
    // is reported here rather than as an uncaught error.
    const receiving = pipeline(body, counter);
    receiving.catch(() => {});
    try {
      await mkdir(this.tmpDir, { recursive: true });
      // flush: fsync before close, for the same reason as in putFile.
      await Promise.all([receiving, pipeline(counter, createWriteStream(tmp, { flush: true }))]);
      await moveInto(tmp, target);
      return counter.bytes;
    } catch (error) {
      counter.destroy();
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async stat(key: string): Promise<ObjectStat | null> {
    const info = await stat(this.pathOf(key)).catch(ignoreMissing);
    if (!info?.isFile()) return null;
    return { size: info.size, modifiedAt: info.mtime };
  }

  async read(key: string, range?: ByteRange, options: ReadOptions = {}): Promise<NodeJS.ReadableStream> {
    if (range) checkRange(range);
    // Opened first so a missing key throws here rather than as a stream error later.
    const handle = await open(this.pathOf(key), "r").catch(ignoreMissing);
    if (!handle) throw new StorageNotFound(key);
    let size: number;
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new StorageNotFound(key);
      if (range && range.start >= info.size) throw new RangeNotSatisfiable(key);
      size = info.size;
    } catch (error) {
      await handle.close();
      throw error;
    }
    // An end past the last byte stops at it, as in HTTP.
    return new FileChunkStream(handle, {
      start: range?.start ?? 0,
      end: range ? Math.min(range.end + 1, size) : size,
      sink: options.sink,
    });
  }

  async localPath(key: string): Promise<string> {
    const file = this.pathOf(key);
    if (!(await this.stat(key))) throw new StorageNotFound(key);
    return file;
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await unlink(file).catch(ignoreMissing);
    await this.pruneEmptyFolders(path.dirname(file));
  }

  async deletePrefix(prefix: string): Promise<void> {
    checkPrefix(prefix, { allowEmpty: false });
    const keys = await this.list(prefix);
    for (const key of keys) await unlink(this.pathOf(key)).catch(ignoreMissing);
    const folders = new Set(keys.map((key) => path.dirname(this.pathOf(key))));
    // Deepest first, so a parent is tried once its children are gone.
    for (const folder of [...folders].sort((a, b) => b.length - a.length))
      await this.pruneEmptyFolders(folder);
  }

  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix, { allowEmpty: true });
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const keys: string[] = [];
    await this.collectKeys(folder, keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  private async collectKeys(folder: string, into: string[]): Promise<void> {
    const entries = await readdir(path.join(this.root, folder), { withFileTypes: true }).catch(ignoreMissing);
    for (const entry of entries ?? []) {
      if (entry.name.startsWith(".")) continue;
      const key = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await this.collectKeys(key, into);
      else if (entry.isFile()) into.push(key);
    }
  }

  /** Empty folders left by deletes are removed up to, not including, the root. */
  private async pruneEmptyFolders(folder: string): Promise<void> {
    let current = folder;
    while (current.startsWith(`${this.root}${path.sep}`)) {
      const removed = await rmdir(current).then(
        () => true,
        () => false,
      );
      if (!removed) return;
      current = path.dirname(current);
    }
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split("/"));
  }

  private tmpPath(): string {
    return path.join(this.tmpDir, randomUUID());
  }
}

/** Renames into place, creating the folder; retried because a concurrent delete may prune it meanwhile. */
async function moveInto(tmp: string, target: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await rename(tmp, target);
      return;
    } catch (error) {
      if (!isMissing(error) || attempt >= 5) throw error;
    }
  }
}

function ignoreMissing(error: unknown): null {
  if (isMissing(error)) return null;
  throw error;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
