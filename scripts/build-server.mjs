#!/usr/bin/env node
// The server's code as the processes run it: src/ bundled by esbuild into dist/server/, packages
// left to node_modules. Starting a process from source through tsx cost about 1.3 s of wall and
// 1.9 s of CPU (its loader hooks see every module); the bundle starts in about 0.5 s. The portal,
// the worker, the CLI and the aligner's own process (align-child.js) start from here; `npm start`,
// the other npm scripts and the tests build it first (test/helpers/server-bundle.ts), so it is
// never older than src/.
//
// A portal already running keeps working while this runs again: it loads some chunks only when
// first needed (the photo code, S3), so the chunks of earlier builds (named by their content) stay,
// and each file is written beside its place and renamed, so nothing ever loads half a file. Files
// that no build has written for a week go.
import { randomUUID } from "node:crypto";
import { cp, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const root = path.join(import.meta.dirname, "..");
const target = path.join(root, "dist", "server");
const week = 7 * 24 * 3600 * 1000;

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: "src/main.ts", "align-child": "src/media/align/child.ts" },
  outdir: target,
  write: false,
  bundle: true,
  // Dynamic imports stay chunks of their own: main.ts sets V8's flags before the rest is loaded.
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});

await mkdir(target, { recursive: true });
const written = new Set();
for (const file of result.outputFiles) {
  written.add(path.basename(file.path));
  const scratch = path.join(target, `.${randomUUID()}`);
  await writeFile(scratch, file.contents);
  await rename(scratch, file.path);
}
// The database's migrations go with the code that applies them (db/migrate.ts reads them beside
// itself). They are only ever added, never changed, so copying over the last build's loses nothing.
await cp(path.join(root, "src", "db", "migrations"), path.join(target, "migrations"), { recursive: true });
written.add("migrations");
for (const name of await readdir(target)) {
  if (written.has(name)) continue;
  const file = path.join(target, name);
  const { mtimeMs } = await stat(file);
  if (Date.now() - mtimeMs > week) await rm(file, { force: true });
}
