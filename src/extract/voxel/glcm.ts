/**
 * Voxel-based GLCM, all kernels of a derived image in one pass (VOXEL_CLASS_COMPUTE.glcm): kernel
 * k's values are computeGlcmFeatures' on k's DiscretisedRoi (the box over the grid's mask, with the
 * grid's roiGrayLevels), as PyRadiomics' voxel mode computes them (cmatrices calculate_glcm with
 * set_bb per voxel, then glcm._calculateMatrix and the feature getters). The matrices, per-angle
 * features, MCC fast path and the averaging over angles run in one WebAssembly call
 * (src/kernels/assembly/voxel-glcm.ts); this side prepares each box shape's angles and weights,
 * scatters the table into the maps, and computes MCC the per-kernel way for the rare kernels whose
 * eigenvalues need the general eigensolver.
 */

import { GLCM_CLASS } from "../../features/glcm/class-info.js";
import { computeGlcmFeatures } from "../../features/glcm/compute.js";
import { glcmAngleWeight } from "../../features/glcm/matrices.js";
import {
  checkWeightingNorm,
  neighbourOffsets,
  resolveFeatureNames,
  type TextureRoi,
} from "../../features/texture-common.js";
import type { DiscretisedRoi, TextureSettings } from "../../features/types.js";
import { GLCM_ANGLE_FEATURES } from "../../kernels/glcm-features.js";
import { VOXEL_GLCM_COLUMNS, voxelGlcmTable } from "../../kernels/voxel-glcm.js";
import type { VoxelClassCompute, VoxelGrid, VoxelKernels } from "./types.js";

/** The table column of a feature name; -1 for deprecated names (no value). */
function columnOf(name: string): number {
  if (name === "MCC") return GLCM_ANGLE_FEATURES.length;
  return GLCM_ANGLE_FEATURES.indexOf(name);
}

/**
 * Each kernel's angle set: glcmMatrices takes PyRadiomics' angles for the kernel's own array shape
 * (a box clipped at the grid's edge can lose angles), so kernels are grouped by box shape.
 */
function angleSets(
  grid: VoxelGrid,
  boxes: Int32Array,
  texture: TextureSettings,
): {
  angleSet: Int32Array;
  setStart: Int32Array;
  angleOffsets: Int32Array;
  angleWeights: Float64Array;
} {
  const kernelCount = boxes.length / 6;
  const [sx, sy, sz] = grid.spacing;
  // Spacing in numpy axis order, as inspectTextureRoi gives the weights.
  const spacing = grid.dimension === 2 ? [sy, sx] : [sz, sy, sx];
  const norm = texture.weightingNorm;
  const angleSet = new Int32Array(kernelCount);
  const setOf = new Map<string, number>();
  const starts = [0];
  const offsets: number[] = [];
  const weights: number[] = [];
  for (let k = 0; k < kernelCount; k++) {
    const bx = boxes[6 * k + 3]! - boxes[6 * k]! + 1;
    const by = boxes[6 * k + 4]! - boxes[6 * k + 1]! + 1;
    const bz = boxes[6 * k + 5]! - boxes[6 * k + 2]! + 1;
    const key = `${bx},${by},${bz}`;
    let set = setOf.get(key);
    if (set === undefined) {
      const shape = grid.dimension === 2 ? [by, bx] : [bz, by, bx];
      // neighbourOffsets reads only the shape; its errors are the per-kernel path's.
      const nb = neighbourOffsets(
        { shape } as TextureRoi,
        texture.distances,
        texture,
        false,
        "glcm",
      );
      for (let a = 0; a < nb.count; a++) {
        offsets.push(nb.dx[a]!, nb.dy[a]!, nb.dz[a]!);
        weights.push(norm === null ? 1 : glcmAngleWeight(nb.angles[a]!, spacing, norm));
      }
      set = starts.length - 1;
      starts.push(weights.length);
      setOf.set(key, set);
    }
    angleSet[k] = set;
  }
  return {
    angleSet,
    setStart: Int32Array.from(starts),
    angleOffsets: Int32Array.from(offsets),
    angleWeights: Float64Array.from(weights),
  };
}

/** Kernel k's DiscretisedRoi, as src/extract/voxel.ts builds it for the per-kernel classes. */
function kernelRoi(grid: VoxelGrid, kernels: VoxelKernels, k: number): DiscretisedRoi {
  const [nx, ny] = grid.size;
  const b = kernels.boxes.subarray(6 * k, 6 * k + 6);
  const size: [number, number, number] = [b[3]! - b[0]! + 1, b[4]! - b[1]! + 1, b[5]! - b[2]! + 1];
  const cells = size[0] * size[1] * size[2];
  const levels = new Int32Array(cells);
  const mask = new Uint8Array(cells);
  let o = 0;
  for (let z = b[2]!; z <= b[5]!; z++) {
    for (let y = b[1]!; y <= b[4]!; y++) {
      const start = b[0]! + nx * (y + ny * z);
      levels.set(grid.levels.subarray(start, start + size[0]), o);
      mask.set(grid.mask.subarray(start, start + size[0]), o);
      o += size[0];
    }
  }
  return {
    levels,
    mask,
    size,
    spacing: grid.spacing,
    nLevels: grid.nLevels,
    dimension: grid.dimension,
    roiGrayLevels: grid.roiGrayLevels,
  };
}

/** VOXEL_CLASS_COMPUTE.glcm: every kernel's GLCM features (see the top of this file). */
export const computeVoxelGlcm: VoxelClassCompute = (grid, kernels, texture, names, out) => {
  const selected = resolveFeatureNames(GLCM_CLASS, names);
  const kernelCount = kernels.centres.length;
  if (selected.length === 0 || kernelCount === 0) return;
  checkWeightingNorm(texture.weightingNorm);
  // The kernel indexes its level tables by level: 1..Ng under the mask (as the driver discretises).
  for (let v = 0; v < grid.levels.length; v++) {
    const level = grid.levels[v]!;
    if (grid.mask[v] !== 0 && !(level >= 1 && level <= grid.nLevels))
      throw new Error(`glcm: voxel ${v} has gray level ${level}, outside 1..${grid.nLevels}`);
  }
  const withMcc = selected.includes("MCC");
  const sets = angleSets(grid, kernels.boxes, texture);
  const { table, fallback } = voxelGlcmTable({
    levels: grid.levels,
    mask: grid.mask,
    size: grid.size,
    boxes: kernels.boxes,
    ...sets,
    ng: grid.nLevels,
    levelCount: grid.roiGrayLevels.length,
    symmetrical: texture.symmetricalGLCM,
    weighted: texture.weightingNorm !== null,
    withMcc,
  });
  const { centres } = kernels;
  const deprecated = new Set(GLCM_CLASS.deprecated);
  names.forEach((name, i) => {
    if (deprecated.has(name)) return;
    const column = columnOf(name);
    const map = out[i]!;
    for (let k = 0; k < kernelCount; k++)
      map[centres[k]!] = table[k * VOXEL_GLCM_COLUMNS + column]!;
    // MCC through the general eigensolver: the per-kernel computation itself (rare).
    if (name === "MCC") {
      for (let k = 0; k < kernelCount; k++) {
        if (fallback[k] === 1)
          map[centres[k]!] = computeGlcmFeatures(kernelRoi(grid, kernels, k), texture, ["MCC"])
            .MCC!;
      }
    }
  });
};
