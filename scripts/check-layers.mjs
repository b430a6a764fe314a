#!/usr/bin/env node
// The layout's rules (docs/ARCHITECTURE.md), checked on every `npm run check`:
// - no two folders of src/ import each other, directly or round a loop;
// - the shared layers import no feature, and media/ nothing of ours outside itself;
// - no source file is over 400 lines.
// Only relative imports count (packages are not folders of ours); `import type` counts too, since
// a type shared both ways is a loop a reader has to untangle all the same.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const src = path.join(import.meta.dirname, "..", "src");
const shared = new Set(["core", "db", "mail", "media", "storage", "web"]);
const maxLines = 400;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "public") yield* files(full);
    } else if (entry.name.endsWith(".ts")) yield full;
  }
}

const folderOf = (file) => {
  const parts = path.relative(src, file).split(path.sep);
  return parts.length > 1 ? parts[0] : null;
};

const edges = new Map();
const problems = [];
for (const file of files(src)) {
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n").length;
  if (lines > maxLines) problems.push(`${path.relative(src, file)} has ${lines} lines (at most ${maxLines})`);
  const from = folderOf(file);
  if (from === null) continue;
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
    const to = folderOf(path.resolve(path.dirname(file), match[1]));
    if (to === null || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, path.relative(src, file));
  }
}

for (const [from, targets] of edges) {
  for (const [to, file] of targets) {
    if (from === "media") problems.push(`media/ imports ${to}/ (${file}): media/ takes files and options only`);
    else if (shared.has(from) && !shared.has(to)) problems.push(`${from}/ is shared but imports the feature ${to}/ (${file})`);
  }
}

// A loop is a path back to where it started; depth-first from each folder.
const reported = new Set();
function walk(start, at, trail) {
  for (const next of edges.get(at)?.keys() ?? []) {
    if (next === start) {
      const loop = [...trail, next].join(" → ");
      const key = [...trail].sort().join(",");
      if (!reported.has(key)) {
        reported.add(key);
        problems.push(`import loop: ${loop} (${trail.map((f, i) => edges.get(f).get(trail[i + 1] ?? next)).join(", ")})`);
      }
    } else if (!trail.includes(next)) walk(start, next, [...trail, next]);
  }
}
for (const folder of edges.keys()) walk(folder, folder, [folder]);

if (problems.length > 0) {
  console.error(`The layout's rules are broken (docs/ARCHITECTURE.md):\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log(`Layers: ${edges.size} folders, no loops, shared layers import no feature, no file over ${maxLines} lines.`);
