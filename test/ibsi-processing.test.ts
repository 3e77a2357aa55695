/**
 * IBSI-1 image processing (reference manual chapter 2; src/ibsi/processing): interpolation on the
 * "align grid centres" grid, intensity rounding, ROI interpolation with a partial-volume threshold,
 * re-segmentation and discretisation.
 *
 * Against IBSI: every processing diagnostic of the CT phantom (ibsi1_ct_phantom_diagnostic_features.csv:
 * image and ROI dimensions, bounding boxes, voxel counts, mean / min / max after each step) for
 * configurations A-E. Agreement: within the tolerance; a tolerance of 0 means the value is exact to
 * the digits printed, so ours must lie within half a unit of its last printed digit (e.g. the voxel
 * size 0.977 for 0.9769999981 mm, the image mean -266 for -266.47).
 *
 * Hand-checkable cases: expected values from the published formulas, arithmetic in the comments.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { discretise } from "../src/ibsi/processing/discretise.js";
import {
  alignGridCentres,
  interpolateImage,
  interpolateImageRegion,
  interpolateMask,
  interpolationGrid,
  roundHalfToEven,
  SPLINE_CROP_MARGIN,
} from "../src/ibsi/processing/interpolation.js";
import {
  IBSI_CT_CONFIGURATIONS,
  type IbsiProcessingSettings,
  processImage,
  processImageAroundRoi,
} from "../src/ibsi/processing/pipeline.js";
import { resegment } from "../src/ibsi/processing/resegmentation.js";
import { type IbsiImage, IbsiSettingError } from "../src/ibsi/types.js";
import { IDENTITY3, type Vec3, type Volume } from "../src/image/volume.js";
import { parseCsv } from "../src/io/csv.js";
import { ibsiDir, readCtPhantom, skipWithoutIbsi } from "./support/ibsi.js";

// ---------------------------------------------------------------------------------------------
// CT phantom diagnostics

interface Diagnostic {
  tag: string;
  value: number;
  printed: string;
  tolerance: number;
}

function readDiagnostics(): Map<string, Diagnostic[]> {
  const file = join(
    ibsiDir()!,
    "ibsi1_reference_values",
    "ibsi1_ct_phantom_diagnostic_features.csv",
  );
  const table = parseCsv(readFileSync(file, "utf8"), file);
  const col = (name: string) => table.header.indexOf(name);
  const [iConfig, iTag, iValue, iTol] = ["configuration", "tag", "value", "tolerance"].map(col) as [
    number,
    number,
    number,
    number,
  ];
  const out = new Map<string, Diagnostic[]>();
  for (const r of table.rows) {
    const list = out.get(r[iConfig]!) ?? [];
    list.push({
      tag: r[iTag]!,
      value: Number(r[iValue]),
      printed: r[iValue]!,
      tolerance: Number(r[iTol]),
    });
    out.set(r[iConfig]!, list);
  }
  return out;
}

/** Within the tolerance, or within half a unit of the reference's last printed digit. */
function agrees(got: number, d: Diagnostic): boolean {
  const decimals = d.printed.includes(".") ? d.printed.split(".")[1]!.length : 0;
  const halfUnit = 0.5 * 10 ** -decimals;
  return Number.isFinite(got) && Math.abs(got - d.value) <= Math.max(d.tolerance, halfUnit) + 1e-12;
}

function boundingBox(mask: Uint8Array, size: Vec3): Vec3 {
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let z = 0, i = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++)
      for (let x = 0; x < size[0]; x++, i++) {
        if (mask[i] === 0) continue;
        const p = [x, y, z];
        for (let a = 0; a < 3; a++) {
          lo[a] = Math.min(lo[a]!, p[a]!);
          hi[a] = Math.max(hi[a]!, p[a]!);
        }
      }
  return [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
}

function stats(values: ArrayLike<number>, mask?: Uint8Array) {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (mask && mask[i] === 0) continue;
    const v = values[i]!;
    n++;
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { count: n, mean: sum / n, min, max };
}

