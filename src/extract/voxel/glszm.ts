/**
 * Voxel-based GLSZM: every kernel of a derived image in one WebAssembly call
 * (src/kernels/assembly/voxel-runs-zones.ts), each kernel's features those computeGlszmFeatures
 * gives on the kernel's DiscretisedRoi (PyRadiomics glszm.py on cmatrices' voxel-mode
 * calculate_glszm), bit for bit.
 */
import { GLSZM_CLASS, GLSZM_TABLE_SLOTS } from "../../features/glszm.js";
import { resolveFeatureNames } from "../../features/texture-common.js";
import { VOXEL_TABLE_WIDTH, voxelGlszmTable } from "../../kernels/voxel-runs-zones.js";
import { scatterTable } from "./box-shapes.js";
import { runZoneInput } from "./glrlm.js";
import type { VoxelClassCompute } from "./types.js";

/** VOXEL_CLASS_COMPUTE.glszm (the contract: ./types.ts). */
export const computeVoxelGlszm: VoxelClassCompute = (grid, kernels, texture, names, out) => {
  if (resolveFeatureNames(GLSZM_CLASS, names).length === 0) return;
  // Zones connect through every distance-1 angle, both ways (26 / 8 neighbours, in-plane with
  // force2D), as PyRadiomics glszm._calculateMatrix.
  const { input } = runZoneInput(grid, kernels, texture, true, "glszm");
  scatterTable(
    voxelGlszmTable(input),
    VOXEL_TABLE_WIDTH,
    kernels.centres,
    names,
    (name) => GLSZM_TABLE_SLOTS[name]!,
    GLSZM_CLASS.deprecated,
    out,
  );
};
