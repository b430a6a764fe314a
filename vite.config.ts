import { readdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vite";

// Every file directly in src/web/client/ is an island, loaded by pages as
// /static/build/<name>.js; shared code lives in src/web/client/lib/ and becomes shared chunks.
const clientDir = path.join(import.meta.dirname, "src/web/client");
const islands = Object.fromEntries(
  readdirSync(clientDir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => [file.replace(/\.ts$/, ""), path.join(clientDir, file)]),
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