/** Our value of every diagnostic tag: image, ROI and masks after each processing step. */
function diagnostics(image: Volume, roi: Uint8Array, out: IbsiImage): Map<string, number> {
  const d = new Map<string, number>();
  const axes = ["x", "y", "z"] as const;
  const put = (prefix: string, suffix: string, v: Vec3) =>
    axes.forEach((a, k) => {
      d.set(`${prefix}_${a}_${suffix}`, v[k]!);
    });
  const intensity = (suffix: string, s: ReturnType<typeof stats>, prefix = "") => {
    d.set(`${prefix}mean_int_${suffix}`, s.mean);
    d.set(`${prefix}min_int_${suffix}`, s.min);
    d.set(`${prefix}max_int_${suffix}`, s.max);
  };
  const roiStep = (
    suffix: string,
    size: Vec3,
    values: ArrayLike<number>,
    int: Uint8Array,
    morph: Uint8Array,
  ) => {
    put("int_mask_dim", suffix, size);
    put("int_mask_bb_dim", suffix, boundingBox(int, size));
    put("morph_mask_bb_dim", suffix, boundingBox(morph, size));
    const s = stats(values, int);
    d.set(`int_mask_vox_count_${suffix}`, s.count);
    d.set(`morph_mask_vox_count_${suffix}`, stats(values, morph).count);
    intensity(suffix, s, "int_mask_");
  };
  put("img_dim", "init_img", image.size);
  put("vox_dim", "init_img", image.spacing);
  intensity("init_img", stats(image.data));
  put("img_dim", "interp_img", out.size);
  put("vox_dim", "interp_img", out.spacing);
  intensity("interp_img", stats(out.intensities));
  roiStep("init_roi", image.size, image.data, roi, roi);
  // After interpolation, before re-segmentation, the intensity mask is the morphological mask.
  roiStep("interp_roi", out.size, out.intensities, out.morphologicalMask, out.morphologicalMask);
  roiStep("reseg_roi", out.size, out.intensities, out.intensityMask, out.morphologicalMask);
  return d;
}

test("IBSI-1 CT phantom: processing diagnostics of configurations A-E", async (t) => {
  if (skipWithoutIbsi(t, "IBSI-1 CT phantom processing diagnostics")) return;
  const { image, mask } = await readCtPhantom();
  const roi = Uint8Array.from(mask.data, (v) => (v > 0 ? 1 : 0));
  const reference = readDiagnostics();
  const misses: string[] = [];
  for (const config of ["A", "B", "C", "D", "E"] as const) {
    const out = processImage(image, mask, IBSI_CT_CONFIGURATIONS[config]);
    const ours = diagnostics(image, roi, out);
    const rows = reference.get(config)!;
    assert.equal(rows.length, 60, `config ${config}: 60 diagnostics`);
    let agree = 0;
    for (const row of rows) {
      const got = ours.get(row.tag);
      assert.ok(got !== undefined, `config ${config}: no value for ${row.tag}`);
      if (agrees(got, row)) agree++;
      else
        misses.push(`${config} ${row.tag}: ours ${got}, IBSI ${row.printed} +- ${row.tolerance}`);
    }
    console.log(
      `IBSI-1 CT phantom processing diagnostics, config ${config}: ${agree} of ${rows.length} agree`,
    );
  }
  assert.deepEqual(misses, []);
});

/** The voxels of box (start, size) of an x-fastest array on a grid of `gridSize`. */
function boxValues<T extends Float64Array | Uint8Array>(
  data: T,
  gridSize: Vec3,
  start: Vec3,
  size: Vec3,
): T {
  const out = new (data.constructor as new (n: number) => T)(size[0] * size[1] * size[2]);
  for (let z = 0, o = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++)
      for (let x = 0; x < size[0]; x++, o++)
        out[o] = data[start[0] + x + gridSize[0] * (start[1] + y + gridSize[1] * (start[2] + z))]!;
  return out;
}

