/**
 * `radscore extract --standard ibsi` and `radscore filter` as a user runs them (the built CLI as a
 * child process): IBSI's long table (feature_tag, aggregation_code, value), undefined features
 * reported with their reason and never as 0, errors that name the setting, the IBSI-1 digital
 * phantom through the ready file, and the CT phantom from DICOM + RTSTRUCT giving the same numbers
 * as from NIfTI.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { generatePhantom } from "../src/image/phantom.js";
import type { Volume } from "../src/image/volume.js";
import { parseCsv } from "../src/io/csv.js";
import { readImageFile, writeImageFile } from "../src/node/files.js";
import { compareWithIbsi, ibsiDir, skipWithoutIbsi, volumeOf } from "./support/ibsi.js";

const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
const dir = mkdtempSync(join(tmpdir(), "radscore-cli-ibsi-"));
const path = (name: string) => join(dir, name);
const run = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
/** `radscore extract IMAGE MASK -p CONFIG --standard ibsi ...options`. */
const extractIbsi = (image: string, mask: string, config: string, ...options: string[]) =>
  run("extract", image, mask, "-p", config, "--standard", "ibsi", ...options);
/** extractIbsi on the generated image with basic.yaml and the mask file `mask`. */
const extractBasic = (mask: string, ...options: string[]) =>
  extractIbsi(path("image.nrrd"), path(mask), path("basic.yaml"), ...options);

let image: Volume;
let mask: Volume;

before(async () => {
  ({ image, mask } = generatePhantom({
    seed: 3,
    size: [20, 20, 6],
    spacing: [1, 1, 2],
    radiiMm: [5, 5, 4],
  }));
  await writeImageFile(path("image.nrrd"), image);
  await writeImageFile(path("mask.nrrd"), mask);
  const one = new Uint8Array(mask.data.length);
  one[10 + 20 * (10 + 20 * 3)] = 1;
  await writeImageFile(path("one-voxel.nrrd"), { ...mask, data: one });
  writeFileSync(
    path("basic.yaml"),
    "standard: ibsi\nfamilies: [morphology, intensity_statistics, glcm]\n" +
      "discretisation: {method: FBN, binCount: 16}\ntexture: {aggregation: [3D]}\n",
  );
  writeFileSync(path("pyradiomics.yaml"), "setting: {binWidth: 25}\n");
});

/** The CSV rows keyed `${tag}|${aggregation}`. */
function tableOf(text: string): Map<string, string> {
  const table = parseCsv(text);
  assert.deepEqual(table.header, ["feature_tag", "aggregation_code", "value"]);
  return new Map(table.rows.map((r) => [`${r[0]}|${r[1]}`, r[2]!]));
}

/** A table's values as numbers (an empty cell, an undefined feature, as NaN: never agreeing). */
function numbersOf(rows: Map<string, string>): Map<string, number> {
  return new Map([...rows].map(([key, cell]) => [key, cell === "" ? Number.NaN : Number(cell)]));
}

