import v8 from "node:v8";
import type { Config } from "../core/config.ts";

/**
 * V8 settings that keep a long-running process's resident memory low (bench/RESULTS.md, section 3:
 * the portal with 50 downloads must stay under 300 MB, the embedded database included). main.ts sets
 * them before loading the rest of the code and before PGlite compiles its WebAssembly; flags set
 * later would not apply to what is already grown or compiled.
 */
export function setV8Flags(config: Pick<Config, "pglite">): void {
  // The young generation starts at a few MB and may grow to 32 MB, which V8 then hardly ever gives
  // back: loading the portal's modules and PGlite at start grew it to the maximum, 32 MB resident for
  // good. Kept at its initial size, short-lived objects are collected more often (~5–10 % fewer pages
  // a second under load in the pages bench) for ~30 MB less memory. Files are served from reused
  // buffers (storage/file-stream.ts), which this makes all the more worthwhile.
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  // PGlite is ~9 MB of WebAssembly. By default V8 recompiles its hot functions with the optimising
  // compiler (TurboFan), whose code and compile-time memory (kept by the allocator afterwards) cost
  // 60–85 MB once queries have run: ~300 MB idle, over the target with 50 downloads. The baseline
  // compiler alone (Liftoff) makes PGlite's queries ~30 % slower (search over 1 000 000 transcript
  // words: ~250 → ~350 ms; bench/RESULTS.md, section 4). PGLITE_OPTIMIZE_WASM=on chooses speed.
  if (!config.pglite.optimizeWasm) v8.setFlagsFromString("--liftoff-only");
}