test("IBSI-1 CT phantom: processImageAroundRoi equals processImage in the region (B-E)", async (t) => {
  if (skipWithoutIbsi(t, "IBSI-1 CT phantom regional processing")) return;
  const { image, mask } = await readCtPhantom();
  for (const config of ["B", "C", "D", "E"] as const) {
    const settings = IBSI_CT_CONFIGURATIONS[config];
    const whole = processImage(image, mask, settings);
    const margin: Vec3 = [4, 4, config === "B" ? 2 : 4];
    const { image: part, region, gridSize } = processImageAroundRoi(image, mask, settings, margin);
    assert.deepEqual(gridSize, whole.size, `config ${config}: grid`);
    assert.deepEqual(part.size, region.size);
    assert.deepEqual(part.spacing, whole.spacing);
    const count = (m: Uint8Array) => m.reduce((n, v) => n + v, 0);
    const cut = <T extends Float64Array | Uint8Array>(data: T) =>
      boxValues(data, whole.size, region.start, region.size);
    // Every ROI voxel lies in the region, `margin` voxels from its faces that are not the grid's.
    assert.equal(count(part.morphologicalMask), count(whole.morphologicalMask));
    assert.deepEqual(part.morphologicalMask, cut(whole.morphologicalMask), `config ${config}`);
    assert.deepEqual(part.intensityMask, cut(whole.intensityMask), `config ${config}`);
    // Rounded intensities are equal, the cubic spline's included (crop margin 32 voxels).
    const wholeValues = cut(whole.intensities);
    let differ = 0;
    for (let i = 0; i < wholeValues.length; i++)
      if (part.intensities[i] !== wholeValues[i]) differ++;
    assert.equal(differ, 0, `config ${config}: ${differ} intensities differ`);
    const low: Vec3 = [...region.size];
    const high: Vec3 = [-1, -1, -1];
    for (let z = 0, i = 0; z < region.size[2]; z++)
      for (let y = 0; y < region.size[1]; y++)
        for (let x = 0; x < region.size[0]; x++, i++) {
          if (part.morphologicalMask[i] === 0) continue;
          [x, y, z].forEach((v, a) => {
            low[a] = Math.min(low[a]!, v);
            high[a] = Math.max(high[a]!, v);
          });
        }
    for (let a = 0; a < 3; a++) {
      const atGridStart = region.start[a] === 0;
      const atGridEnd = region.start[a]! + region.size[a]! === gridSize[a];
      assert.ok(atGridStart || low[a] === margin[a], `config ${config}: axis ${a} low margin`);
      assert.ok(
        atGridEnd || region.size[a]! - 1 - high[a]! === margin[a],
        `config ${config}: axis ${a} high margin`,
      );
    }
    console.log(
      `processImageAroundRoi, CT phantom config ${config}: region ${region.size.join("x")} of ${gridSize.join("x")}, ${part.intensities.length} intensities and both masks equal`,
    );
  }
});

test("regional interpolation: linear exact, cubic spline within SPLINE_CROP_MARGIN's bound", () => {
  // A 48 x 40 x 30 image of range R = 4000 (values -1000 .. 3000), 1 x 1 x 3 mm to 1.5 mm; the
  // region is an interior box of the new grid. Linear reads the same voxels with the same weights;
  // the cubic spline differs by at most 430 |z|^32 R = 430 x 4.9e-19 x 4000 = 8.4e-13.
  const size: Vec3 = [48, 40, 30];
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const data = Float64Array.from({ length: size[0] * size[1] * size[2] }, () =>
    Math.round(4000 * random() - 1000),
  );
  const grid = interpolationGrid(size, [1, 1, 3], [1.5, 1.5, 1.5]);
  assert.deepEqual(grid.size, [32, 27, 60]);
  const region = { start: [10, 8, 20] as Vec3, size: [9, 7, 15] as Vec3 };
  const linear = interpolateImageRegion(data, size, grid, "linear", false, region);
  const linearWhole = interpolateImage(data, size, grid, "linear", false);
  assert.deepEqual(linear, boxValues(linearWhole, grid.size, region.start, region.size));
  const cubic = interpolateImageRegion(data, size, grid, "cubic-spline", false, region);
  const cubicWhole = boxValues(
    interpolateImage(data, size, grid, "cubic-spline", false),
    grid.size,
    region.start,
    region.size,
  );
  let worst = 0;
  for (let i = 0; i < cubic.length; i++)
    worst = Math.max(worst, Math.abs(cubic[i]! - cubicWhole[i]!));
  assert.equal(SPLINE_CROP_MARGIN, 32);
  assert.ok(worst <= 8.4e-13, `cubic: ${worst}`);
  // The whole grid as a region is interpolateImage itself.
  const all = { start: [0, 0, 0] as Vec3, size: grid.size };
  assert.deepEqual(
    interpolateImageRegion(data, size, grid, "cubic-spline", true, all),
    interpolateImage(data, size, grid, "cubic-spline", true),
  );
});

