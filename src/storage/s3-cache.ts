import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { ObjectStat } from "./storage.ts";

/**
 * ffmpeg needs a file it can seek in, so an S3 object is copied into cacheDir at the key's own
 * path. The copy carries the object's modification time; while size and time still match, the
 * object has not changed and the copy is reused. Downloads go to a temporary name and are
 * renamed into place, so a concurrent caller never opens a half-written copy.
 */
export async function downloadToCache(
  key: string,
  remote: ObjectStat,
  cacheDir: string,
  open: () => Promise<NodeJS.ReadableStream>,
): Promise<string> {
  const target = path.join(path.resolve(cacheDir), ...key.split("/"));
  const cached = await stat(target).catch(() => null);
  if (cached?.size === remote.size && cached.mtime.getTime() === remote.modifiedAt.getTime()) return target;

  const tmpDir = path.join(path.resolve(cacheDir), ".tmp");
  await mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, randomUUID());
  try {
    await pipeline(await open(), createWriteStream(tmp));
    await utimes(tmp, new Date(), remote.modifiedAt);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return target;
}
