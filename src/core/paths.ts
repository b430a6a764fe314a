import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The project's folder (the one with package.json), for the files the server serves from
 * src/web/public. The code runs from src/ through tsx (tests, tools) or bundled in dist/server/
 * (scripts/build-server.mjs), so a path relative to the running file would differ.
 */
export const PROJECT_ROOT = findRoot(import.meta.dirname);

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
