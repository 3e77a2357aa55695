/**
 * Resampling of an image and its ROI onto a new grid of the same physical object (a rotated or
 * translated copy of the input grid), the interpolation step of image perturbation.
 *
 * Each output voxel's physical centre is mapped into the input's continuous index space (an affine
 * map: c = c0 + x·mx + y·my + z·mz) and the input is interpolated there with radscore's ITK
 * interpolators (../resample/linear.ts, ../resample/nearest.ts). As MIRP's
 * `GenericImage._interpolate` (scipy `map_coordinates(..., mode="nearest")`), image points outside
 * the input take the nearest edge voxel's value, so a rotation never brings zeros into the image
 * (which would shift PyRadiomics' whole-image normalisation). The ROI is interpolated linearly as a
 * 0/1 map and kept where the interpolated value, rounded to 6 decimals, is >= 0.5 (MIRP's
 * `MaskImage` binarisation with the default ROI inclusion fraction 0.5); ROI points more than half
 * a voxel outside the input are outside the ROI. Label maps (supervoxels) are carried over with
 * nearest-neighbour interpolation, 0 more than half a voxel outside the input.
 */
import { linear } from "../resample/linear.js";
import { nearestNeighbour } from "../resample/nearest.js";
import {
  indexToPhysical,
  type Mat3,
  physicalToIndex,
  type Vec3,
  type Volume,
  voxelCount,
  withData,
} from "../volume.js";

/** The interpolator of the image (the ROI is always interpolated linearly, then thresholded). */
export type PerturbationInterpolator = "linear" | "nearest";

/** Geometry of a resampling grid (a Volume without voxels). */
export interface GridGeometry {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: Mat3;
  dimension: 2 | 3;
}

/** Coordinates this close to an integer are taken as that integer (exact 90-degree rotations). */
const SNAP = 1e-9;

function snap(c: number): number {
  const r = Math.round(c);
  return Math.abs(c - r) < SNAP ? r : c;
}

/** The affine map from output indices to input continuous indices: c0 and one column per axis. */
function indexMap(input: Volume, grid: GridGeometry): { c0: Vec3; columns: [Vec3, Vec3, Vec3] } {
  const c0 = physicalToIndex(input, grid.origin);
  const column = (axis: 0 | 1 | 2): Vec3 => {
    const unit: Vec3 = [0, 0, 0];
    unit[axis] = 1;
    const c = physicalToIndex(input, indexToPhysical(grid, unit));
    return [c[0] - c0[0], c[1] - c0[1], c[2] - c0[2]];
  };
  return { c0, columns: [column(0), column(1), column(2)] };
}

/**
 * Calls `visit(i, c0, c1, c2)` for every output voxel i (x fastest) with its input continuous
 * index, snapped to integers within 1e-9 (z index 0 for a 2D input).
 */
function forEachVoxel(
  input: Volume,
  grid: GridGeometry,
  visit: (i: number, c0: number, c1: number, c2: number) => void,
): void {
  const { c0, columns } = indexMap(input, grid);
  const [mx, my, mz] = columns;
  const [nx, ny, nz] = grid.size;
  const is3D = input.dimension === 3;
  const [mx0, mx1, mx2] = mx;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const b0 = c0[0] + y * my[0] + z * mz[0];
      const b1 = c0[1] + y * my[1] + z * mz[1];
      const b2 = is3D ? c0[2] + y * my[2] + z * mz[2] : 0;
      for (let x = 0; x < nx; x++, i++) {
        visit(i, snap(b0 + x * mx0), snap(b1 + x * mx1), is3D ? snap(b2 + x * mx2) : 0);
      }
    }
  }
}

/** The image resampled onto `grid` (float64 voxels), edge values outside the input. */
export function resampleImageOnGrid(
  image: Volume,
  grid: GridGeometry,
  interpolator: PerturbationInterpolator = "linear",
): Volume<Float64Array> {
  if (image.dimension !== grid.dimension) {
    throw new Error(
      `perturbation: a ${image.dimension}D image cannot go onto a ${grid.dimension}D grid`,
    );
  }
  const evaluate = interpolator === "linear" ? linear(image) : nearestNeighbour(image);
  const hi0 = image.size[0] - 1;
  const hi1 = image.size[1] - 1;
  const hi2 = image.size[2] - 1;
  const out = new Float64Array(voxelCount(grid.size));
  forEachVoxel(image, grid, (i, c0, c1, c2) => {
    out[i] = evaluate(
      Math.min(Math.max(c0, 0), hi0),
      Math.min(Math.max(c1, 0), hi1),
      Math.min(Math.max(c2, 0), hi2),
    );
  });
  return withData(grid, out);
}

/**
 * Inclusive index box of the voxels where `inside(i)` holds, widened by one voxel (the support of
 * linear interpolation); null when there are none. Output points whose input index falls outside
 * it cannot be in the ROI (or any label), so they are skipped.
 */
