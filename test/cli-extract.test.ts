/**
 * The `radscore extract` contract: flat JSON with PyRadiomics names, CSV and batch output, and for
 * every kind of bad input a message naming the file and the reason, a non-zero exit code and no
 * output file. Runs the built CLI as a child process on synthetic data written to a temp folder.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { generatePhantom } from "../src/image/phantom.js";
import type { Volume } from "../src/image/volume.js";
import { readImageFile, writeImageFile } from "../src/node/files.js";
import { missingReference, referenceDir, withinOracleTolerance } from "./support/reference.js";

// The bundled command, as installed by `npm install` (package.json bin).
const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
const dir = mkdtempSync(join(tmpdir(), "radscore-cli-"));
const path = (name: string) => join(dir, name);

function run(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
}

/** As run, with extra environment variables. */
function runWith(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

before(async () => {
  const { image, mask } = generatePhantom({
    seed: 7,
    size: [24, 24, 8],
    spacing: [1, 1, 2],
    radiiMm: [6, 5, 5],
  });
  await writeImageFile(path("image.nrrd"), image);
  await writeImageFile(path("mask.nrrd"), mask);
  // A mask with another origin (geometry mismatch), an empty mask, one voxel, label 2 only.
  await writeImageFile(path("shifted.nrrd"), { ...mask, origin: [5, 0, 0] });
  await writeImageFile(path("empty.nrrd"), { ...mask, data: new Uint8Array(mask.data.length) });
  const one = new Uint8Array(mask.data.length);
  one[100] = 1;
  await writeImageFile(path("onevoxel.nrrd"), { ...mask, data: one });
  await writeImageFile(path("label2.nrrd"), { ...mask, data: mask.data.map((v) => v * 2) });
  const nanImage: Volume<Float32Array> = {
    ...image,
    data: new Float32Array(image.data.length).fill(Number.NaN),
  };
  await writeImageFile(path("nan.nrrd"), nanImage);
  // Corrupt files: a bad header, and a gzip payload cut in half.
  writeFileSync(path("badheader.nrrd"), "NRRD0004\ntype: banana\ndimension: 3\n\n");
  const good = readFileSync(path("image.nrrd"));
  writeFileSync(path("truncated.nrrd"), good.subarray(0, Math.floor(good.length * 0.6)));
  writeFileSync(path("params_bad.yaml"), "setting:\n  binWidht: 25\n");
  writeFileSync(path("params_small.yaml"), "setting:\n  minimumROISize: 100000\n");
  writeFileSync(
    path("params_multi.yaml"),
    "imageType:\n  Original: {}\n  Square: {}\n  LoG:\n    sigma: [1.0, 2.0]\n" +
      "featureClass:\n  firstorder:\n  glcm:\n  shape:\n",
  );
  writeFileSync(
    path("params_square.yaml"),
    "imageType:\n  Original: {}\n  Square: {}\nfeatureClass:\n  firstorder:\n",
  );
});

test("extract prints a flat JSON object with PyRadiomics' default feature names", () => {
  const r = run("extract", path("image.nrrd"), path("mask.nrrd"));
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  const keys = Object.keys(out);
  // PyRadiomics defaults: 14 shape + 18 firstorder + 24 glcm + 16 glrlm + 16 glszm + 14 gldm + 5 ngtdm.
  assert.equal(keys.length, 107);
  assert.equal(keys[0], "original_shape_Elongation");
  assert.ok(keys.includes("original_glcm_Contrast"));
  assert.ok(
    keys.every((k) =>
      /^original_(shape|firstorder|glcm|glrlm|glszm|gldm|ngtdm)_[A-Za-z0-9]+$/.test(k),
    ),
  );
  assert.ok(Object.values(out).every((v) => v === null || typeof v === "number"));
  assert.ok(!keys.some((k) => k.startsWith("diagnostics_")));
});

test("extract --diagnostics adds diagnostics entries; -f csv writes a header and one row", () => {
  const d = run("extract", path("image.nrrd"), path("mask.nrrd"), "--diagnostics");
  assert.equal(d.status, 0, d.stderr);
  assert.ok(Object.keys(JSON.parse(d.stdout)).some((k) => k.startsWith("diagnostics_")));
  const c = run(
    "extract",
    path("image.nrrd"),
    path("mask.nrrd"),
    "-f",
    "csv",
    "-o",
    path("one.csv"),
  );
  assert.equal(c.status, 0, c.stderr);
  const lines = readFileSync(path("one.csv"), "utf8").trim().split("\n");
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.split(",").length, 2 + 107);
});

