/**
 * Batched voxel-based first order (src/extract/voxel/firstorder.ts, VOXEL_CLASS_COMPUTE.firstorder)
 * against the per-kernel path of src/extract/voxel.ts: on random small grids, every kernel's
 * values and levels gathered in offset order (centre + offset inside the grid, and inside the mask
 * with maskedKernel) and computeFirstOrderFeatures on them must give each map value bit for bit;
 * plus a hand-computed grid.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { VOXEL_CLASS_COMPUTE } from "../src/extract/voxel/classes.js";
import { computeVoxelFirstOrder } from "../src/extract/voxel/firstorder.js";
import type { VoxelGrid, VoxelKernels } from "../src/extract/voxel/types.js";
import { angleCount, generateAngles } from "../src/features/angles.js";
import { computeFirstOrderFeatures, FIRSTORDER_CLASS } from "../src/features/firstorder.js";
import { enabledFeatureNames } from "../src/features/registry.js";
import type { TextureSettings } from "../src/features/types.js";
import type { Vec3 } from "../src/image/volume.js";
import { mulberry32 } from "./support/seeded-random.js";
import { presentLevels, randomGridAndRoi } from "./support/voxel-batched-cases.js";

/** First order reads no texture setting. */
const TEXTURE = {} as TextureSettings;

/** As voxel.ts's kernelOffsets: build_angles' offsets (x, y, z), then the centre. */
function kernelOffsets(sizeXyz: readonly number[], radius: number, force2D: number): Int32Array {
  const opts = {
    shape: [2, 1, 0].map((a) => Math.min(sizeXyz[a]!, 2 * radius + 1)),
    distances: Array.from({ length: radius }, (_, k) => k + 1),
    bidirectional: true,
    force2Ddimension: force2D,
  };
  const angles = angleCount(opts) > 0 ? generateAngles(opts) : [];
  return Int32Array.from([...angles.flatMap(([z, y, x]) => [x!, y!, z!]), 0, 0, 0]);
}

/** voxel.ts's per-kernel first order: values and levels of centre + offsets, in offset order. */
function perKernelMaps(
  grid: VoxelGrid,
  kernels: VoxelKernels,
  names: readonly string[],
  init: number,
): Float64Array[] {
  const [nx, ny, nz] = grid.size;
  const out = names.map(() => new Float64Array(nx * ny * nz).fill(init));
  const values = new Float64Array(kernels.offsets.length / 3);
  const levels = new Int32Array(kernels.offsets.length / 3);
  for (const v of kernels.centres) {
    const x = v % nx;
    const y = Math.floor(v / nx) % ny;
    const z = Math.floor(v / (nx * ny));
    let n = 0;
    for (let o = 0; o < kernels.offsets.length; o += 3) {
      const kx = x + kernels.offsets[o]!;
      const ky = y + kernels.offsets[o + 1]!;
      const kz = z + kernels.offsets[o + 2]!;
      if (kx < 0 || ky < 0 || kz < 0 || kx >= nx || ky >= ny || kz >= nz) continue;
      const k = kx + nx * (ky + ny * kz);
      if (kernels.maskedKernel && grid.mask[k] === 0) continue;
      values[n] = grid.values[k]!;
      levels[n] = grid.levels[k]!;
      n++;
    }
    const features = computeFirstOrderFeatures(
      {
        values: values.subarray(0, n),
        levels: levels.subarray(0, n),
        spacing: grid.spacing,
        dimension: grid.dimension,
        voxelArrayShift: grid.voxelArrayShift,
      },
      names,
    );
    names.forEach((name, i) => {
      const value = features[name];
      if (value !== undefined) out[i]![v] = value;
    });
  }
  return out;
}

function batchedMaps(
  grid: VoxelGrid,
  kernels: VoxelKernels,
  names: readonly string[],
  init: number,
): Float64Array[] {
  const out = names.map(() => new Float64Array(grid.levels.length).fill(init));
  computeVoxelFirstOrder(grid, kernels, TEXTURE, names, out);
  return out;
}

