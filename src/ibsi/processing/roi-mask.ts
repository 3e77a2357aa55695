/**
 * The ROI of a label mask for IBSI-1's processing chain (pipeline.ts): mask == label, or mask > 0
 * without a label (IBSI-1 chapter 2: the ROI mask is a binary mask on the image's grid). The ROI is
 * kept as the box of its voxels and a 0/1 array on that box only: interpolation and cropping read
 * nothing else, so the scan's cost is one read per mask voxel and the rest follows the ROI's size.
 */
import { roiBounds } from "../../image/mask-box.js";
import type { Vec3, Volume } from "../../image/volume.js";
import { boxOfBounds, type GridBox } from "./grid-box.js";

/** An ROI: the box of its voxels and its 0/1 mask on that box (x fastest). */
export interface BoxedRoi {
  box: GridBox;
  mask: Uint8Array;
}

/**
 * The ROI of `mask` (mask == label; mask > 0 without a label), or null when it has no voxel: its
 * box (src/image/mask-box.ts `roiBounds`) and the ROI's 0/1 mask on that box.
 */
export function roiOfMask(mask: Volume, label: number | undefined): BoxedRoi | null {
  const [nx, ny] = mask.size;
  const data = mask.data;
  const bounds = roiBounds(data, mask.size, label === undefined ? "positive" : { label });
  if (!bounds) return null;
  const { lower } = bounds;
  // In the ROI: v > 0 without a label, v === label with one (a branch the loop predicts).
  const positive = label === undefined;
  const target = label ?? Number.NaN;
  const box = boxOfBounds(bounds);
  const size = box.size;
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
  return { box, mask: boxed };
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
