/**
 * Voxel-based GLDM, every kernel of an image in one WebAssembly call
 * (src/kernels/assembly/voxel-neighbourhood.ts): each kernel's features are those of
 * computeGldmFeatures (src/features/gldm.ts, PyRadiomics gldm.py with calculate_gldm in voxel mode)
 * on the kernel's ROI, bit for bit: the same integer matrix, compacted the same way, through the
 * same formula routine.
 */
import { GLDM_CLASS, GLDM_TABLE_SLOTS } from "../../features/gldm.js";
import { resolveFeatureNames } from "../../features/texture-common.js";
import { VOXEL_GLDM_ROW, voxelGldmTable } from "../../kernels/voxel-neighbourhood.js";
import { scatterTable } from "./box-shapes.js";
import { neighbourhoodInput } from "./neighbourhood.js";
import type { VoxelClassCompute } from "./types.js";

export const computeVoxelGldm: VoxelClassCompute = (grid, kernels, texture, names, out) => {
  const wanted = resolveFeatureNames(GLDM_CLASS, names);
  const { centres } = kernels;
  if (wanted.length === 0 || centres.length === 0) return;
  const alpha = texture.gldm_a;
  // PyRadiomics hands gldm_a to its C kernel as a C int ("i" format): non-integers are refused.
  if (!Number.isInteger(alpha)) {
    throw new Error(`gldm: setting 'gldm_a' must be an integer, got ${alpha}`);
  }
  const table = voxelGldmTable(neighbourhoodInput(grid, kernels, texture, "gldm"), alpha);
  // Deprecated names have no slot: PyRadiomics gives them no value.
  const slot = (name: string) => GLDM_TABLE_SLOTS[name]!;
  scatterTable(table, VOXEL_GLDM_ROW, centres, names, slot, GLDM_CLASS.deprecated, out);
};