/** A random grid, ROI and kernel table as voxel.ts builds them (values of several kinds). */
function randomCase(random: () => number): {
  grid: VoxelGrid;
  kernels: VoxelKernels;
} {
  const pick = <T>(options: readonly T[]): T => options[Math.floor(random() * options.length)]!;
  const { size, dimension, roi } = randomGridAndRoi(random);
  const count = roi.length;
  const maskedKernel = random() < 0.6;
  const mask = maskedKernel ? roi : new Uint8Array(count).fill(1);
  // Values: doubles of either sign, a few repeated values, or integers.
  const kind = pick(["doubles", "repeated", "integers", "constant"]);
  const pool = Array.from({ length: 3 }, () => (random() - 0.5) * 200);
  const constant = (random() - 0.5) * 50;
  const values = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    values[k] =
      kind === "doubles"
        ? (random() - 0.5) * 10 ** Math.floor(random() * 6 - 2)
        : kind === "repeated"
          ? pick(pool)
          : kind === "integers"
            ? Math.floor(random() * 21) - 10
            : constant;
  }
  // Levels: 1..nLevels where the discretisation mask is 1, junk elsewhere (never read).
  const nLevels = pick([1, 3, 5, 30, 40000]);
  const levels = new Int32Array(count);
  for (let k = 0; k < count; k++)
    levels[k] = mask[k] !== 0 ? 1 + Math.floor(random() * nLevels) : -7;
  const roiGrayLevels = presentLevels(levels, mask);
  // Kernel offsets: sized by the ROI's box with maskedKernel, else by the grid.
  const lower = [Infinity, Infinity, Infinity];
  const upper = [-Infinity, -Infinity, -Infinity];
  const centres: number[] = [];
  for (let k = 0; k < count; k++) {
    if (roi[k] === 0) continue;
    centres.push(k);
    const c = [k % size[0], Math.floor(k / size[0]) % size[1], Math.floor(k / (size[0] * size[1]))];
    for (let a = 0; a < 3; a++) {
      lower[a] = Math.min(lower[a]!, c[a]!);
      upper[a] = Math.max(upper[a]!, c[a]!);
    }
  }
  const roiBox = [0, 1, 2].map((a) => upper[a]! - lower[a]! + 1);
  const radius = pick([1, 2]);
  const force2D = pick([-1, -1, 0, 1, 2]);
  const offsets = kernelOffsets(maskedKernel ? roiBox : size, radius, force2D);
  const spacing: Vec3 = [0.5 + random(), 0.5 + random(), 0.5 + 3 * random()];
  return {
    grid: {
      levels,
      values,
      mask,
      size,
      spacing,
      dimension,
      nLevels: roiGrayLevels[roiGrayLevels.length - 1] ?? 0,
      roiGrayLevels,
      voxelArrayShift: pick([0, 1000]),
    },
    kernels: {
      centres: Int32Array.from(centres),
      boxes: new Int32Array(6 * centres.length),
      offsets,
      maskedKernel,
    },
  };
}

test("batched first order is registered for the voxel-based driver", () => {
  assert.equal(VOXEL_CLASS_COMPUTE.firstorder, computeVoxelFirstOrder);
});

test("batched first order equals the per-kernel computation bit for bit on random grids", () => {
  const random = mulberry32(20261207);
  const all = FIRSTORDER_CLASS.features;
  const defaults = enabledFeatureNames(FIRSTORDER_CLASS, null);
  // The deprecated feature is not among the default names, so its map is never made unasked.
  for (const deprecated of FIRSTORDER_CLASS.deprecated) assert.ok(!defaults.includes(deprecated));
  const init = -123.25;
  for (let trial = 0; trial < 400; trial++) {
    const { grid, kernels } = randomCase(random);
    // Every feature (the deprecated one named explicitly), the defaults, or a random subset.
    const which = trial % 3;
    const names =
      which === 0 ? all : which === 1 ? defaults : all.filter(() => random() < 0.3).reverse();
    const expected = perKernelMaps(grid, kernels, names, init);
    const actual = batchedMaps(grid, kernels, names, init);
    names.forEach((name, i) => {
      for (let v = 0; v < actual[i]!.length; v++) {
        if (!Object.is(actual[i]![v], expected[i]![v]))
          assert.fail(
            `trial ${trial} ${name} voxel ${v}: batched ${actual[i]![v]}, per kernel ${expected[i]![v]}`,
          );
      }
    });
  }
});