test("a label given on the command line selects that label", () => {
  const r = run("extract", path("image.nrrd"), path("label2.nrrd"), "--label", "2");
  assert.equal(r.status, 0, r.stderr);
  const absent = run("extract", path("image.nrrd"), path("label2.nrrd"), "-o", path("absent.json"));
  assert.notEqual(absent.status, 0);
  assert.match(absent.stderr, /label 1 not present in mask; labels found: 2/);
  assert.equal(existsSync(path("absent.json")), false);
});

const badCases: [string, string[], RegExp][] = [
  ["missing image file", ["nothere.nrrd", "mask.nrrd"], /nothere\.nrrd.*file not found/],
  ["corrupt header", ["badheader.nrrd", "mask.nrrd"], /badheader\.nrrd/],
  ["truncated gzip data", ["truncated.nrrd", "mask.nrrd"], /truncated\.nrrd/],
  ["geometry mismatch", ["image.nrrd", "shifted.nrrd"], /geometry mismatch: origin differs/],
  ["empty mask", ["image.nrrd", "empty.nrrd"], /no labels found/],
  ["single-voxel ROI", ["image.nrrd", "onevoxel.nrrd"], /only contains 1 segmented voxel/],
  ["NaN image", ["nan.nrrd", "mask.nrrd"], /non-finite/],
];
for (const [what, files, message] of badCases) {
  test(`bad input (${what}): clear message, non-zero exit, no output file`, () => {
    const out = path(`out-${what.replace(/\W+/g, "_")}.json`);
    const r = run("extract", ...files.map(path), "-o", out);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, message);
    assert.equal(existsSync(out), false);
  });
}

test("a misspelt parameter names the key and lists the valid ones; minimumROISize is enforced", () => {
  const bad = run("extract", path("image.nrrd"), path("mask.nrrd"), "-p", path("params_bad.yaml"));
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /setting\.binWidht: unknown setting; valid settings: .*binWidth/);
  const small = run(
    "extract",
    path("image.nrrd"),
    path("mask.nrrd"),
    "-p",
    path("params_small.yaml"),
  );
  assert.notEqual(small.status, 0);
  assert.match(small.stderr, /too small \(minimum size: 100000/);
});

test("the files are read while the parameter file is parsed; the parameter file's error comes first", () => {
  // Both wrong: the parameter file is reported (as when reading followed parsing), and the
  // reading's own error does not surface as an unhandled rejection.
  const both = run(
    "extract",
    path("nothere.nrrd"),
    path("mask.nrrd"),
    "-p",
    path("params_bad.yaml"),
  );
  assert.equal(both.status, 2);
  assert.match(both.stderr, /setting\.binWidht: unknown setting/);
  assert.doesNotMatch(both.stderr, /nothere|Unhandled/);
  // A bad option checked after the parameter file still wins over a missing image.
  const format = run("extract", path("nothere.nrrd"), path("mask.nrrd"), "-f", "xml");
  assert.equal(format.status, 2);
  assert.match(format.stderr, /--format must be json or csv, got 'xml'/);
  // Parameters fine: the missing image is reported by name.
  const image = run("extract", path("nothere.nrrd"), path("mask.nrrd"));
  assert.equal(image.status, 2);
  assert.match(image.stderr, /nothere\.nrrd.*file not found/);
});

test("batch: one row per case; a failing case is reported by ID and does not stop the batch", () => {
  writeFileSync(
    path("cases.csv"),
    [
      "ID,Image,Mask",
      "good1,image.nrrd,mask.nrrd",
      "broken,image.nrrd,empty.nrrd",
      "good2,image.nrrd,mask.nrrd",
    ].join("\n"),
  );
  const r = run("extract", "--batch", path("cases.csv"), "-o", path("batch.csv"));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /broken.*no labels found/);
  const lines = readFileSync(path("batch.csv"), "utf8").trim().split("\n");
  assert.equal(lines.length, 3);
  assert.ok(lines[1]!.startsWith("good1,"));
  assert.ok(lines[2]!.startsWith("good2,"));
  // Identical inputs give identical rows.
  assert.equal(lines[1]!.split(",").slice(3).join(","), lines[2]!.split(",").slice(3).join(","));
});