function supportBox(vol: Volume, inside: (i: number) => boolean): { lo: Vec3; hi: Vec3 } | null {
  const [nx, ny, nz] = vol.size;
  const lo: Vec3 = [nx, ny, nz];
  const hi: Vec3 = [-1, -1, -1];
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (!inside(i)) continue;
        if (x < lo[0]) lo[0] = x;
        if (x > hi[0]) hi[0] = x;
        if (y < lo[1]) lo[1] = y;
        if (y > hi[1]) hi[1] = y;
        if (z < lo[2]) lo[2] = z;
        if (z > hi[2]) hi[2] = z;
      }
    }
  }
  if (hi[0] < 0) return null;
  return { lo: [lo[0] - 1, lo[1] - 1, lo[2] - 1], hi: [hi[0] + 1, hi[1] + 1, hi[2] + 1] };
}

/** ROI voxels (value === label) as a 0/1 float64 volume on the mask's grid. */
function indicator(mask: Volume, label: number): Volume<Float64Array> {
  const src = mask.data;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] === label ? 1 : 0;
  return withData(mask, out);
}

/**
 * The ROI (voxels equal to `label`) resampled onto `grid`: linear interpolation of its 0/1 map,
 * kept (as `label`) where round(value, 6) >= 0.5; 0 elsewhere.
 */
export function resampleRoiOnGrid(
  mask: Volume,
  grid: GridGeometry,
  label: number,
): Volume<Uint8Array> {
  if (mask.dimension !== grid.dimension) {
    throw new Error(
      `perturbation: a ${mask.dimension}D mask cannot go onto a ${grid.dimension}D grid`,
    );
  }
  const evaluate = linear(indicator(mask, label));
  const hi0 = mask.size[0] - 1;
  const hi1 = mask.size[1] - 1;
  const hi2 = mask.size[2] - 1;
  const out = new Uint8Array(voxelCount(grid.size));
  const box = supportBox(mask, (i) => mask.data[i] === label);
  if (!box) return withData(grid, out);
  const { lo, hi } = box;
  forEachVoxel(mask, grid, (i, c0, c1, c2) => {
    // Points more than half a voxel outside the input, or away from the ROI, are outside it.
    if (c0 < -0.5 || c0 > hi0 + 0.5 || c1 < -0.5 || c1 > hi1 + 0.5) return;
    if (c2 < -0.5 || c2 > hi2 + 0.5) return;
    if (c0 < lo[0] || c0 > hi[0] || c1 < lo[1] || c1 > hi[1] || c2 < lo[2] || c2 > hi[2]) return;
    const v = evaluate(
      Math.min(Math.max(c0, 0), hi0),
      Math.min(Math.max(c1, 0), hi1),
      Math.min(Math.max(c2, 0), hi2),
    );
    if (Math.round(v * 1e6) / 1e6 >= 0.5) out[i] = label;
  });
  return withData(grid, out);
}

/** Throws unless `label` is a valid ROI label stored in a Uint8Array mask (1-255). */
export function checkRoiLabel(label: number): void {
  if (!(Number.isInteger(label) && label >= 1 && label <= 255)) {
    throw new Error(`perturbation: the ROI label must be an integer in 1..255, got ${label}`);
  }
}

/** A label map resampled onto `grid` with nearest neighbour; 0 more than half a voxel outside. */
export function resampleLabelsOnGrid(
  labels: Volume<Int32Array>,
  grid: GridGeometry,
): Volume<Int32Array> {
  if (labels.dimension !== grid.dimension) {
    throw new Error(
      `perturbation: a ${labels.dimension}D label map cannot go onto a ${grid.dimension}D grid`,
    );
  }
  const evaluate = nearestNeighbour(labels);
  const hi0 = labels.size[0] - 1;
  const hi1 = labels.size[1] - 1;
  const hi2 = labels.size[2] - 1;
  const out = new Int32Array(voxelCount(grid.size));
  const box = supportBox(labels, (i) => labels.data[i] !== 0);
  if (!box) return withData(grid, out);
  const { lo, hi } = box;
  forEachVoxel(labels, grid, (i, c0, c1, c2) => {
    if (c0 < -0.5 || c0 > hi0 + 0.5 || c1 < -0.5 || c1 > hi1 + 0.5) return;
    if (c2 < -0.5 || c2 > hi2 + 0.5) return;
    if (c0 < lo[0] || c0 > hi[0] || c1 < lo[1] || c1 > hi[1] || c2 < lo[2] || c2 > hi[2]) return;
    out[i] = evaluate(
      Math.min(Math.max(c0, 0), hi0),
      Math.min(Math.max(c1, 0), hi1),
      Math.min(Math.max(c2, 0), hi2),
    );
  });
  return withData(grid, out);
}
