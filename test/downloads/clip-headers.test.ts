import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClipHeaders } from "../../src/downloads/clip-headers.ts";
import { LocalStorage } from "../../src/storage/local.ts";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "pressroom-headers-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const key = {
  itemId: 7,
  masterKey: "items/7/master.mp4",
  format: "original",
  audioTracks: null,
  origin: "master" as const,
};

describe("clip headers", () => {
  it("are kept beside the master, so another process (or a restart) sends them ahead too", async () => {
    const storage = new LocalStorage(root);
    const header = Buffer.from("ftyp and moov bytes");
    await createClipHeaders(storage, { warn: () => {} }).keep(key, header);

    const restarted = createClipHeaders(storage, { warn: () => {} });
    expect((await restarted.get(key))?.equals(header)).toBe(true);
    expect(await restarted.get({ ...key, audioTracks: [1] })).toBeNull();
    expect(await restarted.get({ ...key, origin: "encoder" })).toBeNull();
    expect((await storage.list("items/7/clip-headers/")).length).toBe(1);

    // Deleting the item's folder deletes them with it.
    await storage.deletePrefix("items/7/");
    expect(await createClipHeaders(storage, { warn: () => {} }).get(key)).toBeNull();
  });
});
