/**
 * What the resampling kernels share (bspline-coefficients.ts, bspline-interpolation.ts,
 * mask-nearest.ts): the voxel type codes of their input and output arrays and ITK's mirror
 * boundary.
 */

// Voxel types of input and output arrays, numbered as the binding's VOXEL_TYPE_CODE.
export const INT8 = 0;
export const UINT8 = 1;
export const INT16 = 2;
export const UINT16 = 3;
export const INT32 = 4;
export const UINT32 = 5;
export const FLOAT32 = 6;

/** Bytes of one voxel of the type numbered `type`. */
export function voxelBytes(type: i32): i32 {
  if (type <= UINT8) return 1;
  if (type <= UINT16) return 2;
  if (type <= FLOAT32) return 4;
  return 8;
}

/**
 * The mirrored support index on an axis of n voxels (BSplineInterpolateImageFunction): -i below
 * 0, 2(n - 1) - i beyond the end; lines shorter than the support (n = 2) could mirror out of range
 * again and are clamped to 0; a single-voxel axis always reads index 0.
 */
export function mirrorIndex(index: i32, n: i32): i32 {
  if (n === 1) return 0;
  const end = n - 1;
  let i = index;
  if (i < 0) i = -i;
  if (i >= end) i = end - (i - end);
  if (i < 0) i = 0;
  return i;
}