test("processImageAroundRoi: the region is the ROI's box grown by the margin, clipped", () => {
  // 6 x 1 x 1 voxels of 2 mm, ROI = voxels 2 and 3; no interpolation. Margin 1: voxels 1..4;
  // margin 5: clipped to 0..5.
  const img = volume([10, 20, 30, 40, 50, 60], [6, 1, 1], [2, 2, 2]);
  const roi = volume([0, 0, 1, 1, 0, 0], [6, 1, 1], [2, 2, 2]);
  const settings: IbsiProcessingSettings = {
    interpolation: null,
    resegmentation: { range: null, outlierSigma: null },
  };
  const one = processImageAroundRoi(img, roi, settings, [1, 0, 0]);
  assert.deepEqual(one.region, { start: [1, 0, 0], size: [4, 1, 1] });
  assert.deepEqual([...one.image.intensities], [20, 30, 40, 50]);
  assert.deepEqual([...one.image.morphologicalMask], [0, 1, 1, 0]);
  const five = processImageAroundRoi(img, roi, settings, [5, 5, 5]);
  assert.deepEqual(five.region, { start: [0, 0, 0], size: [6, 1, 1] });
  // Linear interpolation to 1 mm (12 points at -1/4 + k/2): the ROI 0 0 1 1 0 0 interpolates to
  // fractions >= 0.5 at points 4..7 (indices 1.75, 2.25, 2.75, 3.25); with margin 1: points 3..8.
  const linear = processImageAroundRoi(
    img,
    roi,
    {
      interpolation: {
        inPlaneOnly: true,
        spacing: [1, 2],
        imageMethod: "linear",
        roundIntensities: false,
        roiMethod: "linear",
        partialVolumeThreshold: 0.5,
      },
      resegmentation: { range: null, outlierSigma: null },
    },
    [1, 0, 0],
  );
  assert.deepEqual(linear.region, { start: [3, 0, 0], size: [6, 1, 1] });
  assert.deepEqual([...linear.image.morphologicalMask], [0, 1, 1, 1, 1, 0]);
  // Points 3..8 at indices 1.25 .. 3.75, where the ramp is 10 (index + 1): 22.5, 27.5, ..., 47.5.
  assertClose(linear.image.intensities, [22.5, 27.5, 32.5, 37.5, 42.5, 47.5]);
  assert.throws(
    () => processImageAroundRoi(img, roi, settings, [-1, 0, 0]),
    /margin must be integers >= 0/,
  );
});

// ---------------------------------------------------------------------------------------------
// Hand-checkable cases

function volume(data: number[], size: Vec3, spacing: Vec3): Volume {
  return {
    data: Float64Array.from(data),
    size,
    spacing,
    origin: [0, 0, 0],
    direction: IDENTITY3,
    dimension: 3,
  };
}

function assertClose(got: ArrayLike<number>, want: number[], tol = 1e-12): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++)
    assert.ok(Math.abs(got[i]! - want[i]!) <= tol, `[${i}]: got ${got[i]}, want ${want[i]}`);
}

test("align grid centres: 5 voxels of 3 mm resampled to 2 mm", () => {
  // IBSI-1 026Q: n_b = ceil(5 * 3 / 2) = ceil(7.5) = 8. QCY4: step s_b/s_a = 2/3, first point
  // x_b,g = ((5 - 1) - (2/3)(8 - 1)) / 2 = (12/3 - 14/3) / 2 = -1/3 (world: -1 mm = (3*4 - 2*7)/2).
  const s = alignGridCentres(5, 3, 2);
  assert.equal(s.count, 8);
  assert.ok(Math.abs(s.step - 2 / 3) < 1e-15);
  assert.ok(Math.abs(s.start - -1 / 3) < 1e-15);
  // The grid centres coincide: first + last = -1/3 + (-1/3 + 7 * 2/3) = 4 = (0 + 4).
  assert.ok(Math.abs(2 * s.start + (s.count - 1) * s.step - 4) < 1e-12);
  // IBSI's own example (figure "Interpolation grids"): 4 x 4 voxels of 3 mm to 2 mm gives 6 x 6,
  // first point ((4 - 1) - (2/3)(6 - 1)) / 2 = (9/3 - 10/3) / 2 = -1/6.
  const e = alignGridCentres(4, 3, 2);
  assert.equal(e.count, 6);
  assert.ok(Math.abs(e.start - -1 / 6) < 1e-15);
  // Unchanged spacing keeps the grid: ceil(204 * 0.977 / 0.977) must be 204, not 205.
  assert.equal(alignGridCentres(204, 0.977, 0.977).count, 204);
  // Downsampling 7 voxels of 1 mm to 2 mm: ceil(3.5) = 4 points at 0, 2, 4, 6 ((6 - 2*3)/2 = 0).
  assert.deepEqual(alignGridCentres(7, 1, 2), { count: 4, start: 0, step: 2 });
});

