/**
 * IBSI-2's ready parameter files (issue #13): ibsi/ibsi2/phase1/<test>.yaml, one `filter:` block per
 * phase-1 test (used as `radscore filter PHANTOM -p FILE -o MAP`), and ibsi/ibsi2/phase2/<id>.yaml,
 * full IBSI parameter files for the phase-2 configurations 1.A-9.B (used as `radscore extract
 * CT_IMAGE CT_MASK -p FILE --standard ibsi`).
 *
 * (1) Against IBSI's reference data (ibsi2_reference_data, README): phase 1, every row of
 * ibsi2_phase1_filter_configurations.csv through parseIbsiFilterFile (as `radscore filter` reads it)
 * and applyIbsiFilter on its phantom,
 * every voxel within 1 % of the consensus map's range; phase 2, every configuration of
 * ibsi2_phase2_filter_configurations.csv through extractIbsiFeatures on the IBSI-1 CT phantom
 * (GTV-1), each stat_* value with a consensus value in reference_values.csv within its tolerance
 * (|ours - consensus| <= tolerance, as MIRP's ibsi_2_feature_test checks them).
 * (2) Hand-checkable cases of the ready files on tiny images. (3) Bad settings in a ready file.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import yaml from "js-yaml";
import { type IbsiConfig, parseIbsiConfig, parseIbsiFilterFile } from "../src/ibsi/config.js";
import { extractIbsiFeatures } from "../src/ibsi/extract.js";
import { applyIbsiFilter, type IbsiFilter } from "../src/ibsi/filters/index.js";
import { IbsiSettingError } from "../src/ibsi/types.js";
import type { Vec3 } from "../src/image/volume.js";
import { parseCsv } from "../src/io/csv.js";
import { readImageFile } from "../src/node/files.js";
import {
  ibsiDir,
  readCtPhantom,
  readIbsi2Phantom,
  responseMapDeviation,
  skipWithoutIbsi,
  volumeOf,
} from "./support/ibsi.js";

const PHASE1_DIR = join("ibsi", "ibsi2", "phase1");
const PHASE2_DIR = join("ibsi", "ibsi2", "phase2");
/** Phase-2 configurations: A = 2D slice by slice without interpolation, B = 3D at 1 mm. */
const PHASE2_IDS = [1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`${n}.A`, `${n}.B`]);

function readyFile(dir: string, id: string): string {
  return readFileSync(join(dir, `${id}.yaml`), "utf8");
}

/** A phase-2 file, as `radscore extract --standard ibsi` reads it. */
function readyConfig(dir: string, id: string): IbsiConfig {
  return parseIbsiConfig(readyFile(dir, id), join(dir, `${id}.yaml`));
}

/** A phase-1 filter file, as `radscore filter` reads it (standard and filter only). */
function readyFilter(id: string): IbsiFilter {
  return parseIbsiFilterFile(readyFile(PHASE1_DIR, id), join(PHASE1_DIR, `${id}.yaml`));
}

/** Rows of a comma-separated reference table as records by column name. */
function readTable(file: string): Record<string, string>[] {
  const table = parseCsv(readFileSync(file, "utf8"), file);
  return table.rows.map((row) => Object.fromEntries(table.header.map((h, k) => [h, row[k] ?? ""])));
}

// ---------------------------------------------------------------------------------------------
// (1) IBSI reference data.

