import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Storage } from "../storage/storage.ts";

/**
 * Copies a finished folder into storage under `prefix`, playlists and indexes last, so a player
 * that finds the entry file finds everything it names. The caller records the rendition only
 * after this returns: until then nothing points at these objects.
 */
export async function publishFolder(storage: Storage, dir: string, prefix: string): Promise<string[]> {
  const files = await listFiles(dir);
  const isIndex = (file: string) => /\.(m3u8|vtt|json)$/.test(file);
  const ordered = [...files.filter((f) => !isIndex(f)), ...files.filter(isIndex).sort(byDepthDescending)];
  for (const file of ordered) {
    await storage.putFile(`${prefix}${file}`, path.join(dir, ...file.split("/")), {
      contentType: contentType(file),
    });
  }
  return ordered;
}

async function listFiles(dir: string, under = ""): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(dir, under), { withFileTypes: true })) {
    const relative = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await listFiles(dir, relative)));
    else if (entry.isFile()) found.push(relative);
  }
  return found.sort();
}

// Variant playlists before the master playlist that lists them.
function byDepthDescending(a: string, b: string): number {
  return b.split("/").length - a.split("/").length || a.localeCompare(b);
}

export function contentType(file: string): string {
  const ext = path.extname(file).toLowerCase();
  const types: Record<string, string> = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt",
    ".jpg": "image/jpeg",
    ".json": "application/json",
  };
  return types[ext] ?? "application/octet-stream";
}
