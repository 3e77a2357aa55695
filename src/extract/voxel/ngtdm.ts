/**
 * Voxel-based NGTDM, every kernel of an image in one WebAssembly call
 * (src/kernels/assembly/voxel-neighbourhood.ts): each kernel's features are those of
 * computeNgtdmFeatures (src/features/ngtdm.ts, PyRadiomics ngtdm.py with calculate_ngtdm in voxel
 * mode) on the kernel's ROI, bit for bit: the same n_i, s_i summed in the same voxel order, through
 * the same formula routine.
 */
import { NGTDM_CLASS } from "../../features/ngtdm.js";
import { resolveFeatureNames } from "../../features/texture-common.js";
import { VOXEL_NGTDM_ROW, voxelNgtdmTable } from "../../kernels/voxel-neighbourhood.js";
import { scatterTable } from "./box-shapes.js";
import { neighbourhoodInput } from "./neighbourhood.js";
import type { VoxelClassCompute } from "./types.js";

export const computeVoxelNgtdm: VoxelClassCompute = (grid, kernels, texture, names, out) => {
  const wanted = resolveFeatureNames(NGTDM_CLASS, names);
  const { centres } = kernels;
  if (wanted.length === 0 || centres.length === 0) return;
  const table = voxelNgtdmTable(neighbourhoodInput(grid, kernels, texture, "ngtdm"));
  const slot = (name: string) => NGTDM_CLASS.features.indexOf(name);
  scatterTable(table, VOXEL_NGTDM_ROW, centres, names, slot, NGTDM_CLASS.deprecated, out);
};
