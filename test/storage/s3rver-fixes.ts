import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/** The parts of s3rver's FilesystemStore (lib/stores/filesystem.js) that the fixes below replace or call. */
interface FilesystemStore {
  rootDirectory: string;
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  deleteObject(bucket: string, key: string): Promise<void>;
}

interface StoredObject {
  bucket: string;
  key: string;
  content: Buffer | NodeJS.ReadableStream;
  metadata: unknown;
}

let applied = false;

/**
 * s3rver 3.7.1 falls short of S3 in two ways that make tests flaky, fixed here in the store
 * it writes with:
 * - an object is written in place and the PUT answered before the file is flushed, so a read
 *   just after a PUT can see a short object; real S3 shows an object whole or not at all.
 *   Each object is now written beside the data folder and renamed into place once complete.
 * - deleting several objects of one folder at once races on removing the emptied folder and
 *   answers 500; the folder being gone already is now taken as done.
 */
export function applyS3rverFixes(): void {
  if (applied) return;
  applied = true;
  const require = createRequire(import.meta.url);
  const store = (require("s3rver/lib/stores/filesystem.js") as { prototype: FilesystemStore }).prototype;

  store.putObject = async function putObject(this: FilesystemStore, object: StoredObject) {
    const target = this.getResourcePath(object.bucket, object.key, "object");
    const uploading = path.join(path.dirname(this.rootDirectory), "uploading");
    await mkdir(uploading, { recursive: true });
    const tmp = path.join(uploading, randomUUID());
    const md5 = createHash("md5");
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    try {
      await pipeline(content, measure, createWriteStream(tmp));
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const digest = md5.digest("hex");
    await this.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };

  const deleteObject = store.deleteObject;
  store.deleteObject = async function (this: FilesystemStore, bucket: string, key: string) {
    try {
      await deleteObject.call(this, bucket, key);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  };
}