test("linear interpolation of a ramp, with rounding", () => {
  // Ramp 0, 10, 20, 30, 40 at 3 mm; to 2 mm the points sit at index -1/3 + k 2/3:
  // -1/3 (before the first voxel: edge value 0), 1/3 -> 10/3, 1 -> 10, 5/3 -> 50/3, 7/3 -> 70/3,
  // 3 -> 30, 11/3 -> 110/3, 13/3 (past the last voxel: edge value 40).
  const ramp = Float64Array.from([0, 10, 20, 30, 40]);
  const grid = interpolationGrid([5, 1, 1], [3, 2, 2], [2, null, null]);
  assert.deepEqual(grid.size, [8, 1, 1]);
  assert.deepEqual(grid.spacing, [2, 2, 2]);
  const want = [0, 10 / 3, 10, 50 / 3, 70 / 3, 30, 110 / 3, 40];
  assertClose(interpolateImage(ramp, [5, 1, 1], grid, "linear", false), want);
  // Rounded: 3.33 -> 3, 16.67 -> 17, 23.33 -> 23, 36.67 -> 37.
  assertClose(
    interpolateImage(ramp, [5, 1, 1], grid, "linear", true),
    [0, 3, 10, 17, 23, 30, 37, 40],
  );
  // The same ramp along z, through processImage with 3D interpolation to 2 mm (x, y unchanged).
  const img = volume([0, 10, 20, 30, 40], [1, 1, 5], [2, 2, 3]);
  const mask = volume([1, 1, 1, 1, 1], [1, 1, 5], [2, 2, 3]);
  const out = processImage(img, mask, {
    interpolation: {
      inPlaneOnly: false,
      spacing: [2, 2, 2],
      imageMethod: "linear",
      roundIntensities: true,
      roiMethod: "linear",
      partialVolumeThreshold: 0.5,
    },
    resegmentation: { range: null, outlierSigma: null },
  });
  assert.deepEqual(out.size, [1, 1, 8]);
  assertClose(out.intensities, [0, 3, 10, 17, 23, 30, 37, 40]);
});

test("rounding to the nearest integer: halves to even, as numpy.round", () => {
  assert.deepEqual([2.5, 3.5, -2.5, -0.4, 1.49, -1.51].map(roundHalfToEven), [2, 4, -2, 0, 1, -2]);
});

test("ROI interpolation with the partial-volume threshold", () => {
  // Mask 0 1 1 0 at 3 mm to 2 mm: n_b = ceil(12/2) = 6, points at -1/6 + k 2/3:
  // -1/6 -> 0 (between 0 and the 0 outside), 1/2 -> (0 + 1)/2 = 0.5, 7/6 -> 1, 11/6 -> 1,
  // 5/2 -> (1 + 0)/2 = 0.5, 19/6 -> 0 (between 0 and the 0 outside).
  const mask = Uint8Array.from([0, 1, 1, 0]);
  const grid = interpolationGrid([4, 1, 1], [3, 1, 1], [2, null, null]);
  // delta 0.5 keeps the two 0.5 fractions (>= delta), even where floating point gives 0.4999...
  assert.deepEqual([...interpolateMask(mask, [4, 1, 1], grid, "linear", 0.5)], [0, 1, 1, 1, 1, 0]);
  assert.deepEqual([...interpolateMask(mask, [4, 1, 1], grid, "linear", 0.51)], [0, 0, 1, 1, 0, 0]);
  // Nearest neighbour: index round(x) -> 0 (from -1/6), 1 (1/2 rounds up), 1, 2, 3 (5/2 up), 3.
  assert.deepEqual([...interpolateMask(mask, [4, 1, 1], grid, "nearest", 0.5)], [0, 1, 1, 1, 0, 0]);
});

test("cubic B-spline interpolation: the cardinal cubic spline and the interpolation property", () => {
  // A unit impulse has B-spline coefficients c_k = sqrt(3) z^|k|, z = sqrt(3) - 2 (the inverse of
  // (1, 4, 1)/6). With beta3(1/2) = 23/48, beta3(3/2) = 1/48:
  // eta(1/2) = sqrt(3)/48 (23 (1 + z) + z + z^2) = (10 - 3 sqrt(3))/8 = 0.60048...,
  // eta(3/2) = sqrt(3)/48 (1 + 23 z + 23 z^2 + z^3) = (15 sqrt(3) - 27)/8 = -0.12738...
  // 42 voxels of 1 mm to 2 mm: 21 points at 1/2 + 2k ((41 - 2*20)/2 = 1/2); impulse at index 20.
  const impulse = new Float64Array(42);
  impulse[20] = 1;
  const grid = interpolationGrid([42, 1, 1], [1, 1, 1], [2, null, null]);
  const out = interpolateImage(impulse, [42, 1, 1], grid, "cubic-spline", false);
  assert.ok(Math.abs(out[10]! - (10 - 3 * Math.sqrt(3)) / 8) < 1e-9, `eta(1/2): ${out[10]}`);
  assert.ok(Math.abs(out[9]! - (15 * Math.sqrt(3) - 27) / 8) < 1e-9, `eta(3/2): ${out[9]}`);
  // The spline passes through the samples: 7 voxels to 2 mm samples indices 0, 2, 4, 6.
  const samples = Float64Array.from([3, -1, 4, 1, -5, 9, 2]);
  const g7 = interpolationGrid([7, 1, 1], [1, 1, 1], [2, null, null]);
  assertClose(interpolateImage(samples, [7, 1, 1], g7, "cubic-spline", false), [3, 4, -5, 2], 1e-9);
  // Far from the edges a cubic spline reproduces a linear ramp: 40 voxels 5 i, 1 mm to 0.5 mm puts
  // points at -1/4 + k/2; point 41 is at index 20.25 -> 101.25.
  const ramp = Float64Array.from({ length: 40 }, (_, i) => 5 * i);
  const g40 = interpolationGrid([40, 1, 1], [1, 1, 1], [0.5, null, null]);
  assert.ok(
    Math.abs(interpolateImage(ramp, [40, 1, 1], g40, "cubic-spline", false)[41]! - 101.25) < 1e-9,
  );
});

