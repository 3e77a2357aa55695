/**
 * Where a label is: voxel counts per slice, the largest slice (the slice a single-slice "largest
 * cross-section" ROI is drawn on) and the slices that carry the label (key slices for
 * interpolation).
 */
import type { Volume } from "../volume.js";
import { checkLabel, checkMask, type Plane, planeAxes } from "./slice.js";

/** Number of voxels of the mask equal to `label`. */
export function countLabel(mask: Volume<Uint8Array>, label: number): number {
  checkMask(mask);
  checkLabel(label);
  const d = mask.data;
  let n = 0;
  for (let i = 0; i < d.length; i++) if (d[i] === label) n++;
  return n;
}

/** Voxels equal to `label` on each slice of `plane` (entry k is slice k). */
export function sliceLabelCounts(
  mask: Volume<Uint8Array>,
  plane: Plane,
  label: number,
): Uint32Array {
  checkMask(mask);
  checkLabel(label);
  const [nx, ny, nz] = mask.size;
  const normal = planeAxes(plane).normal;
  const counts = new Uint32Array(mask.size[normal]);
  const d = mask.data;
  // One pass in storage order; the slice of voxel (x, y, z) is its coordinate along the normal.
  for (let z = 0, p = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, p++) {
        if (d[p] === label) counts[normal === 0 ? x : normal === 1 ? y : z]!++;
      }
    }
  }
  return counts;
}

/** Index of the slice of `plane` with the most `label` voxels (lowest index on ties); -1 when the label is absent. */
export function largestSlice(mask: Volume<Uint8Array>, plane: Plane, label: number): number {
  const counts = sliceLabelCounts(mask, plane, label);
  let best = -1;
  let bestCount = 0;
  for (let k = 0; k < counts.length; k++) {
    // Strictly greater keeps the lowest index on ties.
    if (counts[k]! > bestCount) {
      best = k;
      bestCount = counts[k]!;
    }
  }
  return best;
}

/** Ascending indices of the slices of `plane` that contain `label`. */
export function labelledSlices(mask: Volume<Uint8Array>, plane: Plane, label: number): number[] {
  const counts = sliceLabelCounts(mask, plane, label);
  const out: number[] = [];
  for (let k = 0; k < counts.length; k++) if (counts[k]! > 0) out.push(k);
  return out;
}
