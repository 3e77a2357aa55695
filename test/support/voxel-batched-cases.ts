/**
 * Random voxel-based cases for the batched class computations (src/extract/voxel/): small grids
 * with their kernels as src/extract/voxel.ts builds them, and each kernel's DiscretisedRoi as its
 * per-kernel path builds it, so that a test compares a batched class with the segment-based class
 * function applied kernel by kernel.
 */
import assert from "node:assert/strict";
import type { VoxelClassCompute, VoxelGrid, VoxelKernels } from "../../src/extract/voxel/types.js";
import type {
  DiscretisedRoi,
  FeatureClassInfo,
  FeatureValues,
  TextureSettings,
} from "../../src/features/types.js";
import { cropRoi } from "../../src/image/mask.js";
import type { Vec3 } from "../../src/image/volume.js";
import { mulberry32 } from "./seeded-random.js";

export const seeded = mulberry32;

export interface VoxelCase {
  grid: VoxelGrid;
  kernels: VoxelKernels;
  texture: TextureSettings;
  /** Each kernel's DiscretisedRoi, as voxel.ts's per-kernel loop builds it. */
  kernelRois: DiscretisedRoi[];
  describe: string;
}

/** The gray levels present under a mask, ascending. */
function presentLevels(levels: Int32Array, mask: Uint8Array): Int32Array {
  const seen = new Set<number>();
  for (let k = 0; k < levels.length; k++) if (mask[k] !== 0) seen.add(levels[k]!);
  return Int32Array.from([...seen].sort((a, b) => a - b));
}

/**
 * A case from its grid, ROI and settings: the discretisation mask (the ROI with maskedKernel, all
 * ones otherwise), the kernels (one per ROI voxel, boxes as cmatrices' set_bb) and their ROIs.
 */
export function voxelCase(
  size: Vec3,
  dimension: 2 | 3,
  levels: Int32Array,
  roi: Uint8Array,
  radius: number,
  maskedKernel: boolean,
  texture: TextureSettings,
  spacing: Vec3 = [1, 1, 1],
): VoxelCase {
  const [nx, ny, nz] = size;
  const mask = maskedKernel ? roi : new Uint8Array(roi.length).fill(1);
  const roiGrayLevels = presentLevels(levels, mask);
  const nLevels = roiGrayLevels[roiGrayLevels.length - 1] ?? 0;
  const flatAxis = !texture.force2D
    ? -1
    : dimension === 2
      ? 1 - texture.force2Ddimension
      : 2 - texture.force2Ddimension;
  const centres: number[] = [];
  const boxes: number[] = [];
  const kernelRois: DiscretisedRoi[] = [];
  for (let v = 0; v < roi.length; v++) {
    if (roi[v] === 0) continue;
    const c = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
    const n = [nx, ny, nz];
    const lower = c.map((p, a) => (a === flatAxis ? p : Math.max(p - radius, 0))) as Vec3;
    const upper = c.map((p, a) => (a === flatAxis ? p : Math.min(p + radius, n[a]! - 1))) as Vec3;
    centres.push(v);
    boxes.push(...lower, ...upper);
    kernelRois.push({
      levels: cropRoi(levels, size, { lower, upper }),
      mask: cropRoi(mask, size, { lower, upper }),
      size: [upper[0] - lower[0] + 1, upper[1] - lower[1] + 1, upper[2] - lower[2] + 1],
      spacing,
      nLevels,
      dimension,
      roiGrayLevels,
    });
  }
  return {
    grid: {
      levels,
      values: Float64Array.from(levels),
      mask,
      size,
      spacing,
      dimension,
      nLevels,
      roiGrayLevels,
      voxelArrayShift: 0,
    },
    kernels: {
      centres: Int32Array.from(centres),
      boxes: Int32Array.from(boxes),
      offsets: new Int32Array(0),
      maskedKernel,
    },
    texture,
    kernelRois,
    describe: `size ${size.join("x")} dim ${dimension} r ${radius} masked ${maskedKernel} force2D ${texture.force2D}/${texture.force2Ddimension} norm ${texture.weightingNorm}`,
  };
}

