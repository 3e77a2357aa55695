/**
 * IBSI mode's speed (issue #13): configuration E on the IBSI-1 CT radiomics phantom against the
 * PyRadiomics mode on the same image with a similar parameter set (target: IBSI mode within 2x).
 * Both as a user runs them, `radscore extract` processes with start-up included (median of 9, the
 * commands interleaved; IBSI mode by default, on two worker threads with 2+ CPUs, and with -j 1),
 * and
 * in process (median of 5 after a warm-up, reading excluded). PyRadiomics-mode parameters: 2 mm
 * isotropic B-spline resampling, re-segmentation [-1000, 400], 32 bins, every feature class; IBSI
 * configuration E: 2 mm tricubic spline, [-1000, 400] and 3 sigma, 32 bins, every IBSI-1 family.
 * Prints `node -e 0` and a fixed workload first (the machine drifts). Run: npm run bench:ibsi
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extractFeatures } from "../src/extract/extractor.js";
import { parseParams } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import { parseIbsiConfig } from "../src/ibsi/config.js";
import { extractIbsiFeatures } from "../src/ibsi/extract.js";
import { readImageFile } from "../src/node/files.js";
import { referenceDir } from "../test/support/reference.js";

const ref = referenceDir();
if (!ref) {
  console.log("bench: reference folder not found (set RADSCORE_REFERENCE); nothing to measure");
  process.exit(1);
}
const root = join(import.meta.dirname, "..", "..");
const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
const phantom = join(ref, "ibsi", "ibsi1_phantoms", "ibsi_1_ct_radiomics_phantom", "nifti");
const imagePath = join(phantom, "image", "phantom.nii.gz");
const maskPath = join(phantom, "mask", "mask.nii.gz");
const ibsiPath = join(root, "ibsi", "ct-config-E.yaml");
const work = mkdtempSync(join(tmpdir(), "radscore-bench-ibsi-"));
const pyradiomicsPath = join(work, "pyradiomics-like-E.yaml");
writeFileSync(
  pyradiomicsPath,
  [
    "imageType: {Original: {}}",
    "featureClass: {shape: null, firstorder: null, glcm: null, glrlm: null, glszm: null, gldm: null, ngtdm: null}",
    "setting:",
    "  resampledPixelSpacing: [2, 2, 2]",
    "  interpolator: sitkBSpline",
    "  resegmentRange: [-1000, 400]",
    "  binCount: 32",
    "  label: 1",
    "",
  ].join("\n"),
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) =>
  `${median(xs).toFixed(3)} s (${Math.min(...xs).toFixed(3)}-${Math.max(...xs).toFixed(3)})`;

function processTime(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

function processTimes(args: string[], runs = 5): number[] {
  return Array.from({ length: runs }, () => processTime(args));
}

/**
 * Each command `runs` times, interleaved round by round, so that the machine's drift during the
 * benchmark affects every command alike (the ratio is of medians taken side by side).
 */
function interleavedTimes(commands: string[][], runs = 9): number[][] {
  const times = commands.map((): number[] => []);
  for (let r = 0; r < runs; r++) {
    for (const [k, args] of commands.entries()) times[k]!.push(processTime(args));
  }
  return times;
}

function fixedWorkload(): number {
  const t0 = performance.now();
  let s = 0;
  for (let i = 1; i < 3e7; i++) s += Math.sqrt(i) % 1.7;
  if (s < 0) console.log(s);
  return (performance.now() - t0) / 1000;
}

try {
  console.log(`node -e 0: ${range(processTimes(["-e", "0"]))}`);
  console.log(`fixed workload (3e7 sqrt): ${fixedWorkload().toFixed(3)} s`);
  const out = join(work, "out.csv");
  const ibsiArgs = [
    cli,
    "extract",
    imagePath,
    maskPath,
    "-p",
    ibsiPath,
    "--standard",
    "ibsi",
    "-o",
    out,
  ];
  // The same on one thread (-j 1): the default extracts on two worker threads.
  const ibsiOneThreadArgs = [
    cli,
    "extract",
    imagePath,
    maskPath,
    "-p",
    ibsiPath,
    "--standard",
    "ibsi",
    "-j",
    "1",
    "-o",
    out,
  ];
  const pyArgs = [cli, "extract", imagePath, maskPath, "-p", pyradiomicsPath, "-o", out];
  const [ibsiCli, ibsiCliOneThread, pyCli] = interleavedTimes([
    ibsiArgs,
    ibsiOneThreadArgs,
    pyArgs,
  ]) as [number[], number[], number[]];
  console.log(`CLI, IBSI configuration E:        ${range(ibsiCli)}`);
  console.log(`CLI, IBSI configuration E, -j 1: ${range(ibsiCliOneThread)}`);
  console.log(`CLI, PyRadiomics mode, similar:   ${range(pyCli)}`);
  const ratio = (xs: number[]) => (median(xs) / median(pyCli)).toFixed(2);
  console.log(`  ratio IBSI / PyRadiomics mode: ${ratio(ibsiCli)}x (target <= 2x)`);
  console.log(`  ratio with -j 1:               ${ratio(ibsiCliOneThread)}x`);

  const [image, mask] = await Promise.all([readImageFile(imagePath), readImageFile(maskPath)]);
  const config = parseIbsiConfig(readFileSync(ibsiPath, "utf8"));
  const params = parseParams(readFileSync(pyradiomicsPath, "utf8"), FEATURE_CATALOGUE);
  const warm = (f: () => void) => {
    f();
    return Array.from({ length: 5 }, () => {
      const t0 = performance.now();
      f();
      return (performance.now() - t0) / 1000;
    });
  };
  const ibsiWarm = warm(() => extractIbsiFeatures(image, mask, config));
  const pyWarm = warm(() => extractFeatures(image, mask, params));
  console.log(`in process, IBSI configuration E: ${range(ibsiWarm)}`);
  console.log(`in process, PyRadiomics mode:     ${range(pyWarm)}`);
  console.log(`  ratio: ${(median(ibsiWarm) / median(pyWarm)).toFixed(2)}x`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
