/**
 * The bounding box of a mask's non-zero voxels on an x-fastest grid (x, then y, then z), in pure
 * JavaScript for any integer typed array: a 0/1 Uint8Array mask, or Int32Array grey levels where
 * 0 marks voxels outside the ROI. The same box as src/image/mask.ts `boundingBox` (PyRadiomics
 * mode, a WebAssembly kernel for Uint8Array masks that also counts the voxels), and the same
 * { lower, upper } shape.
 */
import type { BoundingBox } from "./mask.js";
import type { Vec3 } from "./volume.js";

/**
 * Inclusive bounds of the non-zero voxels of `mask` on a grid of `size` (x fastest), or null when
 * there is none. Each row is scanned from both ends up to its first and last non-zero voxel.
 */
export function nonZeroBounds(
  mask: Uint8Array | Int32Array,
  size: Readonly<Vec3>,
): BoundingBox | null {
  const [nx, ny, nz] = size;
  if (mask.length !== nx * ny * nz) {
    throw new Error(`mask has ${mask.length} voxels, the grid ${nx} x ${ny} x ${nz}`);
  }
  const lower: Vec3 = [nx, ny, nz];
  const upper: Vec3 = [-1, -1, -1];
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      let first = 0;
      while (first < nx && mask[row + first] === 0) first++;
      if (first === nx) continue;
      let last = nx - 1;
      while (mask[row + last] === 0) last--;
      if (first < lower[0]) lower[0] = first;
      if (last > upper[0]) upper[0] = last;
      if (y < lower[1]) lower[1] = y;
      if (y > upper[1]) upper[1] = y;
      if (z < lower[2]) lower[2] = z;
      upper[2] = z;
    }
  }
  return upper[2] < 0 ? null : { lower, upper };
}