test("--jobs: batch rows and a split single case equal the serial ones; a bad count is refused", () => {
  writeFileSync(
    path("cases_jobs.csv"),
    [
      "ID,Image,Mask",
      "a,image.nrrd,mask.nrrd",
      "b,image.nrrd,label2.nrrd",
      "c,image.nrrd,mask.nrrd",
    ].join("\n"),
  );
  const batch = (jobs: string, out: string) =>
    run(
      "extract",
      "--batch",
      path("cases_jobs.csv"),
      "-p",
      path("params_multi.yaml"),
      "-j",
      jobs,
      "-o",
      path(out),
    );
  const serial = batch("1", "jobs1.csv");
  const parallel = batch("3", "jobs3.csv");
  assert.equal(serial.status, 1, serial.stderr);
  assert.equal(parallel.status, 1, parallel.stderr);
  // Case b has label 2 only: reported in both runs, the other rows identical and in file order.
  assert.match(parallel.stderr, /failed b: label 1 not present/);
  assert.equal(readFileSync(path("jobs3.csv"), "utf8"), readFileSync(path("jobs1.csv"), "utf8"));
  assert.deepEqual(
    readFileSync(path("jobs3.csv"), "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(",")[0]),
    ["ID", "a", "c"],
  );
  const one = run(
    "extract",
    path("image.nrrd"),
    path("mask.nrrd"),
    "-p",
    path("params_multi.yaml"),
  );
  const split = run(
    "extract",
    path("image.nrrd"),
    path("mask.nrrd"),
    "-p",
    path("params_multi.yaml"),
    "-j",
    "2",
  );
  assert.equal(split.status, 0, split.stderr);
  assert.equal(split.stdout, one.stdout);
  const bad = run("extract", path("image.nrrd"), path("mask.nrrd"), "--jobs", "0");
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--jobs must be a positive integer, got '0'/);
});

test("batch rows stream in file order, more cases than run at once; the first case may fail", () => {
  // 9 cases with -j 2, the worker thread started before the first case (in a real batch it starts
  // once the batch is long enough): cases run here and on the worker, at most 4 in flight; the
  // first fails, so the columns come from the second; every row in the file's order; no
  // temporary file is left beside the output; the same rows as on this thread alone.
  const ids = ["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"];
  writeFileSync(
    path("cases_stream.csv"),
    [
      "ID,Image,Mask",
      ...ids.map((id, k) => `${id},image.nrrd,${k === 0 ? "label2.nrrd" : "mask.nrrd"}`),
    ].join("\n"),
  );
  const out = path("stream-out");
  mkdirSync(out, { recursive: true });
  const r = runWith(
    { RADSCORE_WORKER_PAYBACK_S: "0" },
    "extract",
    "--batch",
    path("cases_stream.csv"),
    "-j",
    "2",
    "-o",
    join(out, "rows.csv"),
  );
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /failed x0: label 1 not present/);
  const onWorker = /extracted 8 of 9 case\(s\) \((\d+) on 1 worker thread\(s\)\)/.exec(r.stderr);
  assert.ok(onWorker && Number(onWorker[1]) >= 2, r.stderr);
  const alone = run(
    "extract",
    "--batch",
    path("cases_stream.csv"),
    "-j",
    "1",
    "-o",
    path("alone.csv"),
  );
  assert.equal(alone.status, 1, alone.stderr);
  assert.equal(
    readFileSync(path("alone.csv"), "utf8"),
    readFileSync(join(out, "rows.csv"), "utf8"),
  );
  const lines = readFileSync(join(out, "rows.csv"), "utf8").trim().split("\n");
  assert.deepEqual(
    lines.map((l) => l.split(",")[0]),
    ["ID", ...ids.slice(1)],
  );
  assert.ok(lines[0]!.includes("original_firstorder_Mean"));
  assert.deepEqual(readdirSync(out), ["rows.csv"]);
});

test("the one-file extract script (with its code cache) and the full program print the same", () => {
  const args = [
    cli,
    "extract",
    path("image.nrrd"),
    path("mask.nrrd"),
    "-p",
    path("params_multi.yaml"),
  ];
  const fast = spawnSync(process.execPath, args, { encoding: "utf8" });
  const full = spawnSync(process.execPath, args, {
    encoding: "utf8",
    env: { ...process.env, RADSCORE_FULL_CLI: "1" },
  });
  assert.equal(fast.status, 0, fast.stderr);
  assert.equal(full.status, 0, full.stderr);
  assert.ok(Object.keys(JSON.parse(fast.stdout)).length > 50);
  assert.equal(fast.stdout, full.stdout);
  // The build made both the script and its cache.
  assert.ok(existsSync(join(import.meta.dirname, "..", "cli", "extract.cjs.cache")));
});

