/**
 * Benchmark: all original-image features (PyRadiomics' baseline_original parameters) on brain1 and
 * breast1, in-process (median of repeated runs after a warm-up, including file reading) and as a
 * cold CLI process. Prints radscore's times beside PyRadiomics' (measured on this machine type,
 * from the project's issue) and the speed-up. Times are the median of wall time, or of this
 * process' CPU time when other processes load the machine (the smaller). Run: npm run bench
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { extractFeatures } from "../src/extract/extractor.js";
import { type Params, parseParams } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import { ExtractionPool } from "../src/node/extraction-pool.js";
import { defaultThreads } from "../src/node/threads.js";
import { readImageFile } from "../src/node/files.js";
import { referenceDir } from "../test/support/reference.js";

/** CPU seconds of this process since `start` (robust when other processes load the machine). */
function cpuSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

const PYRADIOMICS = {
  brain1: { inProcess: 0.236, cli: 0.61 },
  breast1: { inProcess: 0.016, cli: 0.38 },
} as const;

/** In-process runs before timing, and timed runs (the median is reported). */
const WARM_UP_RUNS = 30;
const TIMED_RUNS = 31;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The reference's PyRadiomics folder and one of its parameter files, or null without it. */
function benchSetup(paramsName: string): { root: string; params: Params } | null {
  const ref = referenceDir();
  if (!ref) return null;
  const root = join(ref, "pyradiomics");
  const paramsPath = join(root, "params", `${paramsName}.yaml`);
  return {
    root,
    params: parseParams(readFileSync(paramsPath, "utf8"), FEATURE_CATALOGUE, paramsPath),
  };
}

/**
 * Median over `runs` synchronous runs of min(wall time, this process' CPU time) in seconds (CPU
 * time is the robust one when other processes load the machine).
 */
function medianTime(run: () => unknown, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    times.push(Math.min((performance.now() - t0) / 1000, cpuSince(c0)));
  }
  return median(times);
}

/** Median wall time (s) of `timed` runs of `run` after `warmUp` runs. */
async function medianWall(
  run: () => unknown | Promise<unknown>,
  warmUp: number,
  timed: number,
): Promise<number> {
  for (let i = 0; i < warmUp; i++) await run();
  const wall: number[] = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    await run();
    wall.push((performance.now() - t0) / 1000);
  }
  return median(wall);
}

async function main(): Promise<void> {
  const ref = referenceDir();
  if (!ref) {
    console.log("bench: reference folder not found (set RADSCORE_REFERENCE); nothing to measure");
    return;
  }
  const root = join(ref, "pyradiomics");
  const paramsPath = join(root, "params", "baseline_original.yaml");
  const params = parseParams(readFileSync(paramsPath, "utf8"), FEATURE_CATALOGUE, paramsPath);
  const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
  console.log(
    "case     features | extract (in memory)  read+extract  PyRadiomics  speed-up (in memory / with read) | cold CLI  PyRadiomics  speed-up",
  );
  for (const name of ["brain1", "breast1"] as const) {
    const imagePath = join(root, "data", `${name}_image.nrrd`);
    const maskPath = join(root, "data", `${name}_label.nrrd`);
    const read = () => Promise.all([readImageFile(imagePath), readImageFile(maskPath)]);
    const [image, mask] = await read();
    const nFeatures = Object.keys(extractFeatures(image, mask, params).features).length;
    // Steady state, as in a batch of cases: warm-up runs first (V8 optimises the hot code).
    for (let i = 0; i < WARM_UP_RUNS; i++) {
      await read();
      extractFeatures(image, mask, params);
    }
    const extractTimes: number[] = [];
    const readTimes: number[] = [];
    for (let i = 0; i < TIMED_RUNS; i++) {
      let c0 = process.cpuUsage();
      let t0 = performance.now();
      await read();
      readTimes.push(Math.min((performance.now() - t0) / 1000, cpuSince(c0)));
      c0 = process.cpuUsage();
      t0 = performance.now();
      extractFeatures(image, mask, params);
      extractTimes.push(Math.min((performance.now() - t0) / 1000, cpuSince(c0)));
    }
    const cliTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [cli, "extract", imagePath, maskPath, "-p", paramsPath],
        {
          encoding: "utf8",
        },
      );
      cliTimes.push((performance.now() - t0) / 1000);
      if (r.status !== 0) throw new Error(`CLI failed: ${r.stderr}`);
    }
    const extract = median(extractTimes);
    const withRead = extract + median(readTimes);
    const oursCli = median(cliTimes);
    const py = PYRADIOMICS[name];
    console.log(
      `${name.padEnd(8)} ${String(nFeatures).padStart(8)} | ${extract.toFixed(4).padStart(17)} s  ${withRead.toFixed(4).padStart(10)} s  ${py.inProcess.toFixed(3).padStart(9)} s  ${(py.inProcess / extract).toFixed(1).padStart(6)}x / ${(py.inProcess / withRead).toFixed(1)}x | ${oursCli.toFixed(3).padStart(7)} s  ${py.cli.toFixed(2).padStart(9)} s  ${(py.cli / oursCli).toFixed(1).padStart(6)}x`,
    );
  }
  nodeStartFloor();
}