test("IBSI-2 phase 1: every ready filter file reproduces its consensus response map within 1 % of the range", async (t: TestContext) => {
  if (skipWithoutIbsi(t, "IBSI-2 phase-1 ready files")) return;
  const ibsi = ibsiDir()!;
  const data = join(ibsi, "ibsi2_reference_data");
  const rows = readTable(join(data, "ibsi2_phase1_filter_configurations.csv"));
  assert.equal(rows.length, 33, "phase-1 tests in the configuration table");
  const misses: string[] = [];
  for (const row of rows) {
    const id = row.test_id!;
    const phantom = row.phantom!;
    const filter = readyFilter(id);
    const image = await readIbsi2Phantom(phantom);
    const map = await readImageFile(join(data, row.reference_map_file!));
    assert.deepEqual(map.size, image.size, `${id}: map size`);
    const started = performance.now();
    const ours = applyIbsiFilter(image, filter);
    const ms = performance.now() - started;
    const { range, worst, outside } = responseMapDeviation(ours, map.data);
    console.log(
      `IBSI-2 phase 1 ${id} (${phantom}, ${filter.type}): max deviation ${(100 * worst).toPrecision(3)} % of the range ${range.toPrecision(4)}; ${outside} voxels over 1 %; ${ms.toFixed(0)} ms`,
    );
    if (outside > 0) misses.push(`${id}: ${outside} voxels over 1 % (max ${100 * worst} %)`);
  }
  console.log(`IBSI-2 phase 1 ready files: ${rows.length - misses.length} of ${rows.length} agree`);
  assert.deepEqual(misses, []);
});

interface Phase2Reference {
  tag: string;
  value: number;
  tolerance: number;
}

/** reference_values.csv (`;`-separated): rows with a consensus value, by configuration. */
function phase2References(file: string): Map<string, Phase2Reference[]> {
  const lines = readFileSync(file, "utf8").trim().split(/\r?\n/);
  const header = lines[0]!.split(";");
  const col = (name: string) => {
    const k = header.indexOf(name);
    assert.ok(k >= 0, `${file}: no column ${name}`);
    return k;
  };
  const [iId, iTag, iValue, iTol] = [
    "filter_id",
    "feature_tag",
    "consensus_value",
    "tolerance",
  ].map(col) as [number, number, number, number];
  const out = new Map<string, Phase2Reference[]>();
  for (const line of lines.slice(1)) {
    const cells = line.split(";");
    if (cells[iValue] === "") continue; // 8.B stat_qcod: no consensus value
    const id = cells[iId]!;
    const list = out.get(id) ?? [];
    list.push({ tag: cells[iTag]!, value: Number(cells[iValue]), tolerance: Number(cells[iTol]) });
    out.set(id, list);
  }
  return out;
}

test("IBSI-2 phase 2: every ready parameter file on the CT phantom, each stat_* value within IBSI's tolerance", async (t: TestContext) => {
  if (skipWithoutIbsi(t, "IBSI-2 phase-2 ready files")) return;
  const data = join(ibsiDir()!, "ibsi2_reference_data");
  const configurations = readTable(join(data, "ibsi2_phase2_filter_configurations.csv"));
  assert.deepEqual(
    configurations.map((r) => r.filter_id),
    PHASE2_IDS,
    "phase-2 configurations in the table",
  );
  const references = phase2References(
    join(data, "reference_feature_values", "reference_values.csv"),
  );
  const { image, mask } = await readCtPhantom();
  let total = 0;
  let agreeing = 0;
  const misses: string[] = [];
  for (const id of PHASE2_IDS) {
    const config = readyConfig(PHASE2_DIR, id);
    const started = performance.now();
    const { features } = extractIbsiFeatures(image, mask, config);
    const seconds = (performance.now() - started) / 1000;
    const ours = new Map(features.map((f) => [f.tag, f.value]));
    const wanted = references.get(id) ?? [];
    let agree = 0;
    for (const r of wanted) {
      const got = ours.get(r.tag);
      if (got !== undefined && Math.abs(got - r.value) <= r.tolerance) agree++;
      else
        misses.push(
          `${id} ${r.tag}: ours ${got === undefined ? "not reported" : got}, IBSI ${r.value} +- ${r.tolerance}`,
        );
    }
    total += wanted.length;
    agreeing += agree;
    console.log(
      `IBSI-2 phase 2 ${id} (${config.filter?.type ?? "no filter"}): ${agree} of ${wanted.length} agree; ${seconds.toFixed(1)} s`,
    );
  }
  console.log(`IBSI-2 phase 2 ready files: ${agreeing} of ${total} agree`);
  for (const miss of misses) console.log(`  miss: ${miss}`);
  assert.equal(total, 323, "consensus values of phase 2");
  assert.deepEqual(misses, []);
});

