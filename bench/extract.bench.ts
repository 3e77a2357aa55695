/**
 * Benchmark: all original-image features (PyRadiomics' baseline_original parameters) on brain1 and
 * breast1, in-process (median of repeated runs after a warm-up, including file reading) and as a
 * cold CLI process. Prints radscore's times beside PyRadiomics' (measured on this machine type,
 * from the project's issue) and the speed-up. Times are the median of wall time, or of this
 * process' CPU time when other processes load the machine (the smaller). Run: npm run bench
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { extractFeatures } from "../src/extract/extractor.js";
import { parseParams } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
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
  const cli = join(import.meta.dirname, "..", "cli", "main.js");
  console.log(
    "case     features  radscore in-process  PyRadiomics  speed-up | radscore cold CLI  PyRadiomics  speed-up",
  );
  for (const name of ["brain1", "breast1"] as const) {
    const imagePath = join(root, "data", `${name}_image.nrrd`);
    const maskPath = join(root, "data", `${name}_label.nrrd`);
    const run = async () => {
      const [image, mask] = await Promise.all([readImageFile(imagePath), readImageFile(maskPath)]);
      return extractFeatures(image, mask, params).features;
    };
    const nFeatures = Object.keys(await run()).length;
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 15; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await run();
      times.push((performance.now() - t0) / 1000);
      cpu.push(cpuSince(c0));
    }
    const cliTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [cli, "extract", imagePath, maskPath, "-p", paramsPath],
        { encoding: "utf8" },
      );
      cliTimes.push((performance.now() - t0) / 1000);
      if (r.status !== 0) throw new Error(`CLI failed: ${r.stderr}`);
    }
    const ours = Math.min(median(times), median(cpu));
    const oursCli = median(cliTimes);
    const py = PYRADIOMICS[name];
    console.log(
      `${name.padEnd(8)} ${String(nFeatures).padStart(8)}  ${ours.toFixed(4).padStart(17)} s  ${py.inProcess.toFixed(3).padStart(9)} s  ${(py.inProcess / ours).toFixed(1).padStart(7)}x | ${oursCli.toFixed(3).padStart(15)} s  ${py.cli.toFixed(2).padStart(9)} s  ${(py.cli / oursCli).toFixed(1).padStart(7)}x`,
    );
  }
}

/** typical_all (Original + LoG x5 + wavelet x8 + 4 intensity filters + gradient, 1 mm BSpline). */
async function typicalAll(): Promise<void> {
  const ref = referenceDir();
  if (!ref) return;
  const root = join(ref, "pyradiomics");
  const paramsPath = join(root, "params", "typical_all.yaml");
  const params = parseParams(readFileSync(paramsPath, "utf8"), FEATURE_CATALOGUE, paramsPath);
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
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    extractFeatures(image, mask, params);
    times.push(Math.min((performance.now() - t0) / 1000, cpuSince(c0)));
  }
  const ours = median(times);
  console.log(
    `typical_all brain1: ${Object.keys(features).length} features in ${ours.toFixed(3)} s; PyRadiomics 1.094 s; speed-up ${(1.094 / ours).toFixed(1)}x`,
  );
}

await main();
await typicalAll();
