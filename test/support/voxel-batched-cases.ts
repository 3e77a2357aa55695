/**
 * Random voxel-based cases for the batched class computations (src/extract/voxel/): small grids
 * with their kernels as src/extract/voxel.ts builds them, and each kernel's DiscretisedRoi as its
 * per-kernel path builds it, so that a test compares a batched class with the segment-based class
 * function applied kernel by kernel, bit for bit.
 */
import assert from "node:assert/strict";
import type { VoxelClassCompute, VoxelGrid, VoxelKernels } from "../../src/extract/voxel/types.js";
import {
  DEFAULT_TEXTURE_SETTINGS,
  type DiscretisedRoi,
  type FeatureClassInfo,
  type FeatureValues,
  type TextureSettings,
  type WeightingNorm,
} from "../../src/features/types.js";
import { cropRoi } from "../../src/image/mask.js";
import type { Vec3 } from "../../src/image/volume.js";
import { mulberry32 } from "./seeded-random.js";

export { mulberry32 };

/** A segment-based class function (computeGlcmFeatures and the like). */
export type SegmentClassCompute = (
  roi: DiscretisedRoi,
  settings: TextureSettings,
  names: readonly string[],
) => FeatureValues;

export interface VoxelCase {
  grid: VoxelGrid;
  kernels: VoxelKernels;
  texture: TextureSettings;
  /** Each kernel's DiscretisedRoi, as voxel.ts's per-kernel path builds it. */
  kernelRois: DiscretisedRoi[];
  /** A readable description, for assertion messages. */
  label: string;
}

/** The gray levels present under a mask, ascending (voxel.ts presentLevels). */
export function presentLevels(levels: Int32Array, mask: Uint8Array): Int32Array {
  const seen = new Set<number>();
  for (let k = 0; k < levels.length; k++) if (mask[k] !== 0) seen.add(levels[k]!);
  return Int32Array.from([...seen].sort((a, b) => a - b));
}

/**
 * A random grid shape and ROI: sizes 1..6 per axis (one-slice images, true 2D ones included), the
 * ROI a single voxel, sparse (often disconnected), dense or the whole grid.
 */
export function randomGridAndRoi(random: () => number): {
  size: Vec3;
  dimension: 2 | 3;
  roi: Uint8Array;
} {
  const pick = (n: number) => Math.floor(random() * n);
  const nz = random() < 0.25 ? 1 : 1 + pick(6);
  const size: Vec3 = [1 + pick(6), 1 + pick(6), nz];
  const dimension: 2 | 3 = nz === 1 && random() < 0.5 ? 2 : 3;
  const total = size[0] * size[1] * size[2];
  const roi = new Uint8Array(total);
  if (random() < 0.15) {
    roi[pick(total)] = 1;
  } else {
    const density = random() < 0.15 ? 1 : 0.2 + 0.8 * random();
    for (let k = 0; k < total; k++) roi[k] = random() < density ? 1 : 0;
    roi[pick(total)] = 1;
  }
  return { size, dimension, roi };
}

/** The axis force2D keeps flat (x = 0, y = 1, z = 2), -1 without force2D (voxel.ts kernelBox). */
function flatAxis(dimension: 2 | 3, texture: TextureSettings): number {
  if (!texture.force2D) return -1;
  return dimension === 2 ? 1 - texture.force2Ddimension : 2 - texture.force2Ddimension;
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
  extra: { spacing?: Vec3; sharedClasses?: readonly string[] } = {},
): VoxelCase {
  const [nx, ny, nz] = size;
  const spacing = extra.spacing ?? [1, 1, 1];
  const mask = maskedKernel ? roi : new Uint8Array(roi.length).fill(1);
  const roiGrayLevels = presentLevels(levels, mask);
  const nLevels = roiGrayLevels[roiGrayLevels.length - 1] ?? 0;
  const flat = flatAxis(dimension, texture);
  const centres: number[] = [];
  const boxes: number[] = [];
  const kernelRois: DiscretisedRoi[] = [];
  for (let v = 0; v < roi.length; v++) {
    if (roi[v] === 0) continue;
    const c = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
    const n = [nx, ny, nz];
    const lower = c.map((p, a) => (a === flat ? p : Math.max(p - radius, 0))) as Vec3;
    const upper = c.map((p, a) => (a === flat ? p : Math.min(p + radius, n[a]! - 1))) as Vec3;
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
      ...(extra.sharedClasses ? { sharedClasses: extra.sharedClasses } : {}),
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
    label:
      `size ${size.join("x")} dim ${dimension} r ${radius} masked ${maskedKernel} ` +
      `levels [${roiGrayLevels.join(",")}] spacing ${spacing.join("x")} ` +
      `shared ${extra.sharedClasses !== undefined} settings ${JSON.stringify(texture)}`,
  };
}