test("extract --standard ibsi writes IBSI's long table", () => {
  const r = extractBasic("mask.nrrd", "-o", path("out.csv"));
  assert.equal(r.status, 0, r.stderr);
  const rows = tableOf(readFileSync(path("out.csv"), "utf8"));
  // Voxel-counting volume and mean intensity, computed here from the files' voxels.
  let n = 0;
  let sum = 0;
  for (let k = 0; k < mask.data.length; k++) {
    if (mask.data[k]! > 0) {
      n++;
      sum += image.data[k]!;
    }
  }
  const voxelVolume = image.spacing[0] * image.spacing[1] * image.spacing[2];
  assert.equal(Number(rows.get("morph_vol_approx|")), n * voxelVolume);
  assert.ok(Math.abs(Number(rows.get("stat_mean|")) - sum / n) <= 1e-9 * Math.abs(sum / n));
  // Only the 3D GLCM aggregations were asked for; 25 GLCM features each.
  const glcm = [...rows.keys()].filter((k) => k.startsWith("cm_"));
  assert.equal(glcm.length, 50);
  assert.ok(glcm.every((k) => k.endsWith("|ITBB") || k.endsWith("|IAZD")));
  // JSON keeps the same pairs.
  const j = extractBasic("mask.nrrd");
  assert.equal(j.status, 0, j.stderr);
  const json = JSON.parse(j.stdout) as {
    feature_tag: string;
    aggregation_code: string;
    value: number;
  }[];
  assert.equal(json.length, rows.size);
  for (const f of json)
    assert.equal(String(f.value), rows.get(`${f.feature_tag}|${f.aggregation_code}`));
  // Morphology on a second thread (-j 2) or on the command's own (-j 1): the same table, byte for
  // byte, in the parameter file's order of families.
  const one = extractBasic("mask.nrrd", "-f", "csv", "-j", "1");
  const two = extractBasic("mask.nrrd", "-f", "csv", "-j", "2");
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.status, 0, two.stderr);
  assert.equal(two.stdout, one.stdout);
  assert.equal(one.stdout, readFileSync(path("out.csv"), "utf8"));
  const families = [...tableOf(one.stdout).keys()].map((k) => k.split("_")[0]);
  assert.deepEqual([...new Set(families)], ["morph", "stat", "cm"]);
});

test("extract --standard ibsi: a feature undefined for the ROI is reported with its reason, never 0", () => {
  const r = extractBasic("one-voxel.nrrd", "-f", "csv");
  assert.equal(r.status, 0, r.stderr);
  const rows = tableOf(r.stdout);
  // A one-voxel ROI has no neighbour pairs: every GLCM value is undefined (empty cell).
  const glcm = [...rows].filter(([k]) => k.startsWith("cm_"));
  assert.ok(glcm.length > 0);
  assert.ok(
    glcm.every(([, v]) => v === ""),
    "GLCM of one voxel",
  );
  assert.match(r.stderr, /cm_joint_max \(ITBB\) is undefined for this ROI: /);
  assert.equal(rows.get("morph_vol_approx|"), "2");
});

