import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LocalStorage } from "../../src/storage/index.ts";
import { describeStorage } from "./contract.ts";

describeStorage(
  "local",
  async () => {
    const root = await mkdtemp(path.join(tmpdir(), "pressroom-storage-"));
    return { storage: new LocalStorage(root), close: () => rm(root, { recursive: true, force: true }) };
  },
  6 * 1024 * 1024,
);

describe("local storage layout", () => {
  it("keeps each object at its key's path and leaves no temporary file or empty folder behind", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "pressroom-storage-"));
    try {
      const storage = new LocalStorage(root);
      await storage.putStream("items/7/photos/a.jpg", Readable.from([Buffer.from("jpeg")]));
      expect(await storage.localPath("items/7/photos/a.jpg")).toBe(
        path.join(root, "items", "7", "photos", "a.jpg"),
      );
      expect(await readdir(path.join(root, ".tmp"))).toEqual([]);
      await storage.deletePrefix("items/7/");
      expect(await readdir(root)).toEqual([".tmp"]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("takes a file given up (move) by renaming it, the same bytes under the key", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "pressroom-storage-"));
    try {
      const storage = new LocalStorage(root);
      const work = path.join(root, "work");
      await mkdir(work);
      const file = path.join(work, "clip.mxf");
      await writeFile(file, "finished clip");
      await storage.putFile("clips/abc/clip.mxf", file, { move: true });
      expect(existsSync(file)).toBe(false);
      expect(await readFile(await storage.localPath("clips/abc/clip.mxf"), "utf8")).toBe("finished clip");
      expect(await readdir(path.join(root, ".tmp")).catch(() => [])).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
