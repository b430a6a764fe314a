import { mkdtemp, readdir, rm } from "node:fs/promises";
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
});
