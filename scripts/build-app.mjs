// Builds the web app into dist/app/: a static site (index.html, styles, one ES module for the page
// and one per Web Worker, the WebAssembly DICOM codecs) that works from any plain static file
// server. esbuild bundles the pure core unchanged (the app imports nothing Node-only).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build } from "esbuild";

const OUT = "dist/app";
// Only this script's own outputs are replaced: tsc compiles the app's DOM-free modules that unit
// tests import into dist/app/src as well.
for (const file of existsSync(OUT) ? readdirSync(OUT) : []) {
  if (file !== "src") rmSync(join(OUT, file), { recursive: true, force: true });
}
mkdirSync(join(OUT, "codecs"), { recursive: true });

await build({
  entryPoints: {
    app: "app/src/main.ts",
    "extract-worker": "app/src/workers/extract-worker.ts",
    "study-worker": "app/src/workers/study-worker.ts",
    "ibsi-worker": "app/src/workers/ibsi-worker.ts",
  },
  // The ready IBSI parameter files (ibsi/*.yaml) are embedded as text (app/src/ibsi/configs.ts).
  loader: { ".yaml": "text" },
  bundle: true,
  // Shared code in chunks, and the DICOM readers in their own, loaded on the first DICOM input.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "browser",
  // Module workers and the File System Access API's fallbacks: every current evergreen browser.
  target: ["chrome110", "firefox115", "safari16.4"],
  outdir: OUT,
  minify: true,
  sourcemap: true,
  // The Emscripten glue of the DICOM codecs mentions Node modules on paths a browser never takes.
  external: ["fs", "path", "crypto", "module", "url", "worker_threads", "node:*"],
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});

for (const file of readdirSync("app")) {
  if (file.endsWith(".html") || file.endsWith(".css"))
    copyFileSync(join("app", file), join(OUT, file));
}
// The codecs' .wasm files, served next to the workers that load them (see configureCodecs).
const require = createRequire(import.meta.url);
for (const pkg of [
  "@cornerstonejs/codec-charls",
  "@cornerstonejs/codec-libjpeg-turbo-8bit",
  "@cornerstonejs/codec-openjpeg",
]) {
  // The packages export no package.json: their main script sits in dist/ beside the .wasm files.
  const dir = dirname(require.resolve(pkg));
  for (const file of readdirSync(dir)) {
    // Only the decoders are used (src/io/dicom/codecs.ts imports the *_decode builds).
    if (file.endsWith("_decode.wasm")) copyFileSync(join(dir, file), join(OUT, "codecs", file));
  }
}
