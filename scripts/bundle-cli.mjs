// Bundles the `radscore` command into dist/cli: the launcher (main.cjs, the package's bin), the full
// program (program.js, one entry file with lazily loaded chunks per command) and the one-file
// scripts of the commands that start with a code cache: a cold start then loads a handful of files
// instead of hundreds of modules.
import { rmSync } from "node:fs";
import { build } from "esbuild";

const EXTERNAL = [
  "@resvg/resvg-js",
  "vega",
  "vega-lite",
  "piscina",
  // The queue (extract --queue, radscore worker): bullmq imports optional clients (redis, valkey)
  // that are not installed, and msgpackr an optional native module.
  "bullmq",
  "ioredis",
  "@cornerstonejs/codec-charls",
  "@cornerstonejs/codec-libjpeg-turbo-8bit",
  "@cornerstonejs/codec-openjpeg",
];

// commander requires node:child_process when it loads, for executable subcommands, which radscore
// does not use; child_process pulls in net, dgram and their streams (~1.2 ms of every cold start).
// commander gets a stand-in that requires it on first use instead.
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer)
        ? { path: "child_process", namespace: "radscore-lazy" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "radscore-lazy" }, () => ({
      contents:
        'let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require("node:child_process"))[key] });',
      loader: "js",
    }));
  },
};

// Chunk names carry content hashes: start from an empty folder so no stale chunk survives.
rmSync("dist/cli", { recursive: true, force: true });

await build({
  // The extraction worker is an entry of its own, next to the chunks that load it (its path is
  // resolved from import.meta.url of the pool module, see src/node/extraction-pool.ts).
  entryPoints: {
    program: "src/cli/program.ts",
    "chunks/extract-worker": "src/node/extract-worker.ts",
    "chunks/ibsi-worker": "src/node/ibsi-worker.ts",
  },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: "dist/cli",
  chunkNames: "chunks/[name]-[hash]",
  // Native (resvg) and large report-only packages stay in node_modules, loaded when a report is written.
  // piscina (worker pool) stays a package too: it loads an optional native module. The WebAssembly
  // DICOM codecs find their .wasm next to their own glue file, so they stay packages as well.
  external: EXTERNAL,
  plugins: [lazyChildProcess],
  // Bundled CommonJS dependencies call require(); give the ES module one.
  banner: {
    js: "import { createRequire as __radscoreRequire } from 'node:module'; const require = __radscoreRequire(import.meta.url);",
  },
  logLevel: "warning",
});

// The launcher, CommonJS (Node starts it sooner than an ES module); it imports program.js itself.
await build({
  entryPoints: ["src/cli/main.ts"],
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  outfile: "dist/cli/main.cjs",
  external: ["./program.js"],
  define: { "import.meta.url": "__radscoreModuleUrl" },
  banner: {
    js: "const __radscoreModuleUrl = require('node:url').pathToFileURL(__filename).href;",
  },
  logLevel: "warning",
});

