// Bundles the `radscore` command into dist/cli (one entry file, lazily loaded chunks per command):
// a cold start then loads a handful of files instead of hundreds of modules.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry content hashes: start from an empty folder so no stale chunk survives.
rmSync("dist/cli", { recursive: true, force: true });

await build({
  // The extraction worker is an entry of its own, next to the chunks that load it (its path is
  // resolved from import.meta.url of the pool module, see src/node/extraction-pool.ts).
  entryPoints: { main: "src/cli/main.ts", "chunks/extract-worker": "src/node/extract-worker.ts" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: "dist/cli",
  chunkNames: "chunks/[name]-[hash]",
  // Native (resvg) and large report-only packages stay in node_modules, loaded when a report is written.
  // piscina (worker pool) stays a package too: it loads an optional native module.
  external: ["@resvg/resvg-js", "vega", "vega-lite", "piscina"],
  // Bundled CommonJS dependencies call require(); give the ES module one.
  banner: {
    js: "import { createRequire as __radscoreRequire } from 'node:module'; const require = __radscoreRequire(import.meta.url);",
  },
  logLevel: "warning",
});