test("extract --standard ibsi: bad settings and options are errors that name them", () => {
  const cases: [string[], RegExp][] = [
    [
      ["-p", path("pyradiomics.yaml")],
      /standard: an IBSI parameter file starts with 'standard: ibsi'/,
    ],
    [[], /--standard ibsi needs an IBSI parameter file/],
    [["-p", path("basic.yaml"), "--batch", path("cases.csv")], /--batch not available/],
    [["-p", path("basic.yaml"), "-f", "xml"], /--format must be json or csv/],
    [["-p", path("basic.yaml"), "-j", "0"], /--jobs must be a positive integer, got '0'/],
  ];
  for (const [extra, message] of cases) {
    const r = run("extract", path("image.nrrd"), path("mask.nrrd"), "--standard", "ibsi", ...extra);
    assert.equal(r.status, 2, `${extra.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const other = run("extract", path("image.nrrd"), path("mask.nrrd"), "--standard", "iso");
  assert.equal(other.status, 2);
  assert.match(other.stderr, /--standard must be pyradiomics or ibsi, got 'iso'/);
});

test("filter: a mean filter's response map, and its errors", async () => {
  // A 3-voxel mean along x, y, z (support 3) with zero padding on a grid holding one 27 at the
  // centre: the 27 voxels of the centre's 3 x 3 x 3 neighbourhood read 27 / 27 = 1, all others 0.
  const impulse = new Float64Array(5 * 5 * 5);
  impulse[2 + 5 * (2 + 5 * 2)] = 27;
  await writeImageFile(path("impulse.nrrd"), volumeOf(impulse, [5, 5, 5], [1, 1, 1]));
  writeFileSync(
    path("mean.yaml"),
    "standard: ibsi\nfilter: {type: mean, support: 3, dimensionality: 3D, boundary: zero}\n",
  );
  const r = run("filter", path("impulse.nrrd"), "-p", path("mean.yaml"), "-o", path("mean.nrrd"));
  assert.equal(r.status, 0, r.stderr);
  const map = await readImageFile(path("mean.nrrd"));
  for (let z = 0; z < 5; z++)
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 5; x++) {
        const inside = [x, y, z].every((c) => c >= 1 && c <= 3);
        assert.ok(Math.abs(map.data[x + 5 * (y + 5 * z)]! - (inside ? 1 : 0)) < 1e-12);
      }
  writeFileSync(
    path("mean-extra.yaml"),
    "standard: ibsi\nresegmentation: {range: [0, 1]}\nfilter: {type: mean, support: 3, dimensionality: 3D, boundary: zero}\n",
  );
  const extra = run(
    "filter",
    path("impulse.nrrd"),
    "-p",
    path("mean-extra.yaml"),
    "-o",
    path("x.nrrd"),
  );
  assert.equal(extra.status, 2);
  assert.match(
    extra.stderr,
    /^radscore: resegmentation: unknown setting \(valid: standard, filter\)/,
  );
  assert.ok(!existsSync(path("x.nrrd")));
  writeFileSync(
    path("bad.yaml"),
    "standard: ibsi\nfilter: {type: mean, support: 4, dimensionality: 3D, boundary: zero}\n",
  );
  const bad = run("filter", path("impulse.nrrd"), "-p", path("bad.yaml"), "-o", path("x.nrrd"));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /support/);
});

test("extract --standard ibsi: the IBSI-1 digital phantom through the ready file agrees with IBSI", (t) => {
  if (skipWithoutIbsi(t, "IBSI-1 digital phantom CLI")) return;
  const base = join(ibsiDir()!, "ibsi1_phantoms", "ibsi_1_digital_phantom", "nifti");
  const r = extractIbsi(
    join(base, "image", "phantom.nii.gz"),
    join(base, "mask", "mask.nii.gz"),
    join("ibsi", "digital-phantom.yaml"),
    "-f",
    "csv",
  );
  assert.equal(r.status, 0, r.stderr);
  const { total, misses } = compareWithIbsi(
    "digital_phantom",
    numbersOf(tableOf(r.stdout)),
    () => true,
  );
  assert.equal(total, 482);
  assert.deepEqual(misses, []);
});

test("extract --standard ibsi: the CT phantom from DICOM + RTSTRUCT gives the NIfTI numbers", (t) => {
  if (skipWithoutIbsi(t, "IBSI-1 CT phantom DICOM CLI")) return;
  const base = join(ibsiDir()!, "ibsi1_phantoms", "ibsi_1_ct_radiomics_phantom");
  const config = join("ibsi", "ct-config-A.yaml");
  const fromNifti = extractIbsi(
    join(base, "nifti", "image", "phantom.nii.gz"),
    join(base, "nifti", "mask", "mask.nii.gz"),
    config,
    "-f",
    "csv",
  );
  const fromDicom = extractIbsi(
    join(base, "dicom", "image"),
    join(base, "dicom", "mask", "DCM_RS_00060.dcm"),
    config,
    "--roi",
    "GTV-1",
    "-f",
    "csv",
  );
  assert.equal(fromNifti.status, 0, fromNifti.stderr);
  assert.equal(fromDicom.status, 0, fromDicom.stderr);
  // The NIfTI holds the geometry as float32 (spacing 0.97699999 against DICOM's 0.977): equal
  // within 1e-6 relative, and both within IBSI's tolerance of every configuration-A value.
  const nifti = tableOf(fromNifti.stdout);
  const dicom = tableOf(fromDicom.stdout);
  assert.deepEqual([...dicom.keys()], [...nifti.keys()]);
  const differ = [...nifti].filter(([key, v]) => {
    const a = Number(v);
    const b = Number(dicom.get(key));
    return !(Math.abs(a - b) <= 1e-6 * Math.abs(a) + 1e-12);
  });
  assert.deepEqual(differ, []);
  const { total, misses } = compareWithIbsi("A", numbersOf(dicom), () => true);
  assert.equal(total, 346);
  assert.deepEqual(misses, []);
});