test("interpolation is separable: a product of three lines resamples to the product of their resamplings", () => {
  // v(x, y, z) = a(x) b(y) c(z) on 23 x 19 x 7 voxels (133 rows: several blocks of the x pass's 16
  // lanes; lines longer and shorter than the spline prefilter's 48-term initial sum once padded).
  // Each pass is a linear map along one axis, so the result is A(x') B(y') C(z'), A, B, C the
  // lines resampled alone (float64 rounding apart).
  const size: Vec3 = [23, 19, 7];
  const line = (n: number, f: (i: number) => number) =>
    Float64Array.from({ length: n }, (_, i) => f(i));
  const a = line(23, (i) => 1 + Math.sin(i / 3));
  const b = line(19, (i) => 2 + ((i * 7) % 5));
  const c = line(7, (i) => 0.5 + i * i);
  const volume = new Float64Array(23 * 19 * 7);
  for (let z = 0, k = 0; z < 7; z++)
    for (let y = 0; y < 19; y++)
      for (let x = 0; x < 23; x++, k++) volume[k] = a[x]! * b[y]! * c[z]!;
  for (const method of ["nearest", "linear", "cubic-spline"] as const) {
    for (const newSpacing of [
      [0.7, 1.3, 0.9],
      [1.6, 0.8, null],
    ] as [number, number, number | null][]) {
      const grid = interpolationGrid(size, [1, 1, 1], newSpacing);
      const out = interpolateImage(volume, size, grid, method, false);
      const along = (values: Float64Array, axis: 0 | 1 | 2) => {
        const s = newSpacing[axis];
        if (s === null) return values;
        const g = interpolationGrid([values.length, 1, 1], [1, 1, 1], [s, null, null]);
        return interpolateImage(values, [values.length, 1, 1], g, method, false);
      };
      const [A, B, C] = [along(a, 0), along(b, 1), along(c, 2)];
      assert.deepEqual(grid.size, [A.length, B.length, C.length]);
      let worst = 0;
      for (let z = 0, k = 0; z < C.length; z++)
        for (let y = 0; y < B.length; y++)
          for (let x = 0; x < A.length; x++, k++) {
            const want = A[x]! * B[y]! * C[z]!;
            worst = Math.max(worst, Math.abs(out[k]! - want) / Math.max(1, Math.abs(want)));
          }
      assert.ok(worst < 1e-12, `${method} to ${newSpacing}: worst relative difference ${worst}`);
    }
  }
});

