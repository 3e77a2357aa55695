/**
 * The feature classes with a batched voxel-based computation (all kernels of an image in one pass);
 * src/extract/voxel.ts runs any other class kernel by kernel through its segment-based code.
 */
import { voxelFirstOrder } from "./firstorder.js";
import { computeVoxelGlcm } from "./glcm.js";
import { voxelGlrlm } from "./glrlm.js";
import { voxelGlszm } from "./glszm.js";
import type { VoxelClassCompute } from "./types.js";

export const VOXEL_CLASS_COMPUTE: Partial<Record<string, VoxelClassCompute>> = {
  firstorder: voxelFirstOrder,
  glcm: computeVoxelGlcm,
  glrlm: voxelGlrlm,
  glszm: voxelGlszm,
};
