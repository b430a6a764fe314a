import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  InvalidStorageKey,
  RangeNotSatisfiable,
  type Storage,
  StorageNotFound,
} from "../../src/storage/index.ts";

export interface StorageUnderTest {
  storage: Storage;
  close(): Promise<void>;
}

/** Reads a whole stream into memory; the objects in these tests are a few MB at most. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * The behaviour every Storage must have, run once per implementation. `largeSize` is big
 * enough to make the S3 implementation switch to multipart upload.
 */
export function describeStorage(name: string, open: () => Promise<StorageUnderTest>, largeSize: number) {
  describe(`${name} storage`, () => {
    let subject: StorageUnderTest;
    let storage: Storage;
    let scratch: string;

    beforeAll(async () => {
      subject = await open();
      storage = subject.storage;
      scratch = await mkdtemp(path.join(tmpdir(), "pressroom-storage-scratch-"));
    });
    afterAll(async () => {
      await subject?.close();
      await rm(scratch, { recursive: true, force: true });
    });

    async function putBytes(key: string, bytes: Buffer): Promise<void> {
      const file = path.join(scratch, `${Math.random()}`);
      await writeFile(file, bytes);
      await storage.putFile(key, file, { contentType: "application/octet-stream" });
    }

    it("stores a file and reads it whole or by range", async () => {
      const bytes = randomBytes(1000);
      const before = Date.now();
      await putBytes("ranges/master.mxf", bytes);

      const info = await storage.stat("ranges/master.mxf");
      expect(info?.size).toBe(1000);
      // S3 keeps whole seconds.
      expect(info?.modifiedAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 2000);
      expect(await readAll(await storage.read("ranges/master.mxf"))).toEqual(bytes);
      const range = async (start: number, end: number) =>
        readAll(await storage.read("ranges/master.mxf", { start, end }));
      expect(await range(0, 99)).toEqual(bytes.subarray(0, 100));
      expect(await range(990, 999)).toEqual(bytes.subarray(990));
      expect(await range(300, 499)).toEqual(bytes.subarray(300, 500));
      expect(await range(7, 7)).toEqual(bytes.subarray(7, 8));
      expect(await range(995, 5000)).toEqual(bytes.subarray(995));
      await expect(storage.read("ranges/master.mxf", { start: 1000, end: 1010 })).rejects.toThrow(
        RangeNotSatisfiable,
      );
      await expect(storage.read("ranges/master.mxf", { start: 10, end: 5 })).rejects.toThrow(RangeError);
    });

    it("says when an object is absent", async () => {
      expect(await storage.stat("absent/thing.mp4")).toBeNull();
      await expect(storage.read("absent/thing.mp4")).rejects.toThrow(StorageNotFound);
      await expect(storage.read("absent/thing.mp4", { start: 0, end: 9 })).rejects.toThrow(StorageNotFound);
      await expect(storage.localPath("absent/thing.mp4", scratch)).rejects.toThrow(StorageNotFound);
      await putBytes("absent/folder/inside.bin", randomBytes(10));
      // A "folder" of the local layout is not an object.
      expect(await storage.stat("absent/folder")).toBeNull();
      await expect(storage.read("absent/folder")).rejects.toThrow(StorageNotFound);
    });

    it("stores a stream of several MB and returns its length", async () => {
      const bytes = randomBytes(largeSize);
      const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) =>
        bytes.subarray(i * 65536, (i + 1) * 65536),
      );
      const written = await storage.putStream("stream/upload.mov", Readable.from(chunks));
      expect(written).toBe(bytes.length);
      expect((await storage.stat("stream/upload.mov"))?.size).toBe(bytes.length);
      expect((await readAll(await storage.read("stream/upload.mov"))).equals(bytes)).toBe(true);
      const tail = await readAll(
        await storage.read("stream/upload.mov", { start: largeSize - 100, end: largeSize - 1 }),
      );
      expect(tail).toEqual(bytes.subarray(largeSize - 100));
    });

    it("never shows a partial object while a stream is being stored", async () => {
      const previous = randomBytes(2048);
      await putBytes("atomic/master.mxf", previous);
      const next = randomBytes(largeSize);
      const source = new PassThrough();
      const freshSource = new PassThrough();
      const putting = storage.putStream("atomic/master.mxf", source);
      const puttingFresh = storage.putStream("atomic/fresh.mxf", freshSource);

      const chunk = 512 * 1024;
      for (let offset = 0; offset < next.length; offset += chunk) {
        source.write(next.subarray(offset, offset + chunk));
        freshSource.write(next.subarray(offset, offset + chunk));
        await sleep(10);
        expect(await storage.stat("atomic/master.mxf")).toMatchObject({ size: previous.length });
        expect(await readAll(await storage.read("atomic/master.mxf"))).toEqual(previous);
        expect(await storage.stat("atomic/fresh.mxf")).toBeNull();
        expect(await storage.list("atomic/")).toEqual(["atomic/master.mxf"]);
      }
      source.end();
      freshSource.end();
      expect(await putting).toBe(next.length);
      expect(await puttingFresh).toBe(next.length);
      expect((await readAll(await storage.read("atomic/master.mxf"))).equals(next)).toBe(true);
      expect((await storage.stat("atomic/fresh.mxf"))?.size).toBe(next.length);
    });

    it("keeps the previous version when a stream fails", async () => {
      const previous = randomBytes(100);
      await putBytes("failed/photo.jpg", previous);
      const source = new PassThrough();
      const putting = storage.putStream("failed/photo.jpg", source);
      source.write(randomBytes(1000));
      source.destroy(new Error("client went away"));
      await expect(putting).rejects.toThrow("client went away");
      expect(await readAll(await storage.read("failed/photo.jpg"))).toEqual(previous);
      expect(await storage.list("failed/")).toEqual(["failed/photo.jpg"]);
    });

    it("overwrites an object", async () => {
      await putBytes("overwrite/poster.jpg", Buffer.from("first version"));
      await putBytes("overwrite/poster.jpg", Buffer.from("second, longer version"));
      expect((await storage.stat("overwrite/poster.jpg"))?.size).toBe(22);
      expect((await readAll(await storage.read("overwrite/poster.jpg"))).toString()).toBe(
        "second, longer version",
      );
    });

    it("deletes an object, and says nothing when it is already gone", async () => {
      await putBytes("delete/a.jpg", randomBytes(10));
      await storage.delete("delete/a.jpg");
      expect(await storage.stat("delete/a.jpg")).toBeNull();
      await storage.delete("delete/a.jpg");
      await storage.delete("delete/never/was.jpg");
    });

    it("lists and deletes by prefix, matching characters, not folders", async () => {
      const keys = ["items/1/hls/720p/seg_00001.m4s", "items/1/hls/master.m3u8", "items/1/poster.jpg"];
      const others = ["items/10/poster.jpg", "items/2/poster.jpg", "itemsx"];
      for (const key of [...others, ...keys]) await putBytes(key, Buffer.from(key));

      expect(await storage.list("items/1/")).toEqual(keys);
      expect(await storage.list("items/1")).toEqual([...keys, "items/10/poster.jpg"]);
      expect(await storage.list("items/1/hls/720p/seg_")).toEqual(["items/1/hls/720p/seg_00001.m4s"]);
      expect(await storage.list("nothing/here/")).toEqual([]);
      expect(await storage.list("")).toEqual(expect.arrayContaining([...keys, ...others]));

      await storage.deletePrefix("items/1/");
      expect(await storage.list("items")).toEqual(["items/10/poster.jpg", "items/2/poster.jpg", "itemsx"]);
      await storage.deletePrefix("items/1/");
      // Space freed and the key usable again, as a file where a folder was.
      await putBytes("items/1", Buffer.from("now a file"));
      expect((await storage.stat("items/1"))?.size).toBe(10);
      await expect(storage.deletePrefix("")).rejects.toThrow(InvalidStorageKey);
    });

    it("gives ffmpeg a path to open", async () => {
      const bytes = randomBytes(4096);
      await putBytes("paths/master.mxf", bytes);
      const cacheDir = path.join(scratch, "cache");
      const first = await storage.localPath("paths/master.mxf", cacheDir);
      expect(await readFile(first)).toEqual(bytes);
      expect(path.basename(first)).toBe("master.mxf");
      if (storage.kind === "local") {
        expect(first.startsWith(cacheDir)).toBe(false);
        return;
      }
      expect(first.startsWith(cacheDir)).toBe(true);
      const { ino } = await stat(first);
      expect(await storage.localPath("paths/master.mxf", cacheDir)).toBe(first);
      expect((await stat(first)).ino).toBe(ino);

      const changed = randomBytes(5000);
      await putBytes("paths/master.mxf", changed);
      expect(await readFile(await storage.localPath("paths/master.mxf", cacheDir))).toEqual(changed);
    });

    it("refuses keys that could leave the storage or are malformed", async () => {
      const file = path.join(scratch, "bad-key-source");
      await writeFile(file, "x");
      const bad = ["../x", "/abs", "a//b", "a\\b", "", "a/../b", "a/./b", "a/", ".tmp/x", "a\u0000b"];
      for (const key of bad) {
        await expect(storage.putFile(key, file), key).rejects.toThrow(InvalidStorageKey);
        await expect(storage.putStream(key, Readable.from(["x"])), key).rejects.toThrow(InvalidStorageKey);
        await expect(storage.stat(key), key).rejects.toThrow(InvalidStorageKey);
        await expect(storage.read(key), key).rejects.toThrow(InvalidStorageKey);
        await expect(storage.delete(key), key).rejects.toThrow(InvalidStorageKey);
        await expect(storage.localPath(key, scratch), key).rejects.toThrow(InvalidStorageKey);
      }
      for (const prefix of ["../", "/", "a//", "a\\"]) {
        await expect(storage.list(prefix), prefix).rejects.toThrow(InvalidStorageKey);
        await expect(storage.deletePrefix(prefix), prefix).rejects.toThrow(InvalidStorageKey);
      }
    });
  });
}
