/**
 * Voxel-based GLRLM: every kernel of a derived image in one WebAssembly call
 * (src/kernels/assembly/voxel-runs-zones.ts), each kernel's features those computeGlrlmFeatures
 * gives on the kernel's DiscretisedRoi (PyRadiomics glrlm.py on cmatrices' voxel-mode
 * calculate_glrlm), bit for bit. Also the kernels' angle tables, shared with the GLSZM.
 */
import { GLRLM_CLASS, glrlmAngleWeight } from "../../features/glrlm.js";
import {
  checkWeightingNorm,
  type NeighbourOffsets,
  neighbourOffsets,
  resolveFeatureNames,
} from "../../features/texture-common.js";
import type { TextureSettings } from "../../features/types.js";
import {
  VOXEL_TABLE_WIDTH,
  type VoxelRunZoneInput,
  voxelGlrlmTable,
} from "../../kernels/voxel-runs-zones.js";
import type { VoxelClassCompute, VoxelGrid, VoxelKernels } from "./types.js";

/**
 * The kernels' boxes with their angle tables: PyRadiomics' build_angles (distance 1) over each box's
 * shape, as the segment-based classes take them for a kernel (neighbourOffsets, which also throws
 * their errors, e.g. no angle for a one-voxel box); one table per distinct box shape.
 */
export function runZoneInput(
  grid: VoxelGrid,
  kernels: VoxelKernels,
  texture: TextureSettings,
  bidirectional: boolean,
  className: string,
): { input: VoxelRunZoneInput; tables: NeighbourOffsets[] } {
  const { boxes } = kernels;
  const kernelCount = kernels.centres.length;
  const shapeOf = new Int32Array(kernelCount);
  const tableOf = new Map<number, number>();
  const tables: NeighbourOffsets[] = [];
  let maxCells = 1;
  let maxVoxels = 1;
  let maxSide = 1;
  for (let k = 0; k < kernelCount; k++) {
    const bx = boxes[6 * k + 3]! - boxes[6 * k]! + 1;
    const by = boxes[6 * k + 4]! - boxes[6 * k + 1]! + 1;
    const bz = boxes[6 * k + 5]! - boxes[6 * k + 2]! + 1;
    // A box side is at most the grid's side.
    const key = bx + grid.size[0] * (by - 1 + grid.size[1] * (bz - 1));
    let table = tableOf.get(key);
    if (table === undefined) {
      const shape = grid.dimension === 2 ? [by, bx] : [bz, by, bx];
      table = tables.length;
      tables.push(neighbourOffsets({ shape }, [1], texture, bidirectional, className));
      tableOf.set(key, table);
      maxCells = Math.max(maxCells, (bx + 2) * (by + 2) * (bz + 2));
      maxVoxels = Math.max(maxVoxels, bx * by * bz);
      maxSide = Math.max(maxSide, bx, by, bz);
    }
    shapeOf[k] = table;
  }
  const angleStart = new Int32Array(tables.length);
  const angleCount = new Int32Array(tables.length);
  let total = 0;
  tables.forEach((t, i) => {
    angleStart[i] = total;
    angleCount[i] = t.count;
    total += t.count;
  });
  const angles = new Int32Array(3 * total);
  tables.forEach((t, i) => {
    for (let a = 0; a < t.count; a++) {
      const at = 3 * (angleStart[i]! + a);
      angles[at] = t.dx[a]!;
      angles[at + 1] = t.dy[a]!;
      angles[at + 2] = t.dz[a]!;
    }
  });
  const maxAngles = tables.reduce((m, t) => Math.max(m, t.count), 1);
  return {
    input: {
      levels: grid.levels,
      mask: grid.mask,
      nx: grid.size[0],
      ny: grid.size[1],
      nLevels: grid.nLevels,
      boxes,
      shapeOf,
      angleStart,
      angleCount,
      angles,
      maxCells,
      maxVoxels,
      maxSide,
      maxAngles,
    },
    tables,
  };
}

/** out[i][centre] = table[kernel][slot(names[i])] for every kernel, deprecated names left out. */
export function scatterTable(
  table: Float64Array,
  width: number,
  centres: Int32Array,
  names: readonly string[],
  slot: (name: string) => number,
  deprecated: readonly string[],
  out: readonly Float64Array[],
): void {
  names.forEach((name, i) => {
    if (deprecated.includes(name)) return;
    const s = slot(name);
    const map = out[i]!;
    for (let k = 0; k < centres.length; k++) map[centres[k]!] = table[k * width + s]!;
  });
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