// ---------------------------------------------------------------------------------------------
// (2) The ready files themselves, and hand-checkable cases.

test("the ready files: 33 phase-1 filter files holding only standard and filter; 18 phase-2 files as IBSI-2 phase 2 specifies", () => {
  const phase1 = readdirSync(PHASE1_DIR).filter((f) => f.endsWith(".yaml"));
  assert.equal(phase1.length, 33);
  for (const file of phase1) {
    const text = readFileSync(join(PHASE1_DIR, file), "utf8");
    // `radscore filter` refuses any other top-level key.
    assert.deepEqual(Object.keys(yaml.load(text) as object), ["standard", "filter"], file);
    parseIbsiFilterFile(text, file);
  }
  assert.deepEqual(
    readdirSync(PHASE2_DIR)
      .filter((f) => f.endsWith(".yaml"))
      .sort(),
    PHASE2_IDS.map((id) => `${id}.yaml`).sort(),
  );
  for (const id of PHASE2_IDS) {
    const config = readyConfig(PHASE2_DIR, id);
    assert.deepEqual(config.families, ["intensity_statistics"], id);
    assert.deepEqual(config.resegmentation, { range: [-1000, 400], outlierSigma: null }, id);
    const threeD = id.endsWith(".B");
    if (threeD)
      assert.deepEqual(
        config.interpolation,
        {
          dimensions: "3D",
          spacing: [1, 1, 1],
          image: "cubic-spline",
          rounding: "nearest-integer",
          roi: "linear",
          partialVolumeThreshold: 0.5,
        },
        id,
      );
    else assert.equal(config.interpolation, null, id);
    if (id.startsWith("1.")) assert.equal(config.filter, null, id);
    else assert.equal(config.filter?.settings.dimensionality, threeD ? "3D" : "2D", id);
  }
});

test("1.b.1 (mean, 2D, support 15, zero padding) on an impulse: 1/225 on its 15 x 15 square, in its slice only", () => {
  const n = 17;
  const data = new Float64Array(n * n * 3);
  const at = (x: number, y: number, z: number) => x + n * (y + n * z);
  data[at(8, 8, 1)] = 1;
  const out = applyIbsiFilter({ data, size: [n, n, 3], spacing: [2, 2, 2] }, readyFilter("1.b.1"));
  // The window of voxel (x, y) covers x - 7 .. x + 7: it holds the impulse for x, y in 1 .. 15.
  assert.equal(out[at(8, 8, 1)], 1 / 225);
  assert.ok(Math.abs(out[at(1, 15, 1)]! - 1 / 225) < 1e-15);
  assert.ok(Math.abs(out[at(15, 1, 1)]! - 1 / 225) < 1e-15);
  assert.equal(out[at(0, 8, 1)], 0);
  assert.equal(out[at(8, 16, 1)], 0);
  // Slice-wise: nothing reaches the neighbouring slices.
  assert.equal(out[at(8, 8, 0)], 0);
  assert.equal(out[at(8, 8, 2)], 0);
});

test("2.A (mean, 2D, support 5, mirror) on a 5 x 5 slice: the response map, re-segmented on the image's intensities", () => {
  // 0 everywhere but 1000 at the centre (2, 2); ROI: all 25 voxels. Mirror (c b a | a b c d e |
  // e d c) makes every 5-voxel window along x hold index 2 exactly once: x = 0 reads 1 0 0 1 2,
  // x = 1 reads 0 0 1 2 3, x = 2 reads 0 1 2 3 4 (and symmetrically); likewise along y. So every
  // voxel's mean is 1000 / 25 = 40. The centre, 1000 HU, is outside [-1000, 400]: the statistics
  // read the other 24 voxels, all 40: mean 40, variance 0, energy 24 x 40^2 = 38400.
  const data = new Array<number>(25).fill(0);
  data[12] = 1000;
  const image = volumeOf(data, [5, 5, 1], [1, 1, 1]);
  const mask = volumeOf(new Array<number>(25).fill(1), [5, 5, 1], [1, 1, 1]);
  const { features, image: processed } = extractIbsiFeatures(
    image,
    mask,
    readyConfig(PHASE2_DIR, "2.A"),
  );
  for (const v of processed.intensities) assert.ok(Math.abs(v - 40) < 1e-12);
  const stat = new Map(features.map((f) => [f.tag, f.value]));
  assert.ok(Math.abs(stat.get("stat_mean")! - 40) < 1e-12);
  assert.ok(Math.abs(stat.get("stat_var")!) < 1e-9);
  assert.ok(Math.abs(stat.get("stat_energy")! - 38400) < 1e-8);
  assert.equal(features.length, 18);
});