// `radscore extract` as one CommonJS script, which the launcher (src/cli/main.ts) compiles with a
// V8 code cache: a cold extraction then skips most parsing and bytecode compilation. Its worker
// threads the same way: a small entry (extract-worker-cached.cjs, the file the pool starts) runs
// the worker script (extract-worker-bundle.cjs) with its cache. `radscore dicom` as the command
// (a one-off conversion is mostly start-up too).
// The extract command's DICOM code (the readers and dcmjs, two thirds of its size) is a file of its
// own, extract-dicom.cjs, required only when a case is DICOM.
// IBSI mode likewise (extract-ibsi.cjs, required only with --standard ibsi).
// IBSI mode's worker (src/node/ibsi-threads.ts) as the extraction workers: a small entry
// (ibsi-worker.cjs) runs the worker script (ibsi-worker-bundle.cjs) with its cache.
const dicomApart = {
  name: "extract-dicom-apart",
  setup(b) {
    b.onResolve({ filter: /^(\.\.\/node\/image-inputs|\.\/dicom)\.js$/ }, (args) =>
      args.importer.endsWith("src/cli/extract.ts") ||
      args.importer.endsWith("src/cli/extract-ibsi.ts")
        ? { path: "./extract-dicom.cjs", external: true }
        : undefined,
    );
    b.onResolve({ filter: /^\.\/extract-ibsi\.js$/ }, (args) =>
      args.importer.endsWith("src/cli/extract.ts")
        ? { path: "./extract-ibsi.cjs", external: true }
        : undefined,
    );
  },
};
for (const [entry, outfile, plugins] of [
  ["src/cli/extract-main.ts", "dist/cli/extract.cjs", [dicomApart]],
  ["src/cli/extract-dicom.ts", "dist/cli/extract-dicom.cjs", []],
  ["src/cli/extract-ibsi.ts", "dist/cli/extract-ibsi.cjs", [dicomApart]],
  ["src/node/ibsi-worker.ts", "dist/cli/ibsi-worker-bundle.cjs", []],
  ["src/cli/ibsi-worker-cached.ts", "dist/cli/ibsi-worker.cjs", []],
  ["src/node/extract-worker.ts", "dist/cli/extract-worker-bundle.cjs", []],
  ["src/cli/extract-worker-cached.ts", "dist/cli/extract-worker-cached.cjs", []],
  ["src/cli/dicom-main.ts", "dist/cli/dicom.cjs", []],
]) {
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    outfile,
    plugins: [...plugins, lazyChildProcess],
    external: EXTERNAL,
    // The script runs through vm.Script (for its code cache), where import() has no loader: the
    // lazily loaded packages (the DICOM codecs) are required instead.
    supported: { "dynamic-import": false },
    // import.meta.url (worker script path) from the script's own file name.
    define: { "import.meta.url": "__radscoreModuleUrl" },
    banner: {
      js: "const __radscoreModuleUrl = require('node:url').pathToFileURL(__filename).href;",
    },
    logLevel: "warning",
  });
}