test("batched first order matches hand-computed values", () => {
  // A 3 x 1 x 1 grid, values 1 2 4 (levels 1 1 2), every voxel in the ROI, spacing 2 x 1 x 1
  // (voxel volume 2), kernel radius 1 along x: offsets +1, -1, then the centre.
  const grid: VoxelGrid = {
    levels: Int32Array.from([1, 1, 2]),
    values: Float64Array.from([1, 2, 4]),
    mask: Uint8Array.from([1, 1, 1]),
    size: [3, 1, 1],
    spacing: [2, 1, 1],
    dimension: 3,
    nLevels: 2,
    roiGrayLevels: Int32Array.from([1, 2]),
    voxelArrayShift: 0,
  };
  const kernels: VoxelKernels = {
    centres: Int32Array.from([0, 1]),
    boxes: new Int32Array(12),
    offsets: Int32Array.from([1, 0, 0, -1, 0, 0, 0, 0, 0]),
    maskedKernel: true,
  };
  const names = FIRSTORDER_CLASS.features;
  const maps = batchedMaps(grid, kernels, names, Number.NaN);
  const at = (name: string, v: number) => maps[names.indexOf(name)]![v]!;
  const close = (actual: number, expected: number, what: string) =>
    assert.ok(
      Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
      `${what}: ${actual}, expected ${expected}`,
    );
  // Kernel at x = 0: X = (2, 1) (x = 1, then the centre; x = -1 is off the grid), levels (1, 1).
  // Mean 1.5; deviations +-0.5: m2 = 0.25, m3 = 0, m4 = 0.0625, MAD 0.5; Energy 4 + 1 = 5,
  // TotalEnergy 5 * 2 = 10, RMS sqrt(5 / 2); numpy linear percentiles on (1, 2) at h = q / 100:
  // P10 = 1.1, P25 = 1.25, P75 = 1.75, P90 = 1.9, so IQR = 0.5; no value lies in [P10, P90]
  // (1 < 1.1, 2 > 1.9), so rMAD is the mean of nothing, NaN (0 / 0, numpy's empty mean);
  // p = (1): Uniformity 1, Entropy = -log2(1 + eps) = -eps / ln 2 (to first order).
  const first: Record<string, number> = {
    "10Percentile": 1.1,
    "90Percentile": 1.9,
    Energy: 5,
    Entropy: -Number.EPSILON / Math.LN2,
    InterquartileRange: 0.5,
    Kurtosis: 0.0625 / 0.25 ** 2,
    Maximum: 2,
    MeanAbsoluteDeviation: 0.5,
    Mean: 1.5,
    Median: 1.5,
    Minimum: 1,
    Range: 1,
    RootMeanSquared: Math.sqrt(2.5),
    Skewness: 0,
    StandardDeviation: 0.5,
    TotalEnergy: 10,
    Uniformity: 1,
    Variance: 0.25,
  };
  for (const [name, value] of Object.entries(first)) close(at(name, 0), value, `x=0 ${name}`);
  assert.ok(Number.isNaN(at("RobustMeanAbsoluteDeviation", 0)));
  // Kernel at x = 1: X = (4, 1, 2), levels (2, 1, 1). Mean 7/3; deviations 5/3, -4/3, -1/3:
  // m2 = (25 + 16 + 1) / 27 = 14/9, m3 = (125 - 64 - 1) / 81 = 60/81, m4 = (625 + 256 + 1) / 243;
  // MAD = (5 + 4 + 1) / 9 = 10/9; Energy 16 + 1 + 4 = 21; sorted (1, 2, 4): median 2, P10 at
  // h = 0.2: 1.2, P25 at 0.5: 2 - 1 * 0.5 = 1.5, P75 at 1.5: 4 - 2 * 0.5 = 3, P90 at 1.8:
  // 4 - 2 * 0.2 = 3.6; within [1.2, 3.6] only 2 is kept: rMAD 0; p = (2/3, 1/3): Uniformity 5/9,
  // Entropy = log2(3) - 2/3.
  const m2 = 14 / 9;
  const second: Record<string, number> = {
    "10Percentile": 1.2,
    "90Percentile": 3.6,
    Energy: 21,
    Entropy: Math.log2(3) - 2 / 3,
    InterquartileRange: 1.5,
    Kurtosis: 882 / 243 / m2 ** 2,
    Maximum: 4,
    MeanAbsoluteDeviation: 10 / 9,
    Mean: 7 / 3,
    Median: 2,
    Minimum: 1,
    Range: 3,
    RobustMeanAbsoluteDeviation: 0,
    RootMeanSquared: Math.sqrt(7),
    Skewness: 60 / 81 / m2 ** 1.5,
    StandardDeviation: Math.sqrt(m2),
    TotalEnergy: 42,
    Uniformity: 5 / 9,
    Variance: m2,
  };
  for (const [name, value] of Object.entries(second)) close(at(name, 1), value, `x=1 ${name}`);
  // Not a kernel centre: untouched.
  for (const map of maps) assert.ok(Number.isNaN(map[2]!));
});