/**
 * A random case: sizes 1..6 per axis (one-slice images and true 2D ones included), a random ROI
 * (sometimes a single voxel, often disconnected), levels 1..L for a random L, kernelRadius 1 or 2,
 * maskedKernel either way; `settings` draws the class's settings.
 */
export function randomVoxelCase(
  random: () => number,
  settings: (random: () => number) => TextureSettings,
): VoxelCase {
  const pick = (n: number) => Math.floor(random() * n);
  const dimension: 2 | 3 = random() < 0.25 ? 2 : 3;
  const size: Vec3 = [1 + pick(6), 1 + pick(6), dimension === 2 ? 1 : 1 + pick(6)];
  const total = size[0] * size[1] * size[2];
  const roi = new Uint8Array(total);
  if (random() < 0.15) {
    roi[pick(total)] = 1;
  } else {
    const density = 0.2 + 0.8 * random();
    for (let k = 0; k < total; k++) roi[k] = random() < density ? 1 : 0;
    roi[pick(total)] = 1;
  }
  const maxLevel = 1 + pick(random() < 0.5 ? 3 : 8);
  const levels = Int32Array.from({ length: total }, () => 1 + pick(maxLevel));
  const maskedKernel = random() < 0.6;
  // With maskedKernel only the ROI is discretised: the levels elsewhere are never read.
  if (maskedKernel && random() < 0.5) for (let k = 0; k < total; k++) if (!roi[k]) levels[k] = 0;
  const spacing: Vec3 = [0.5 + random(), 0.5 + random(), 0.5 + 2 * random()];
  return voxelCase(
    size,
    dimension,
    levels,
    roi,
    1 + pick(2),
    maskedKernel,
    settings(random),
    spacing,
  );
}

/** A random selection of a class's features (sometimes all, in PyRadiomics order). */
export function randomNames(random: () => number, info: FeatureClassInfo): string[] {
  const all = [...info.features];
  if (random() < 0.4) return all;
  const names = all.filter(() => random() < 0.4);
  // A deprecated feature, asked explicitly, gives no value (resolveFeatureNames drops it).
  if (info.deprecated.length > 0 && random() < 0.5) names.push(info.deprecated[0]!);
  return names.length > 0 ? names : [all[Math.floor(random() * all.length)]!];
}

/** Sentinel for map cells the batched computation must not write. */
const UNWRITTEN = -12345.5;

/**
 * Asserts that the batched computation gives, for every kernel and name, bit for bit the value
 * the segment-based class function gives on the kernel's DiscretisedRoi (NaN where it is NaN),
 * writes only the kernels' centres, and throws exactly when that function throws, with its message.
 */
export function assertBatchedMatches(
  c: VoxelCase,
  names: readonly string[],
  batched: VoxelClassCompute,
  perKernel: (roi: DiscretisedRoi, s: TextureSettings, names: readonly string[]) => FeatureValues,
): void {
  const cells = c.grid.levels.length;
  const out = names.map(() => new Float64Array(cells).fill(UNWRITTEN));
  let expected: FeatureValues[];
  try {
    expected = c.kernelRois.map((roi) => perKernel(roi, c.texture, names));
  } catch (e) {
    assert.throws(() => batched(c.grid, c.kernels, c.texture, names, out), {
      message: (e as Error).message,
    });
    return;
  }
  batched(c.grid, c.kernels, c.texture, names, out);
  const centre = new Set(c.kernels.centres);
  names.forEach((name, i) => {
    const map = out[i]!;
    for (let v = 0; v < cells; v++) {
      if (!centre.has(v)) assert.equal(map[v], UNWRITTEN, `${c.describe}: ${name} wrote ${v}`);
    }
    c.kernels.centres.forEach((v, k) => {
      const want = expected[k]![name];
      const got = map[v]!;
      if (want === undefined) {
        assert.equal(got, UNWRITTEN, `${c.describe}: ${name} (no value) written at kernel ${k}`);
      } else if (!Object.is(got, want)) {
        assert.fail(`${c.describe}: ${name} at kernel ${k} (voxel ${v}): ${got} != ${want}`);
      }
    });
  });
}