test("--save-images writes the ROI and every image features are computed from, as NRRD", async () => {
  const out = path("saved");
  const r = run(
    "extract",
    path("image.nrrd"),
    path("mask.nrrd"),
    "-p",
    path("params_square.yaml"),
    "--save-images",
    out,
  );
  assert.equal(r.status, 0, r.stderr);
  const features = JSON.parse(r.stdout) as Record<string, number>;
  assert.ok("square_firstorder_Mean" in features && "original_firstorder_Mean" in features);
  const { readImageFile } = await import("../src/node/files.js");
  const original = await readImageFile(join(out, "original.nrrd"));
  const input = await readImageFile(path("image.nrrd"));
  assert.deepEqual(Array.from(original.data), Array.from(input.data));
  const roi = await readImageFile(join(out, "mask.nrrd"));
  const mask = await readImageFile(path("mask.nrrd"));
  assert.deepEqual(Array.from(roi.data), Array.from(mask.data));
  const square = await readImageFile(join(out, "square.nrrd"));
  assert.equal(square.data.length, input.data.length);
  // PyRadiomics' Square: (coeff * x)^2 with coeff = 1 / sqrt(max |x|), so max |x| maps to max |x|.
  let maxAbs = 0;
  for (const v of input.data) maxAbs = Math.max(maxAbs, Math.abs(v));
  const k = input.data.findIndex((v) => v !== 0);
  const x = input.data[k]!;
  assert.ok(Math.abs(square.data[k]! - (x * x) / maxAbs) <= 1e-9 * Math.abs(square.data[k]!));
});

test("--voxel writes one NRRD map per feature, the same maps as the library", async () => {
  writeFileSync(
    path("voxel.yaml"),
    "featureClass:\n  firstorder: [Mean, Maximum]\n  glcm: [Contrast]\nsetting:\n  binWidth: 25\nvoxelSetting:\n  kernelRadius: 1\n",
  );
  const out = path("maps");
  const r = run(
    "extract",
    path("image.nrrd"),
    path("mask.nrrd"),
    "-p",
    path("voxel.yaml"),
    "--voxel",
    "-o",
    out,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /wrote 3 feature maps/);
  const mean = await readImageFile(join(out, "original_firstorder_Mean.nrrd"));
  const max = await readImageFile(join(out, "original_firstorder_Maximum.nrrd"));
  assert.ok(existsSync(join(out, "original_glcm_Contrast.nrrd")));
  assert.equal(mean.data.constructor, Float64Array);
  // Mean <= Maximum of the same kernel at every voxel (both 0 = initValue outside the ROI).
  for (let k = 0; k < mean.data.length; k++) assert.ok(mean.data[k]! <= max.data[k]!);
});

test("--voxel on PyRadiomics' voxel oracle: every map of breast1 voxel_original_r1", async (t) => {
  const ref = referenceDir();
  if (!ref) return t.skip(missingReference("extract --voxel parity"));
  const py = join(ref, "pyradiomics");
  const out = path("maps-oracle");
  const r = run(
    "extract",
    join(py, "data", "breast1_image.nrrd"),
    join(py, "data", "breast1_label.nrrd"),
    "-p",
    join(py, "params", "voxel_original_r1.yaml"),
    "--voxel",
    "-o",
    out,
  );
  assert.equal(r.status, 0, r.stderr);
  const oracle = join(py, "oracle_voxel", "breast1__voxel_original_r1");
  const names = JSON.parse(readFileSync(join(oracle, "INDEX.json"), "utf8")).features as string[];
  for (const name of names) {
    const got = await readImageFile(join(out, `${name}.nrrd`));
    const want = await readImageFile(join(oracle, `${name}.nrrd`));
    assert.deepEqual(got.size, want.size, name);
    for (let k = 0; k < want.data.length; k++) {
      const g = got.data[k]!;
      const w = want.data[k]!;
      assert.ok(
        Number.isNaN(w) ? Number.isNaN(g) : withinOracleTolerance(g, w),
        `${name} voxel ${k}: ${g} vs ${w}`,
      );
    }
  }
});

test("--voxel: shape, no output folder or --batch are errors naming the setting; nothing is written", () => {
  writeFileSync(
    path("voxel-shape.yaml"),
    "featureClass:\n  shape:\n  firstorder:\nvoxelSetting:\n  kernelRadius: 1\n",
  );
  const out = path("maps-shape");
  const r = run(
    "extract",
    path("image.nrrd"),
    path("mask.nrrd"),
    "-p",
    path("voxel-shape.yaml"),
    "--voxel",
    "-o",
    out,
  );
  assert.equal(r.status, 2);
  assert.match(r.stderr, /featureClass\.shape: shape is not computed voxel-based/);
  assert.equal(existsSync(out), false);
  const noOut = run("extract", path("image.nrrd"), path("mask.nrrd"), "--voxel");
  assert.equal(noOut.status, 2);
  assert.match(noOut.stderr, /give the folder with -o DIR/);
  const batch = run("extract", "--batch", path("cases.csv"), "--voxel", "-o", out);
  assert.equal(batch.status, 2);
  assert.match(batch.stderr, /--voxel extracts one case/);
});
