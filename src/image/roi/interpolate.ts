/**
 * Shape-based interpolation of an ROI between two drawn key slices (S. P. Raya and J. K. Udupa,
 * "Shape-based interpolation of multidimensional objects", IEEE TMI 9 (1990) 32-42; G. T. Herman,
 * J. Zheng and C. A. Bucholtz, "Shape-based interpolation", IEEE CG&A 12 (1992) 69-79): each key
 * slice's region becomes a signed distance map (inside negative), the maps are interpolated
 * linearly along the slice normal, and a voxel of an intermediate slice is in the region where
 * the interpolated distance is <= 0. Unlike interpolating the binary masks themselves, this
 * moves the contour smoothly from one shape to the other.
 *
 * Distances are exact Euclidean (Felzenszwalb-Huttenlocher, see distance.ts) in mm with the
 * in-plane spacing, so on anisotropic slices the contour moves by physical distance, not by voxel
 * count. The weights are linear in slice index (slices of one plane are evenly spaced).
 */
import type { Volume } from "../volume.js";
import { signedDistanceMap } from "./distance.js";
import {
  checkLabel,
  checkMask,
  checkSliceIndex,
  commitSlice,
  type Plane,
  planeSpacing,
  RoiEditError,
  readSlice,
  type SliceEdit,
  type SliceRef,
  sliceDims,
} from "./slice.js";

/** The `label` region of a slice as 0/1, with its voxel count. */
function regionOf(slice: Uint8Array, label: number): { region: Uint8Array; count: number } {
  const region = new Uint8Array(slice.length);
  let count = 0;
  for (let i = 0; i < slice.length; i++) {
    if (slice[i] === label) {
      region[i] = 1;
      count++;
    }
  }
  return { region, count };
}

/**
 * Fills the slices strictly between key slices `from` and `to` (|to - from| >= 2) of `plane` with
 * the shape-based interpolation of their `label` regions. On each intermediate slice the `label`
 * region is replaced: interpolated voxels become `label` whatever they held, other `label` voxels
 * become 0. Returns the applied edits of the slices that changed, in ascending slice order.
 */
export function interpolateSlices(
  mask: Volume<Uint8Array>,
  plane: Plane,
  label: number,
  from: number,
  to: number,
): SliceEdit[] {
  checkMask(mask);
  checkLabel(label);
  checkSliceIndex(mask.size, plane, from, "from slice");
  checkSliceIndex(mask.size, plane, to, "to slice");
  const gap = Math.abs(to - from);
  if (gap < 2) {
    throw new RoiEditError(
      `interpolation needs at least one slice between the key slices, got from ${from} and to ${to}`,
    );
  }
  const { width, height } = sliceDims(mask.size, plane);
  const { su, sv } = planeSpacing(mask.spacing, plane);
  const maps: Float64Array[] = [];
  for (const index of [from, to]) {
    const { region, count } = regionOf(readSlice(mask, { plane, index }), label);
    if (count === 0) {
      throw new RoiEditError(
        `${plane} slice ${index} has no voxel of label ${label}: draw both key slices first`,
      );
    }
    const sd = signedDistanceMap(region, width, height, su, sv);
    if (count === region.length) {
      // A slice entirely in the region has no boundary (distance -Infinity everywhere, which
      // would swamp the other slice). Minus the slice diagonal is beyond any distance within
      // the slice, so the region still shrinks towards the other key slice's shape.
      sd.fill(-Math.hypot(width * su, height * sv));
    }
    maps.push(sd);
  }
  const [d0, d1] = maps as [Float64Array, Float64Array];
  const edits: SliceEdit[] = [];
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  for (let k = lo + 1; k < hi; k++) {
    // (1 - t) d0 + t d1 with t = |k - from| / gap, scaled by gap: integer weights keep the sign
    // exact when the distances are whole millimetres (a tie, value 0, is inside).
    const w0 = Math.abs(to - k);
    const w1 = Math.abs(k - from);
    const ref: SliceRef = { plane, index: k };
    const before = readSlice(mask, ref);
    const after = before.slice();
    for (let i = 0; i < after.length; i++) {
      if (w0 * d0[i]! + w1 * d1[i]! <= 0) after[i] = label;
      else if (after[i] === label) after[i] = 0;
    }
    const edit = commitSlice(mask, ref, before, after);
    if (edit) edits.push(edit);
  }
  return edits;
}
