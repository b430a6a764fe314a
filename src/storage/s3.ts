import { createReadStream } from "node:fs";
import { stat as fileStat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { byteCounter } from "./byte-counter.ts";
import { checkKey, checkPrefix, checkRange } from "./keys.ts";
import { downloadToCache } from "./s3-cache.ts";
import {
  type ByteRange,
  type ObjectStat,
  type PutOptions,
  RangeNotSatisfiable,
  type Storage,
  StorageNotFound,
} from "./storage.ts";

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** Unset for AWS; the server's URL for MinIO, Ceph, R2 and the like. */
  endpoint: string | null;
  /** Bucket in the path (http://host/bucket/key) rather than the host name; MinIO and Ceph want it. */
  forcePathStyle: boolean;
  /** Unset: the SDK's own chain (environment, instance role, ~/.aws). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** Multipart part size in bytes (S3's minimum is 5 MiB); also the memory each upload buffers, times 4. */
  partSize?: number;
}

const mib = 1024 * 1024;
// S3 refuses uploads of more than 10,000 parts; 16 MiB parts reach 160 GB.
const maxParts = 10_000;

/** Objects in one bucket. S3 makes each PUT atomic itself: an object appears whole or not at all. */
export class S3Storage implements Storage {
  readonly kind = "s3";
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly partSize: number;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.partSize = Math.max(5 * mib, options.partSize ?? 16 * mib);
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint ?? undefined,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials ?? undefined,
      // Newer SDKs add checksums and aws-chunked bodies to every request, which many
      // S3-compatible servers refuse; only operations whose API requires one send it.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async putFile(key: string, localPath: string, options?: PutOptions): Promise<void> {
    checkKey(key);
    const { size } = await fileStat(localPath);
    const partSize = Math.max(this.partSize, Math.ceil(size / (maxParts - 1) / mib) * mib);
    const body = createReadStream(localPath);
    try {
      await this.upload(key, body, partSize, options);
    } finally {
      // A failed upload stops reading without closing the file.
      body.destroy();
    }
  }

  async putStream(key: string, body: NodeJS.ReadableStream, options?: PutOptions): Promise<number> {
    checkKey(key);
    const counter = byteCounter();
    const receiving = pipeline(body, counter);
    receiving.catch(() => {});
    try {
      await Promise.all([receiving, this.upload(key, counter, this.partSize, options)]);
      return counter.bytes;
    } catch (error) {
      // A failed upload stops reading; this ends the body too, rather than leaving it paused.
      counter.destroy();
      throw error;
    }
  }

  async stat(key: string): Promise<ObjectStat | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      return { size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream> {
    if (range) checkRange(range);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: checkKey(key),
      Range: range ? `bytes=${range.start}-${range.end}` : undefined,
    });
    try {
      const { Body } = await this.client.send(command);
      if (!(Body instanceof Readable)) throw new Error(`S3 returned no readable body for "${key}"`);
      return Body;
    } catch (error) {
      if (isNotFound(error)) throw new StorageNotFound(key);
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 416) {
        throw new RangeNotSatisfiable(key);
      }
      throw error;
    }
  }

  async localPath(key: string, cacheDir: string): Promise<string> {
    const remote = await this.stat(key);
    if (!remote) throw new StorageNotFound(key);
    return downloadToCache(key, remote, cacheDir, () => this.read(key));
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
  }

  async deletePrefix(prefix: string): Promise<void> {
    checkPrefix(prefix, { allowEmpty: false });
    const keys = await this.list(prefix);
    // DeleteObjects takes at most 1,000 keys a request.
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((Key) => ({ Key }));
      const result = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch, Quiet: true } }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        const sample = failed.slice(0, 3).map((e) => `${e.Key}: ${e.Code} ${e.Message}`);
        throw new Error(
          `S3 could not delete ${failed.length} objects under "${prefix}" (${sample.join("; ")})`,
        );
      }
    }
  }

  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix, { allowEmpty: true });
    const keys: string[] = [];
    const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix });
    for await (const page of pages) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
    return keys.sort();
  }

  /** Stops the client's sockets; for tests and a clean shutdown. */
  close(): void {
    this.client.destroy();
  }

  private async upload(
    key: string,
    body: Readable,
    partSize: number,
    options: PutOptions | undefined,
  ): Promise<void> {
    // One PUT when the body fits in a part, multipart otherwise; either way the object only
    // appears when the last request completes, and a failed multipart upload is aborted.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: options?.contentType },
      partSize,
      queueSize: 4,
    });
    await upload.done();
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === "NoSuchKey" || error.name === "NotFound");
}
