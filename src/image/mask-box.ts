/**
 * The bounding box of a mask's ROI voxels (non-zero, positive, or one label) on an x-fastest grid
 * (x, then y, then z), for any numeric array: a 0/1 Uint8Array mask, Int32Array grey levels where
 * 0 marks voxels outside the ROI, a label map. A uint8 mask's non-zero voxels are scanned by the
 * PyRadiomics mode's WebAssembly mask kernel (src/kernels/masks.ts `maskBounds`, which also counts
 * them), the rest here in JavaScript; the same { lower, upper } shape either way.
 */
import { maskBounds } from "../kernels/masks.js";
import type { BoundingBox } from "./mask.js";
import type { Vec3 } from "./volume.js";

/**
 * Inclusive bounds of the non-zero voxels of `mask` on a grid of `size` (x fastest), or null when
 * there is none.
 */
export function nonZeroBounds(
  mask: Uint8Array | Int32Array,
  size: Readonly<Vec3>,
): BoundingBox | null {
  return roiBounds(mask, size, "non-zero");
}

/**
 * Which voxels of a mask are in the ROI: the non-zero ones, the positive ones (a label mask
 * without a chosen label, as IBSI mode reads it), or those equal to a label.
 */
export type RoiVoxels = "non-zero" | "positive" | { label: number };

/**
 * Inclusive bounds of a mask's ROI voxels on a grid of `size` (x fastest), or null when there is
 * none. Each row is scanned from both ends up to its first and last ROI voxel, so a row costs
 * reads up to its ROI only.
 */
export function roiBounds(
  mask: ArrayLike<number>,
  size: Readonly<Vec3>,
  inRoi: RoiVoxels,
): BoundingBox | null {
  const [nx, ny, nz] = size;
  if (mask.length !== nx * ny * nz) {
    throw new Error(`mask has ${mask.length} voxels, the grid ${nx} x ${ny} x ${nz}`);
  }
  // A uint8 mask's non-zero (= positive) voxels: the WebAssembly scan the PyRadiomics mode uses,
  // fast from its first call in a cold process.
  if (mask instanceof Uint8Array && typeof inRoi !== "object") {
    const bounds = maskBounds(mask, [nx, ny, nz]);
    return bounds && { lower: bounds.lower, upper: bounds.upper };
  }
  // The test as two constants, so the loops' one expression is predicted per call.
  const byLabel = typeof inRoi === "object";
  const label = byLabel ? inRoi.label : Number.NaN;
  const positive = inRoi === "positive";
  const lower: Vec3 = [nx, ny, nz];
  const upper: Vec3 = [-1, -1, -1];
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      let first = 0;
      for (; first < nx; first++) {
        const v = mask[row + first]!;
        if (byLabel ? v === label : positive ? v > 0 : v !== 0) break;
      }
      if (first === nx) continue;
      let last = nx - 1;
      for (; last > first; last--) {
        const v = mask[row + last]!;
        if (byLabel ? v === label : positive ? v > 0 : v !== 0) break;
      }
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
