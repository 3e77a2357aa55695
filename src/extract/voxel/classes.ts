/**
 * The feature classes with a batched voxel-based computation (all kernels of an image in one pass);
 * src/extract/voxel.ts runs any other class kernel by kernel through its segment-based code.
 */
import { computeVoxelFirstOrder } from "./firstorder.js";
import { computeVoxelGlcm } from "./glcm.js";
import { computeVoxelGldm } from "./gldm.js";
import { computeVoxelGlrlm } from "./glrlm.js";
import { computeVoxelGlszm } from "./glszm.js";
import { computeVoxelNgtdm } from "./ngtdm.js";
import type { VoxelClassCompute } from "./types.js";

export const VOXEL_CLASS_COMPUTE: Partial<Record<string, VoxelClassCompute>> = {
  firstorder: computeVoxelFirstOrder,
  glcm: computeVoxelGlcm,
  glrlm: computeVoxelGlrlm,
  glszm: computeVoxelGlszm,
  gldm: computeVoxelGldm,
  ngtdm: computeVoxelNgtdm,
};
