import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { Storage } from "../storage/storage.ts";
import { StorageNotFound } from "../storage/storage.ts";

// A few kilobytes each; enough for every master in use at once.
const KEPT_IN_MEMORY = 500;

/** What decides a streamed clip's header (see media/fmp4-init.ts): not IN, OUT or the timecode. */
export interface ClipHeaderKey {
  itemId: number;
  masterKey: string;
  format: string;
  audioTracks: number[] | null;
  /** Whether the clip's frames are the master's (copied) or an encoder's. */
  origin: "master" | "encoder";
}

/**
 * The initialisation segment of the last streamed clip of each master, format, audio choice and
 * video origin, sent ahead of the next such clip while it is cut. Kept in memory and beside the
 * master in storage (items/{id}/clip-headers/), so a restarted or second web process has it too
 * and deleting the item deletes it.
 */
export function createClipHeaders(storage: Storage) {
  const memory = new Map<string, Buffer>();

  function storageKey(key: ClipHeaderKey): string {
    const id = createHash("sha256")
      .update([key.masterKey, key.format, key.audioTracks?.join(",") ?? "all", key.origin].join("|"))
      .digest("hex")
      .slice(0, 24);
    return `items/${key.itemId}/clip-headers/${id}.mp4`;
  }

  function remember(name: string, header: Buffer): void {
    memory.delete(name);
    if (memory.size >= KEPT_IN_MEMORY) {
      const oldest = memory.keys().next().value;
      if (oldest !== undefined) memory.delete(oldest);
    }
    memory.set(name, header);
  }

  return {
    async get(key: ClipHeaderKey): Promise<Buffer | null> {
      const name = storageKey(key);
      const known = memory.get(name);
      if (known) return known;
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of await storage.read(name)) chunks.push(chunk as Buffer);
        const header = Buffer.concat(chunks);
        remember(name, header);
        return header;
      } catch (error) {
        if (error instanceof StorageNotFound) return null;
        throw error;
      }
    },

    async keep(key: ClipHeaderKey, header: Buffer): Promise<void> {
      const name = storageKey(key);
      const known = memory.get(name);
      remember(name, header);
      if (known?.equals(header)) return;
      await storage.putStream(name, Readable.from([header]), { contentType: "video/mp4" });
    },
  };
}

export type ClipHeaders = ReturnType<typeof createClipHeaders>;