test("re-segmentation: inclusive range, open ends, 3 sigma and their intersection", () => {
  const roi = new Uint8Array(5).fill(1);
  const x = Float64Array.from([-600, -500, 0, 400, 401]);
  // [-500, 400] keeps -500 and 400 (closed interval).
  assert.deepEqual(
    [...resegment(x, roi, { range: { lower: -500, upper: 400 }, outlierSigma: null })],
    [0, 1, 1, 1, 0],
  );
  // [0, infinity).
  assert.deepEqual(
    [...resegment(x, roi, { range: { lower: 0 }, outlierSigma: null })],
    [0, 0, 1, 1, 1],
  );
  // Ten 0s and one 100: mean 100/11 = 9.09, population SD = sqrt((10 (100/11)^2 + (1000/11)^2)/11)
  // = 100 sqrt(10)/11 = 28.75; mean + 3 SD = (100 + 300 sqrt(10))/11 = 95.33 < 100: 100 is an outlier.
  const ten = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const y = Float64Array.from([...ten, 100]);
  const all11 = new Uint8Array(11).fill(1);
  assert.deepEqual(
    [...resegment(y, all11, { range: null, outlierSigma: 3 })],
    [...ten.map(() => 1), 0],
  );
  // Both: mean and SD come from the whole ROI, then the ranges intersect (IBSI IF9H). Ten 0s, 60 and
  // 1000: mean 1060/12 = 88.33, SD = sqrt((10 * 88.33^2 + 28.33^2 + 911.67^2)/12) = 275.4, so
  // 3 sigma keeps [-737.8, 914.5]; with [-1000, 500] the bounds are [-737.8, 500]: 60 stays, 1000
  // goes. (Range first, then 3 sigma of ten 0s and 60 would drop 60: 60/11 + 3 * 60 sqrt(10)/11 = 57.2.)
  const z = Float64Array.from([...ten, 60, 1000]);
  const all12 = new Uint8Array(12).fill(1);
  assert.deepEqual(
    [...resegment(z, all12, { range: { lower: -1000, upper: 500 }, outlierSigma: 3 })],
    [...ten.map(() => 1), 1, 0],
  );
  // Voxels outside the ROI stay out.
  assert.deepEqual(
    [
      ...resegment(x, Uint8Array.from([0, 1, 0, 1, 1]), {
        range: { lower: -500, upper: 400 },
        outlierSigma: null,
      }),
    ],
    [0, 1, 0, 1, 0],
  );
});

function ibsiImage(values: number[], mask: number[]): IbsiImage {
  return {
    size: [values.length, 1, 1],
    spacing: [1, 1, 1],
    intensities: Float64Array.from(values),
    morphologicalMask: Uint8Array.from(mask),
    intensityMask: Uint8Array.from(mask),
  };
}

test("discretisation: fixed bin size and fixed bin number", () => {
  // FBS, w = 25 from -500: (x + 500)/25 = 0, 0.96, 1, 2, 20, 36 -> floor + 1 = 1, 1, 2, 3, 21, 37;
  // the last voxel is outside the intensity mask -> 0. nLevels = highest bin = 21.
  const a = ibsiImage([-500, -476, -475, -450, 0, 400], [1, 1, 1, 1, 1, 0]);
  const fbs = discretise(a, { method: "FBS", binWidth: 25, lowerBound: -500 });
  assert.deepEqual([...fbs.levels], [1, 1, 2, 3, 21, 0]);
  assert.equal(fbs.nLevels, 21);
  // FBS without a lower bound starts at the mask minimum 3: (x - 3)/5 = 0, 0.8, 1.8 -> 1, 1, 2.
  const b = discretise(ibsiImage([3, 7, 12], [1, 1, 1]), { method: "FBS", binWidth: 5 });
  assert.deepEqual([...b.levels], [1, 1, 2]);
  assert.equal(b.nLevels, 2);
  // FBN, N_g = 4 over [0, 10]: 4 x / 10 = 0, 0.4, 1, 2 -> 1, 1, 2, 3; x = X_max = 10 -> 4.
  const c = discretise(ibsiImage([0, 1, 2.5, 5, 10, 99], [1, 1, 1, 1, 1, 0]), {
    method: "FBN",
    binCount: 4,
  });
  assert.deepEqual([...c.levels], [1, 1, 2, 3, 4, 0]);
  assert.equal(c.nLevels, 4);
  // FBN of 32 bins over [-1000, 400]: x = -300 -> floor(32 * 700 / 1400) + 1 = 17 (exactly on an edge).
  const d = discretise(ibsiImage([-1000, -300, 400], [1, 1, 1]), { method: "FBN", binCount: 32 });
  assert.deepEqual([...d.levels], [1, 17, 32]);
  // A constant ROI is all X_max: bin N_g.
  assert.deepEqual(
    [...discretise(ibsiImage([5, 5], [1, 1]), { method: "FBN", binCount: 8 }).levels],
    [8, 8],
  );
});