/**
 * A random case: a random grid and ROI (randomGridAndRoi), levels from a random subset of 1..L
 * (so that levels between present ones may be absent; L up to 12), with maskedKernel anything
 * outside the ROI (never read), kernelRadius 1 or 2, random spacing, the kernels' ROIs sometimes
 * carrying the shared-class hint; the settings named in `vary` drawn at random (randomSettings).
 */
export function randomVoxelCase(random: () => number, vary: VariedSettings): VoxelCase {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const { size, dimension, roi } = randomGridAndRoi(random);
  const total = roi.length;
  const maxLevel = pick([1, 2, 3, 6, 8, 12]);
  const palette = Array.from({ length: maxLevel }, (_, g) => g + 1).filter(() => random() < 0.6);
  if (palette.length === 0) palette.push(1 + Math.floor(random() * maxLevel));
  const levels = Int32Array.from({ length: total }, () => pick(palette));
  const maskedKernel = random() < 0.6;
  if (maskedKernel) {
    const outside = pick(["kept", "zero", "junk"]);
    for (let k = 0; k < total; k++) {
      if (roi[k] !== 0 || outside === "kept") continue;
      levels[k] = outside === "zero" ? 0 : Math.floor(random() * 13);
    }
  }
  const spacing: Vec3 = [0.5 + random(), 0.5 + random(), 0.5 + 2 * random()];
  const radius = pick([1, 2]);
  const texture = randomSettings(random, vary);
  const sharedClasses = random() < 0.5 ? ["glcm", "gldm", "ngtdm"] : undefined;
  return voxelCase(size, dimension, levels, roi, radius, maskedKernel, texture, {
    spacing,
    ...(sharedClasses ? { sharedClasses } : {}),
  });
}

/** The texture settings a class reads, drawn at random by randomSettings (force2D always). */
export interface VariedSettings {
  distances?: boolean;
  symmetricalGLCM?: boolean;
  weightingNorm?: boolean;
  gldm_a?: boolean;
}

const NORMS: WeightingNorm[] = [null, null, "manhattan", "euclidean", "infinity", "no_weighting"];

/** Random texture settings: force2D and its dimension, and the settings named in `vary`. */
export function randomSettings(random: () => number, vary: VariedSettings): TextureSettings {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const settings: TextureSettings = {
    ...DEFAULT_TEXTURE_SETTINGS,
    force2D: random() < 0.3,
    force2Ddimension: pick([0, 1, 2] as const),
  };
  if (vary.distances) settings.distances = pick([[1], [1], [1, 2], [2]]);
  if (vary.symmetricalGLCM) settings.symmetricalGLCM = random() < 0.7;
  if (vary.weightingNorm) settings.weightingNorm = pick(NORMS);
  if (vary.gldm_a) settings.gldm_a = pick([0, 1, 2]);
  return settings;
}

/** A random selection of a class's features (sometimes all, in PyRadiomics order). */
export function randomNames(random: () => number, info: FeatureClassInfo): string[] {
  const all = [...info.features];
  if (random() < 0.4) return all;
  const names = all.filter(() => random() < 0.4);
  // A deprecated feature, asked explicitly, gives no value (resolveFeatureNames drops it).
  if (info.deprecated.length > 0 && random() < 0.5)
    names.push(info.deprecated[Math.floor(random() * info.deprecated.length)]!);
  return names.length > 0 ? names : [all[Math.floor(random() * all.length)]!];
}