/**
 * The floor under every cold CLI time: a Node.js process that does nothing (`node -e 0`), beside
 * the cold-CLI budgets of a 5x speed-up over PyRadiomics.
 */
function nodeStartFloor(): void {
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["-e", "0"]);
    times.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error("node -e 0 failed");
  }
  const budgets = Object.entries(PYRADIOMICS)
    .map(([name, py]) => `${name} ${(py.cli / 5).toFixed(3)} s`)
    .join(", ");
  console.log(
    `Node.js start alone (node -e 0): ${median(times).toFixed(3)} s; cold-CLI budgets for 5x: ${budgets}`,
  );
}

/** typical_all (Original + LoG x5 + wavelet x8 + 4 intensity filters + gradient, 1 mm BSpline). */
async function typicalAll(): Promise<void> {
  const setup = benchSetup("typical_all");
  if (!setup) return;
  const { root, params } = setup;
  const [image, mask] = await Promise.all([
    readImageFile(join(root, "data", "brain1_image.nrrd")),
    readImageFile(join(root, "data", "brain1_label.nrrd")),
  ]);
  let features: Record<string, number>;
  try {
    features = extractFeatures(image, mask, params).features;
  } catch (err) {
    console.log(`typical_all: not measured (${(err as Error).message})`);
    return;
  }
  for (let i = 0; i < 5; i++) extractFeatures(image, mask, params);
  const ours = medianTime(() => extractFeatures(image, mask, params), 9);
  console.log(
    `typical_all brain1: ${Object.keys(features).length} features in ${ours.toFixed(3)} s (one thread); PyRadiomics 1.094 s; speed-up ${(1.094 / ours).toFixed(1)}x`,
  );
  // What the filters cost on their own: the same image types with first-order features only (no
  // texture matrices), against the 10x budget of 0.109 s.
  const filtersOnly: Params = {
    ...params,
    featureClasses: params.featureClasses.filter((c) => c.name === "firstorder"),
  };
  const filtersTime = medianTime(() => extractFeatures(image, mask, filtersOnly), 9);
  console.log(
    `typical_all brain1, resampling + 19 filtered images + first order only: ${filtersTime.toFixed(3)} s (one thread; the 10x budget is 0.109 s)`,
  );
  // The same case split by image type over a warm worker pool (one worker per CPU, at most 8).
  const pool = new ExtractionPool(defaultThreads());
  try {
    const split = await medianWall(() => pool.extractSplit(image, mask, params), 5, 9);
    console.log(
      `typical_all brain1 on ${pool.threads} worker threads (${availableParallelism()} CPUs): ${split.toFixed(3)} s; speed-up ${(1.094 / split).toFixed(1)}x`,
    );
  } finally {
    await pool.close();
  }
}

/** Batch throughput: 12 cases (brain1, brain2, breast1 x 4, baseline_original) read from files. */
async function batchThroughput(): Promise<void> {
  const setup = benchSetup("baseline_original");
  if (!setup) return;
  const { root, params } = setup;
  const cases = Array.from({ length: 4 }, () => ["brain1", "brain2", "breast1"]).flat();
  const files = (c: string) => [
    join(root, "data", `${c}_image.nrrd`),
    join(root, "data", `${c}_label.nrrd`),
  ];
  const serial = async () => {
    for (const c of cases) {
      const [i, m] = files(c);
      extractFeatures(await readImageFile(i!), await readImageFile(m!), params);
    }
  };
  const pool = new ExtractionPool(defaultThreads());
  const parallel = () =>
    Promise.all(cases.map((c) => pool.extract(files(c)[0]!, files(c)[1]!, params)));
  try {
    const one = await medianWall(serial, 3, 7);
    const many = await medianWall(parallel, 3, 7);
    // No PyRadiomics time for this batch was measured (brain2 has none): ours only.
    console.log(
      `batch of ${cases.length} cases (baseline_original, read from files): ${one.toFixed(3)} s in one thread, ${many.toFixed(3)} s on ${pool.threads} worker threads (${(one / many).toFixed(1)}x)`,
    );
  } finally {
    await pool.close();
  }
}

await main();
await typicalAll();
await batchThroughput();