test("bad settings throw IbsiSettingError naming the setting", () => {
  const base = IBSI_CT_CONFIGURATIONS.C;
  const img = volume([0, 10, 20, 30], [2, 2, 1], [1, 1, 1]);
  const mask = volume([1, 1, 0, 0], [2, 2, 1], [1, 1, 1]);
  const interp = base.interpolation!;
  const bad = (
    settings: unknown,
    message: RegExp,
    image = volume([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], [1, 1, 1]),
  ) =>
    assert.throws(
      () =>
        processImage(
          image,
          volume([1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2], [1, 1, 1]),
          settings as IbsiProcessingSettings,
        ),
      (e: unknown) => e instanceof IbsiSettingError && message.test(e.message),
    );
  bad(
    { ...base, interpolation: { ...interp, spacing: [2, -2, 2] } },
    /^interpolation\.spacing: must be positive, got -2$/,
  );
  bad(
    { ...base, interpolation: { ...interp, spacing: [2, 2] } },
    /^interpolation\.spacing: 3D interpolation takes 3 spacings/,
  );
  bad(
    { ...base, interpolation: { ...interp, inPlaneOnly: true } },
    /^interpolation\.spacing: in-plane interpolation takes 2 spacings/,
  );
  bad(
    { ...base, interpolation: { ...interp, imageMethod: "bicubic" } },
    /^interpolation\.imageMethod: must be one of/,
  );
  bad(
    { ...base, interpolation: { ...interp, partialVolumeThreshold: undefined } },
    /^interpolation\.partialVolumeThreshold: missing/,
  );
  bad(
    { ...base, interpolation: { ...interp, partialVolumeThreshold: 0 } },
    /^interpolation\.partialVolumeThreshold: must be in \(0, 1\], got 0$/,
  );
  bad(
    { ...base, interpolation: { ...interp, roiMethod: "nearest" } },
    /^interpolation\.partialVolumeThreshold: only for roiMethod "linear"/,
  );
  bad(
    { ...base, interpolation: { ...interp, roundIntensities: "yes" } },
    /^interpolation\.roundIntensities:/,
  );
  bad({ resegmentation: base.resegmentation }, /^interpolation: missing/);
  bad({ interpolation: null }, /^resegmentation: missing/);
  bad(
    {
      interpolation: null,
      resegmentation: { range: { lower: 400, upper: -500 }, outlierSigma: null },
    },
    /^resegmentation\.range: lower 400 exceeds upper -500$/,
  );
  bad(
    { interpolation: null, resegmentation: { range: {}, outlierSigma: null } },
    /^resegmentation\.range: give lower, upper or both/,
  );
  bad(
    { interpolation: null, resegmentation: { range: { lower: Number.NaN }, outlierSigma: null } },
    /^resegmentation\.range\.lower: must be a finite number/,
  );
  bad(
    { interpolation: null, resegmentation: { range: null, outlierSigma: 0 } },
    /^resegmentation\.outlierSigma: must be a positive number, got 0$/,
  );
  bad(
    { interpolation: null, resegmentation: { range: null } },
    /^resegmentation\.outlierSigma: missing/,
  );
  // A one-slice image cannot be interpolated in 3D.
  assert.throws(
    () => processImage(img, mask, base),
    (e: unknown) => e instanceof IbsiSettingError && /^interpolation\.inPlaneOnly:/.test(e.message),
  );
  // Discretisation settings.
  const im = ibsiImage([1, 2, 3], [1, 1, 1]);
  const badDisc = (settings: unknown, message: RegExp) =>
    assert.throws(
      () => discretise(im, settings as Parameters<typeof discretise>[1]),
      (e: unknown) => e instanceof IbsiSettingError && message.test(e.message),
    );
  badDisc(
    { method: "FBS", binWidth: 0 },
    /^discretisation\.binWidth: must be a positive number, got 0$/,
  );
  badDisc(
    { method: "FBN", binCount: 2.5 },
    /^discretisation\.binCount: must be a positive integer, got 2\.5$/,
  );
  badDisc(
    { method: "FBN", binCount: 8, binWidth: 25 },
    /^discretisation\.binWidth: not a setting of FBN/,
  );
  badDisc({ method: "fixed" }, /^discretisation\.method: must be "FBS" or "FBN"/);
  badDisc(
    { method: "FBS", binWidth: 1, lowerBound: 2 },
    /^discretisation\.lowerBound: 2 exceeds the lowest intensity/,
  );
  // Data errors (not settings) are plain errors that say what is wrong.
  assert.throws(
    () => processImage(img, volume([0, 0, 0, 0], [2, 2, 1], [1, 1, 1]), IBSI_CT_CONFIGURATIONS.A),
    /no ROI voxel/,
  );
  assert.throws(
    () => processImage(img, volume([1, 1], [2, 1, 1], [1, 1, 1]), IBSI_CT_CONFIGURATIONS.A),
    /mask size 2 x 1 x 1 differs/,
  );
  assert.throws(
    () => discretise(ibsiImage([1, 2], [0, 0]), { method: "FBN", binCount: 4 }),
    /intensity mask is empty/,
  );
});