/** Sentinel for map cells the batched computation must not write. */
export const UNWRITTEN = -12345.5;

/** The maps (one per name, `init` where nothing is written) the batched computation fills. */
export function batchedMaps(
  c: VoxelCase,
  batched: VoxelClassCompute,
  names: readonly string[],
  init = UNWRITTEN,
): Float64Array[] {
  const maps = names.map(() => new Float64Array(c.grid.levels.length).fill(init));
  batched(c.grid, c.kernels, c.texture, names, maps);
  return maps;
}

/**
 * Asserts that the batched computation gives, for every kernel and name, bit for bit the value
 * the segment-based class function gives on the kernel's DiscretisedRoi (NaN where it is NaN),
 * writes only the kernels' centres, and throws exactly when that function throws, with its
 * message. Returns whether values were compared (false: both threw).
 */
export function assertBatchedMatches(
  c: VoxelCase,
  names: readonly string[],
  batched: VoxelClassCompute,
  perKernel: SegmentClassCompute,
  context = "",
): boolean {
  const label = `${context}${c.label}`;
  let expected: FeatureValues[];
  try {
    expected = c.kernelRois.map((roi) => perKernel(roi, c.texture, names));
  } catch (e) {
    assert.throws(() => batchedMaps(c, batched, names), { message: (e as Error).message }, label);
    return false;
  }
  const out = batchedMaps(c, batched, names);
  const centre = new Set(c.kernels.centres);
  names.forEach((name, i) => {
    const map = out[i]!;
    for (let v = 0; v < map.length; v++) {
      if (!centre.has(v)) assert.equal(map[v], UNWRITTEN, `${label}: ${name} wrote ${v}`);
    }
    c.kernels.centres.forEach((v, k) => {
      const want = expected[k]![name];
      const got = map[v]!;
      if (want === undefined) {
        assert.equal(got, UNWRITTEN, `${label}: ${name} (no value) written at kernel ${k}`);
      } else if (!Object.is(got, want)) {
        assert.fail(`${label}: ${name} at kernel ${k} (voxel ${v}): ${got} != ${want}`);
      }
    });
  });
  return true;
}

/**
 * `cases` random cases from `seed` (randomVoxelCase varying the settings the class reads, randomNames of its
 * features), each checked with assertBatchedMatches; returns how many compared values and how
 * many threw in both computations.
 */
export function assertRandomCasesMatch(
  seed: number,
  cases: number,
  vary: VariedSettings,
  info: FeatureClassInfo,
  batched: VoxelClassCompute,
  perKernel: SegmentClassCompute,
): { compared: number; threw: number } {
  const random = mulberry32(seed);
  let compared = 0;
  for (let n = 0; n < cases; n++) {
    const c = randomVoxelCase(random, vary);
    const names = randomNames(random, info);
    if (assertBatchedMatches(c, names, batched, perKernel, `case ${n}: `)) compared++;
  }
  return { compared, threw: cases - compared };
}

/**
 * A hand-computed case: one row of voxels along x (a 3D grid of n x 1 x 1), the ROI `roi` (every
 * voxel by default), kernelRadius 1, maskedKernel, PyRadiomics' default texture settings.
 */
export function rowCase(levels: readonly number[], roi: readonly number[] = levels.map(() => 1)) {
  return voxelCase(
    [levels.length, 1, 1],
    3,
    Int32Array.from(levels),
    Uint8Array.from(roi),
    1,
    true,
    DEFAULT_TEXTURE_SETTINGS,
  );
}

/**
 * Asserts hand-computed values: maps[names.indexOf(name)][voxel] within 1e-12 (relative above 1)
 * of expected[name] (the formulas' eps terms move some values by ~1e-16).
 */
export function assertHandValues(
  maps: readonly Float64Array[],
  names: readonly string[],
  voxel: number,
  expected: Record<string, number>,
): void {
  for (const [name, want] of Object.entries(expected)) {
    const got = maps[names.indexOf(name)]![voxel]!;
    assert.ok(
      Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)),
      `${name} at voxel ${voxel}: ${got}, expected ${want}`,
    );
  }
}
