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
import { checkWeightingNorm, resolveFeatureNames } from "../../features/texture-common.js";
import type { DiscretisedRoi, TextureSettings } from "../../features/types.js";
import { type BoundingBox, cropRoi } from "../../image/mask.js";
import { GLCM_ANGLE_FEATURES } from "../../kernels/glcm-features.js";
import { VOXEL_GLCM_COLUMNS, voxelGlcmTable } from "../../kernels/voxel-glcm.js";
import { boxShapes, concatenatedAngles, scatterTable } from "./box-shapes.js";
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
  kernels: VoxelKernels,
  texture: TextureSettings,
): {
  angleSet: Int32Array;
  setStart: Int32Array;
  angleOffsets: Int32Array;
  angleWeights: Float64Array;
} {
  const shapes = boxShapes(grid, kernels, texture.distances, texture, false, "glcm");
  const { start, offsets } = concatenatedAngles(shapes.angles);
  const [sx, sy, sz] = grid.spacing;
  // Spacing in numpy axis order, as inspectTextureRoi gives the weights.
  const spacing = grid.dimension === 2 ? [sy, sx] : [sz, sy, sx];
  const norm = texture.weightingNorm;
  const weights = new Float64Array(start[shapes.angles.length]!);
  let at = 0;
  for (const t of shapes.angles) {
    for (const angle of t.angles)
      weights[at++] = norm === null ? 1 : glcmAngleWeight(angle, spacing, norm);
  }
  return {
    angleSet: shapes.shapeOf,
    setStart: start,
    angleOffsets: offsets,
    angleWeights: weights,
  };
}

/** Kernel k's DiscretisedRoi, as src/extract/voxel.ts builds it for the per-kernel classes. */
function kernelRoi(grid: VoxelGrid, kernels: VoxelKernels, k: number): DiscretisedRoi {
  const b = kernels.boxes.subarray(6 * k, 6 * k + 6);
  const bounds: BoundingBox = { lower: [b[0]!, b[1]!, b[2]!], upper: [b[3]!, b[4]!, b[5]!] };
  return {
    levels: cropRoi(grid.levels, grid.size, bounds),
    mask: cropRoi(grid.mask, grid.size, bounds),
    size: [b[3]! - b[0]! + 1, b[4]! - b[1]! + 1, b[5]! - b[2]! + 1],
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
  const sets = angleSets(grid, kernels, texture);
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
  scatterTable(table, VOXEL_GLCM_COLUMNS, centres, names, columnOf, GLCM_CLASS.deprecated, out);
  // MCC through the general eigensolver: the per-kernel computation itself (rare).
  names.forEach((name, i) => {
    if (name !== "MCC") return;
    const map = out[i]!;
    for (let k = 0; k < kernelCount; k++) {
      if (fallback[k] === 1)
        map[centres[k]!] = computeGlcmFeatures(kernelRoi(grid, kernels, k), texture, ["MCC"]).MCC!;
    }
  });
};