// The code caches: extractions on a synthetic phantom exercising every feature class and most
// filters, each cache written after its run (only functions compiled by then are cached). Failure
// leaves no cache, which costs start-up time only.
try {
  const { mkdtempSync, rmSync: remove, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { spawnSync } = await import("node:child_process");
  const { generatePhantom } = await import("../dist/src/image/phantom.js");
  const { writeImageFile } = await import("../dist/src/node/files.js");
  const dir = mkdtempSync(join(tmpdir(), "radscore-cache-"));
  try {
    const { image, mask } = generatePhantom({
      seed: 1,
      size: [28, 28, 12],
      spacing: [0.8, 0.8, 2],
      radiiMm: [7, 6, 6],
    });
    await writeImageFile(join(dir, "image.nrrd"), image);
    await writeImageFile(join(dir, "mask.nrrd"), mask);
    writeFileSync(
      join(dir, "params.yaml"),
      [
        "imageType:",
        "  Original: {}",
        "  LoG: {sigma: [1.0]}",
        "  Wavelet: {}",
        "  Square: {}",
        "  Gradient: {}",
        "featureClass:",
        "  shape:",
        "  firstorder:",
        "  glcm:",
        "  glrlm:",
        "  glszm:",
        "  gldm:",
        "  ngtdm:",
        "setting:",
        "  binWidth: 25",
        "  resampledPixelSpacing: [1, 1, 1]",
        "  interpolator: sitkBSpline",
        "",
      ].join("\n"),
    );
    /** Runs `radscore ARGS` writing the code caches of the scripts it runs (with extra env). */
    const writeCaches = (args, env = {}) => {
      const run = spawnSync(process.execPath, ["dist/cli/main.cjs", ...args], {
        env: { ...process.env, ...env, RADSCORE_WRITE_CODE_CACHE: "1" },
        encoding: "utf8",
      });
      if (run.status !== 0) throw new Error(run.stderr);
    };
    // The workers' cache: a batch of a few cases with a worker from the start (it writes its cache
    // after each case it extracts).
    const cases = ["ID,Image,Mask", ...[1, 2, 3, 4].map((k) => `c${k},image.nrrd,mask.nrrd`)];
    writeFileSync(join(dir, "cases.csv"), `${cases.join("\n")}\n`);
    const params = ["-p", join(dir, "params.yaml")];
    writeCaches(
      [
        "extract",
        "--batch",
        join(dir, "cases.csv"),
        ...params,
        "-j",
        "2",
        "-o",
        join(dir, "f.csv"),
      ],
      { RADSCORE_WORKER_PAYBACK_S: "0" },
    );
    // The command's own cache last, from a single extraction: a cold one-off run is the one that
    // start-up time dominates (the batch above wrote this cache too; this run replaces it).
    writeCaches(["extract", join(dir, "image.nrrd"), join(dir, "mask.nrrd"), ...params]);
  } finally {
    remove(dir, { recursive: true, force: true });
  }
} catch (err) {
  console.warn(`bundle-cli: no code cache for dist/cli/extract.cjs (${err.message})`);
}

// IBSI mode's worker cache: one worker extracting every family of a synthetic case (each of the
// two workers of a run uses part of it). V8 rejects a cache made under other flags, so the flag
// IbsiThreads sets before starting its workers is set here too.
try {
  const { setFlagsFromString } = await import("node:v8");
  const { Worker } = await import("node:worker_threads");
  const { generatePhantom } = await import("../dist/src/image/phantom.js");
  const { parseIbsiConfig } = await import("../dist/src/ibsi/config.js");
  const { image, mask } = generatePhantom({
    seed: 2,
    size: [24, 22, 10],
    spacing: [0.9, 0.9, 2],
    radiiMm: [6, 5, 6],
  });
  const config = parseIbsiConfig(
    [
      "standard: ibsi",
      "interpolation: {dimensions: 3D, spacing: [1.5, 1.5, 1.5], image: cubic-spline, rounding: nearest-integer, roi: linear, partialVolumeThreshold: 0.5}",
      "resegmentation: {outliers: 3}",
      "discretisation: {method: FBN, binCount: 16}",
      "ivh: {method: FBN, binCount: 100}",
      "texture: {aggregation: [3D], distance: 1}",
      "",
    ].join("\n"),
    "cache",
  );
  setFlagsFromString("--no-concurrent-recompilation");
  const worker = new Worker("./dist/cli/ibsi-worker.cjs", {
    env: { ...process.env, RADSCORE_WRITE_CODE_CACHE: "1" },
  });
  const answer = new Promise((resolve, reject) => {
    worker.once("message", (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
    worker.once("error", reject);
  });
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  worker.postMessage({ task: "case", image, mask, config, families: config.families });
  await answer;
  await exited;
} catch (err) {
  console.warn(`bundle-cli: no code cache for dist/cli/ibsi-worker-bundle.cjs (${err.message})`);
}

// The dicom script's cache: list and convert a small synthetic two-phase series written by
// radscore's own MR writer.
try {
  const { mkdtempSync, mkdirSync, rmSync: remove, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { spawnSync } = await import("node:child_process");
  const { writeMrSeries } = await import("../dist/src/io/dicom/write-series.js");
  const dir = mkdtempSync(join(tmpdir(), "radscore-cache-"));
  try {
    const size = [32, 24, 6];
    const data = new Int16Array(size[0] * size[1] * size[2]);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 1000;
    const volume = {
      data,
      size,
      spacing: [0.7, 0.7, 2],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      dimension: 3,
    };
    const series = join(dir, "series");
    mkdirSync(series);
    const files = writeMrSeries([volume, volume], {
      vendor: "philips",
      patient: { id: "CACHE" },
      study: {},
      series: { number: 1, description: "cache" },
      volumeKind: "phase",
      uidSeed: 1,
    });
    for (const f of files) writeFileSync(join(series, f.fileName), f.bytes);
    const env = { ...process.env, RADSCORE_WRITE_CODE_CACHE: "1" };
    const run = spawnSync(
      process.execPath,
      ["dist/cli/main.cjs", "dicom", "convert", series, "-o", join(dir, "out.nii")],
      { env, encoding: "utf8" },
    );
    if (run.status !== 0) throw new Error(run.stderr);
  } finally {
    remove(dir, { recursive: true, force: true });
  }
} catch (err) {
  console.warn(`bundle-cli: no code cache for dist/cli/dicom.cjs (${err.message})`);
}