test("1.B (1 mm cubic spline, rounding, linear ROI 0.5) on a constant 4 x 4 x 4 image of 2 mm", () => {
  // Intensity 100.4 everywhere; ROI: the central 2 x 2 x 2 voxels (indices 1, 2 on each axis).
  // Align grid centres: 8 points per axis at index positions -0.25, 0.25, ..., 3.25 (start
  // 1.5 - 3.5 x 0.5). The spline of a constant is that constant, rounded to 100 HU. Linear ROI
  // interpolation of 0 1 1 0 at those positions: 0, 0.25, 0.75, 1, 1, 0.75, 0.25, 0 per axis; a
  // voxel's fraction is the product over the axes, >= 0.5 for the 4^3 = 64 voxels in {0.75, 1}^3
  // except the 8 with 0.75^3 = 0.42: 56 voxels, energy 56 x 100^2 = 560000.
  const size: Vec3 = [4, 4, 4];
  const roi = new Array<number>(64).fill(0);
  for (const z of [1, 2])
    for (const y of [1, 2]) for (const x of [1, 2]) roi[x + 4 * (y + 4 * z)] = 1;
  const { features, image } = extractIbsiFeatures(
    volumeOf(new Array<number>(64).fill(100.4), size, [2, 2, 2]),
    volumeOf(roi, size, [2, 2, 2]),
    readyConfig(PHASE2_DIR, "1.B"),
  );
  assert.deepEqual(image.size, [8, 8, 8]);
  assert.deepEqual(image.spacing, [1, 1, 1]);
  let kept = 0;
  for (const m of image.intensityMask) kept += m;
  assert.equal(kept, 56);
  const stat = new Map(features.map((f) => [f.tag, f.value]));
  assert.equal(stat.get("stat_mean"), 100);
  assert.equal(stat.get("stat_energy"), 560000);
  assert.equal(stat.get("stat_range"), 0);
});

// ---------------------------------------------------------------------------------------------
// (3) Bad settings.

test("a ready file with a wrong setting fails with an IbsiSettingError naming it", () => {
  const bad = (text: string, pattern: RegExp) =>
    assert.throws(
      () => parseIbsiConfig(text, "edited ready file"),
      (e: unknown) => e instanceof IbsiSettingError && pattern.test(e.message),
    );
  const log = readyFile(PHASE2_DIR, "3.A");
  // A mean filter has no sigma.
  bad(log.replace("type: laplacian-of-gaussian", "type: mean"), /filter\.sigma/);
  bad(log.replace("boundary: mirror", "boundary: reflect"), /boundary/);
  bad(log.replace("type: laplacian-of-gaussian", "type: wavelet"), /filter\.type/);
  bad(
    readyFile(PHASE2_DIR, "1.B").replace("image: cubic-spline", "image: cubic"),
    /interpolation\.image/,
  );
  const mean = readyFile(PHASE1_DIR, "1.a.1");
  assert.throws(
    () => parseIbsiFilterFile(mean.replace("support: 15", "support: 14"), "edited 1.a.1"),
    (e: unknown) => e instanceof IbsiSettingError && /support/.test(e.message),
  );
  // A filter file holds no processing settings: `radscore filter` filters the image as it is.
  assert.throws(
    () => parseIbsiFilterFile(`${mean}families: [intensity_statistics]\n`, "edited 1.a.1"),
    (e: unknown) => e instanceof IbsiSettingError && /families/.test(e.message),
  );
});
