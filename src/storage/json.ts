import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Storage } from "./storage.ts";

/**
 * Small JSON files the portal keeps beside media (keyframe index, waveform, a live stream's facts):
 * written to `workDir` first and stored whole, as every stored file is (no half file is ever read).
 */
export async function putJson(storage: Storage, key: string, value: unknown, workDir: string): Promise<void> {
  const file = path.join(workDir, path.basename(key));
  await writeFile(file, JSON.stringify(value));
  await storage.putFile(key, file, { contentType: "application/json" });
}

/** A stored JSON file, parsed; rejects with StorageNotFound when there is none. */
export async function readJson<T>(storage: Storage, key: string): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.read(key)) chunks.push(Buffer.from(chunk));
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as T;
}
