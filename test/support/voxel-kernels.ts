/**
 * Random voxel-based cases for the batched class computations (src/extract/voxel/): a small grid,
 * its discretisation mask and ROI, every kernel laid out as src/extract/voxel.ts lays them out
 * (VoxelGrid, VoxelKernels), and the maps the per-kernel path gives (the segment-based class
 * function on each kernel's DiscretisedRoi, built as voxel.ts builds it), to compare with the
 * batched maps bit for bit.
 */
import assert from "node:assert/strict";
import type { DiscretisedRoi, FeatureValues, TextureSettings } from "../../src/features/types.js";
import { DEFAULT_TEXTURE_SETTINGS } from "../../src/features/types.js";
import { type BoundingBox, cropRoi } from "../../src/image/mask.js";
import type { Vec3 } from "../../src/image/volume.js";
import type { VoxelClassCompute, VoxelGrid, VoxelKernels } from "../../src/extract/voxel/types.js";

/** mulberry32: a seeded generator in [0, 1), so that a failing case reproduces from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface VoxelCase {
  grid: VoxelGrid;
  kernels: VoxelKernels;
  texture: TextureSettings;
  /** Kernel k's texture ROI, as voxel.ts builds it for the per-kernel path. */
  kernelRoi(k: number): DiscretisedRoi;
  /** A readable description (for assertion messages). */
  label: string;
}

/** A case from explicit levels, ROI and settings (kernels as voxel.ts makes them). */
export function voxelCase(
  levels: Int32Array,
  roi: Uint8Array,
  size: Vec3,
  dimension: 2 | 3,
  radius: number,
  maskedKernel: boolean,
  texture: TextureSettings,
  sharedHint = false,
): VoxelCase {
  const [nx, ny, nz] = size;
  const mask = maskedKernel ? roi : new Uint8Array(roi.length).fill(1);
  let max = 0;
  for (let k = 0; k < levels.length; k++) if (mask[k] && levels[k]! > max) max = levels[k]!;
  const present: number[] = [];
  for (let g = 1; g <= max; g++)
    if (levels.some((l, k) => mask[k] !== 0 && l === g)) present.push(g);
  const roiGrayLevels = Int32Array.from(present);
  const nLevels = max;
  const flatAxis = !texture.force2D
    ? -1
    : dimension === 2
      ? 1 - texture.force2Ddimension
      : 2 - texture.force2Ddimension;
  const centres: number[] = [];
  for (let k = 0; k < roi.length; k++) if (roi[k] !== 0) centres.push(k);
  const boxes = new Int32Array(6 * centres.length);
  centres.forEach((v, k) => {
    const c = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
    const n = [nx, ny, nz];
    for (let a = 0; a < 3; a++) {
      boxes[6 * k + a] = a === flatAxis ? c[a]! : Math.max(c[a]! - radius, 0);
      boxes[6 * k + 3 + a] = a === flatAxis ? c[a]! : Math.min(c[a]! + radius, n[a]! - 1);
    }
  });
  const spacing: Vec3 = [1, 1, 1];
  const grid: VoxelGrid = {
    levels,
    values: Float64Array.from(levels),
    mask,
    size,
    spacing,
    dimension,
    nLevels,
    roiGrayLevels,
    voxelArrayShift: 0,
  };
  const kernels: VoxelKernels = {
    centres: Int32Array.from(centres),
    boxes,
    // First order only; the texture classes read the boxes.
    offsets: new Int32Array(3),
    maskedKernel,
  };
  const kernelRoi = (k: number): DiscretisedRoi => {
    const b = boxes.subarray(6 * k, 6 * k + 6);
    const bounds: BoundingBox = { lower: [b[0]!, b[1]!, b[2]!], upper: [b[3]!, b[4]!, b[5]!] };
    return {
      levels: cropRoi(levels, size, bounds),
      mask: cropRoi(mask, size, bounds),
      size: [b[3]! - b[0]! + 1, b[4]! - b[1]! + 1, b[5]! - b[2]! + 1],
      spacing,
      nLevels,
      dimension,
      roiGrayLevels,
      ...(sharedHint ? { sharedClasses: ["glcm", "gldm", "ngtdm"] } : {}),
    };
  };
  const label =
    `size ${size.join("x")} dim ${dimension} r ${radius} masked ${maskedKernel} ` +
    `distances [${texture.distances.join(",")}] force2D ${texture.force2D}/${texture.force2Ddimension} ` +
    `gldm_a ${texture.gldm_a} kernels ${centres.length} levels [${present.join(",")}]`;
  return { grid, kernels, texture, kernelRoi, label };
}

