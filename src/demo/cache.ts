import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Generated media is kept beside a small JSON manifest written last: a file counts as made
 * only when its manifest is there and names the same recipe, so a run killed halfway, or a
 * changed text, makes it again.
 */

// Bump when the way media is made changes, so files made the old way are not reused.
const RECIPE_VERSION = 1;

export function recipeHash(recipe: unknown): string {
  return createHash("sha256").update(JSON.stringify({ RECIPE_VERSION, recipe })).digest("hex").slice(0, 16);
}

export async function readManifest<T extends { recipe: string; files: string[] }>(
  dir: string,
  key: string,
  recipe: string,
): Promise<T | null> {
  const file = path.join(dir, `${key}.json`);
  if (!existsSync(file)) return null;
  try {
    const manifest = JSON.parse(await readFile(file, "utf8")) as T;
    const complete =
      manifest.recipe === recipe && manifest.files.every((name) => existsSync(path.join(dir, name)));
    return complete ? manifest : null;
  } catch {
    return null;
  }
}

export async function writeManifest(dir: string, key: string, manifest: object): Promise<void> {
  await writeAtomically(path.join(dir, `${key}.json`), (temporary) =>
    writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`),
  );
}

/** Makes `target` through a temporary name in the same folder, so it never exists half-written. */
export async function writeAtomically(
  target: string,
  make: (temporary: string) => Promise<unknown>,
): Promise<void> {
  const temporary = path.join(path.dirname(target), `.${randomUUID()}${path.extname(target)}`);
  try {
    await make(temporary);
    await rename(temporary, target);
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * Runs `work` while holding `dir`'s lock file, so two processes (test workers, the portal and
 * the CLI) do not make the same media at once: the second waits, then finds it made. A lock
 * whose process has died is taken over.
 */
export async function withDirLock<T>(dir: string, work: () => Promise<T>, pollMs = 250): Promise<T> {
  const lock = path.join(dir, ".lock");
  for (;;) {
    try {
      await writeFile(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(await readFile(lock, "utf8").catch(() => ""));
      if (holder && !alive(holder)) await rm(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
