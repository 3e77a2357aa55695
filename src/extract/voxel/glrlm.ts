/**
 * Voxel-based GLRLM: every kernel of a derived image in one WebAssembly call
 * (src/kernels/assembly/voxel-runs-zones.ts), each kernel's features those computeGlrlmFeatures
 * gives on the kernel's DiscretisedRoi (PyRadiomics glrlm.py on cmatrices' voxel-mode
 * calculate_glrlm), bit for bit. Also the kernels' input to that call, shared with the GLSZM.
 */
import { GLRLM_CLASS, glrlmAngleWeight } from "../../features/glrlm.js";
import {
  checkWeightingNorm,
  type NeighbourOffsets,
  resolveFeatureNames,
} from "../../features/texture-common.js";
import type { TextureSettings } from "../../features/types.js";
import {
  VOXEL_TABLE_WIDTH,
  type VoxelRunZoneInput,
  voxelGlrlmTable,
} from "../../kernels/voxel-runs-zones.js";
import { boxShapes, concatenatedAngles, scatterTable } from "./box-shapes.js";
import type { VoxelClassCompute, VoxelGrid, VoxelKernels } from "./types.js";

/**
 * The kernels' boxes with their angle tables: PyRadiomics' build_angles (distance 1) over each box's
 * shape (boxShapes), one table per distinct box shape.
 */
export function runZoneInput(
  grid: VoxelGrid,
  kernels: VoxelKernels,
  texture: TextureSettings,
  bidirectional: boolean,
  className: string,
): { input: VoxelRunZoneInput; tables: NeighbourOffsets[] } {
  const shapes = boxShapes(grid, kernels, [1], texture, bidirectional, className);
  const tables = shapes.angles;
  const { start, offsets } = concatenatedAngles(tables);
  let maxCells = 1;
  let maxVoxels = 1;
  for (const [bx, by, bz] of shapes.sizes) {
    maxCells = Math.max(maxCells, (bx + 2) * (by + 2) * (bz + 2));
    maxVoxels = Math.max(maxVoxels, bx * by * bz);
  }
  return {
    input: {
      levels: grid.levels,
      mask: grid.mask,
      nx: grid.size[0],
      ny: grid.size[1],
      nLevels: grid.nLevels,
      boxes: kernels.boxes,
      shapeOf: shapes.shapeOf,
      angleStart: start.subarray(0, tables.length),
      angleCount: Int32Array.from(tables, (t) => t.count),
      angles: offsets,
      maxCells,
      maxVoxels,
      maxSide: Math.max(...shapes.maxBox),
      maxAngles: tables.reduce((m, t) => Math.max(m, t.count), 1),
    },
    tables,
  };
}

/** VOXEL_CLASS_COMPUTE.glrlm (the contract: ./types.ts). */
export const computeVoxelGlrlm: VoxelClassCompute = (grid, kernels, texture, names, out) => {
  if (resolveFeatureNames(GLRLM_CLASS, names).length === 0) return;
  checkWeightingNorm(texture.weightingNorm);
  // GLRLM always uses distance 1, mono-directional angles (PyRadiomics glrlm._calculateMatrix).
  const { input, tables } = runZoneInput(grid, kernels, texture, false, "glrlm");
  const norm = texture.weightingNorm;
  let weights: Float64Array | null = null;
  if (norm !== null) {
    const s = grid.spacing;
    const spacing = grid.dimension === 2 ? [s[1], s[0]] : [s[2], s[1], s[0]];
    weights = new Float64Array(input.angles.length / 3);
    let at = 0;
    for (const t of tables) {
      for (const angle of t.angles) weights[at++] = glrlmAngleWeight(angle, spacing, norm);
    }
  }
  const table = voxelGlrlmTable(input, weights);
  scatterTable(
    table,
    VOXEL_TABLE_WIDTH,
    kernels.centres,
    names,
    (name) => GLRLM_CLASS.features.indexOf(name),
    GLRLM_CLASS.deprecated,
    out,
  );
};