/**
 * A random case: sizes 1..6 per axis (one-slice images, true 2D ones), a random ROI (sometimes one
 * voxel, often disconnected), random levels (some absent between 1 and the highest), kernelRadius 1
 * or 2, maskedKernel true or false, and the texture settings GLDM and NGTDM read.
 */
export function randomVoxelCase(rng: () => number): VoxelCase {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const size: Vec3 = [
    1 + Math.floor(rng() * 6),
    1 + Math.floor(rng() * 6),
    pick([1, 1, 2, 3, 4, 6]),
  ];
  const dimension: 2 | 3 = size[2] === 1 && rng() < 0.5 ? 2 : 3;
  const n = size[0] * size[1] * size[2];
  const roi = new Uint8Array(n);
  if (rng() < 0.15) roi[Math.floor(rng() * n)] = 1;
  else {
    const density = 0.2 + 0.8 * rng();
    for (let k = 0; k < n; k++) roi[k] = rng() < density ? 1 : 0;
    roi[Math.floor(rng() * n)] = 1;
  }
  // Levels from a random subset of 1..8 (so that levels between present ones may be absent).
  const palette = [1, 2, 3, 4, 5, 6, 7, 8].filter(() => rng() < 0.5);
  if (palette.length === 0) palette.push(1 + Math.floor(rng() * 8));
  const levels = new Int32Array(n);
  for (let k = 0; k < n; k++) levels[k] = pick(palette);
  const maskedKernel = rng() < 0.6;
  // Outside a masked kernel's mask the grid's levels are ignored: put anything there.
  if (maskedKernel)
    for (let k = 0; k < n; k++) if (roi[k] === 0) levels[k] = Math.floor(rng() * 12);
  const texture: TextureSettings = {
    ...DEFAULT_TEXTURE_SETTINGS,
    distances: pick([[1], [1], [1, 2], [2]]),
    force2D: rng() < 0.3,
    force2Ddimension: pick([0, 1, 2] as const),
    gldm_a: pick([0, 1, 2]),
  };
  return voxelCase(levels, roi, size, dimension, pick([1, 2]), maskedKernel, texture, rng() < 0.5);
}

/** Maps (one per name, `init` outside the written voxels) the way voxel.ts fills them per kernel. */
export function perKernelMaps(
  c: VoxelCase,
  compute: (
    roi: DiscretisedRoi,
    settings: TextureSettings,
    names: readonly string[],
  ) => FeatureValues,
  names: readonly string[],
  init: number,
): Float64Array[] {
  const maps = names.map(() => new Float64Array(c.grid.levels.length).fill(init));
  c.kernels.centres.forEach((v, k) => {
    const features = compute(c.kernelRoi(k), c.texture, names);
    names.forEach((name, i) => {
      const value = features[name];
      if (value !== undefined) maps[i]![v] = value;
    });
  });
  return maps;
}

/** Maps the batched computation fills. */
export function batchedMaps(
  c: VoxelCase,
  batched: VoxelClassCompute,
  names: readonly string[],
  init: number,
): Float64Array[] {
  const maps = names.map(() => new Float64Array(c.grid.levels.length).fill(init));
  batched(c.grid, c.kernels, c.texture, names, maps);
  return maps;
}

/**
 * The batched maps equal the per-kernel ones bit for bit (NaN where NaN), or both computations
 * throw the same error. Returns whether values were compared.
 */
export function assertBatchedEqualsPerKernel(
  c: VoxelCase,
  compute: (
    roi: DiscretisedRoi,
    settings: TextureSettings,
    names: readonly string[],
  ) => FeatureValues,
  batched: VoxelClassCompute,
  names: readonly string[],
  label: string,
): boolean {
  const init = -123.25;
  let expected: Float64Array[];
  try {
    expected = perKernelMaps(c, compute, names, init);
  } catch (e) {
    assert.throws(
      () => batchedMaps(c, batched, names, init),
      { message: (e as Error).message },
      label,
    );
    return false;
  }
  const got = batchedMaps(c, batched, names, init);
  names.forEach((name, i) => {
    const a = got[i]!;
    const b = expected[i]!;
    for (let v = 0; v < a.length; v++) {
      if (!Object.is(a[v], b[v]))
        assert.fail(`${label}: ${name} at voxel ${v}: batched ${a[v]}, per kernel ${b[v]}`);
    }
  });
  return true;
}
