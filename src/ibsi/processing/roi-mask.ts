/**
 * The ROI of a label mask for IBSI-1's processing chain (pipeline.ts): mask == label, or mask > 0
 * without a label (IBSI-1 chapter 2: the ROI mask is a binary mask on the image's grid). The ROI is
 * kept as the box of its voxels and a 0/1 array on that box only: interpolation and cropping read
 * nothing else, so the scan's cost is one read per mask voxel and the rest follows the ROI's size.
 */
import type { Vec3, Volume } from "../../image/volume.js";
import type { GridBox } from "./grid-box.js";

/** An ROI: the box of its voxels and its 0/1 mask on that box (x fastest). */
export interface BoxedRoi {
  box: GridBox;
  mask: Uint8Array;
}

/**
 * The ROI of `mask` (mask == label; mask > 0 without a label), or null when it has no voxel. Each
 * row is read from its left end to its first ROI voxel and from its right end to its last.
 */
export function roiOfMask(mask: Volume, label: number | undefined): BoxedRoi | null {
  const [nx, ny, nz] = mask.size;
  const data = mask.data;
  // In the ROI: v > 0 without a label, v === label with one (a branch the loops predict).
  const positive = label === undefined;
  const target = label ?? Number.NaN;
  const lower: Vec3 = [nx, ny, nz];
  const upper: Vec3 = [-1, -1, -1];
  for (let z = 0, row = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++, row += nx) {
      let first = 0;
      for (; first < nx; first++) {
        const v = data[row + first]!;
        if (positive ? v > 0 : v === target) break;
      }
      if (first === nx) continue;
      let last = nx - 1;
      for (; last > first; last--) {
        const v = data[row + last]!;
        if (positive ? v > 0 : v === target) break;
      }
      if (first < lower[0]) lower[0] = first;
      if (last > upper[0]) upper[0] = last;
      if (y < lower[1]) lower[1] = y;
      if (y > upper[1]) upper[1] = y;
      if (z < lower[2]) lower[2] = z;
      upper[2] = z;
    }
  }
  if (upper[0] < 0) return null;
  const size: Vec3 = [upper[0] - lower[0] + 1, upper[1] - lower[1] + 1, upper[2] - lower[2] + 1];
  const boxed = new Uint8Array(size[0] * size[1] * size[2]);
  for (let z = 0, o = 0; z < size[2]; z++) {
    for (let y = 0; y < size[1]; y++) {
      const from = lower[0] + nx * (lower[1] + y + ny * (lower[2] + z));
      for (let x = 0; x < size[0]; x++, o++) {
        const v = data[from + x]!;
        if (positive ? v > 0 : v === target) boxed[o] = 1;
      }
    }
  }
  return { box: { start: lower, size }, mask: boxed };
}

/** The ROI as a 0/1 mask on the whole grid of `size`. */
export function roiOnGrid(roi: BoxedRoi, size: Readonly<Vec3>): Uint8Array {
  const out = new Uint8Array(size[0] * size[1] * size[2]);
  const { start, size: extent } = roi.box;
  for (let z = 0, o = 0; z < extent[2]; z++) {
    for (let y = 0; y < extent[1]; y++, o += extent[0]) {
      const to = start[0] + size[0] * (start[1] + y + size[1] * (start[2] + z));
      out.set(roi.mask.subarray(o, o + extent[0]), to);
    }
  }
  return out;
}
