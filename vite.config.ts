import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vite";

// Every file directly in a feature's client/ folder (src/<feature>/client/<name>.ts) is an island,
// loaded by pages as /static/build/<name>.js; shared code lives in src/web/client/ and becomes
// shared chunks. Island names are unique across features.
const src = path.join(import.meta.dirname, "src");
const islands = Object.fromEntries(
  readdirSync(src, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(src, entry.name, "client")))
    .flatMap((feature) =>
      readdirSync(path.join(src, feature.name, "client"))
        .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
        .map((file) => [file.replace(/\.ts$/, ""), path.join(src, feature.name, "client", file)]),
    ),
);

export default defineConfig({
  // Only the client islands are built; the server runs from source with tsx.
  publicDir: false,
  build: {
    outDir: "src/web/public/build",
    emptyOutDir: true,
    target: "es2020",
    // hls.js alone is ~600 kB (190 kB gzipped); it loads only where native HLS is missing.
    chunkSizeWarningLimit: 700,
    sourcemap: true,
    // The preload polyfill is injected as inline code, which the CSP (script-src 'self') forbids.
    modulePreload: false,
    rollupOptions: {
      input: islands,
      output: {
        entryFileNames: "[name].js",
        chunkFileNames: "chunks/[name]-[hash].js",
        format: "es",
      },
    },
  },
});
