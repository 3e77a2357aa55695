/**
 * Texture aggregation of IBSI-1's zone and neighbourhood families (GLSZM, GLDZM, NGTDM, NGLDM;
 * IBSI-1 manual, chapter 3, "Aggregating features" of each family): the three ways of turning
 * texture matrices into one feature value, shared by the four families.
 * - 8QNN (2D): one matrix per slice (in-plane neighbourhood), features averaged over the slices
 *   whose matrix is not empty;
 * - 62GR (2.5D): the per-slice matrices merged into one (counts summed, N_v summed), then features;
 * - KOBO (3D): one matrix from the volume (3D neighbourhood).
 * z is the slice axis (src/ibsi/types.ts). Also what the four families share before that: the input
 * checks, cropping the ROI to its bounding box with a one-voxel empty border (so that neighbours
 * need no bounds checks), and the Chebyshev-distance-1 neighbourhoods (8 in-plane for 2D and 2.5D,
 * 26 for 3D; IBSI's default distance, used by every reference configuration).
 *
 * A family records "observations" (one zone, or one voxel) in raster order, so each slice's
 * observations form one contiguous range; a matrix is built from a range, which makes merging the
 * 2D matrices the same as building one matrix from all slices' observations.
 */
import type { Vec3 } from "../../image/volume.js";
import {
  type IbsiAggregation,
  type IbsiDiscretised,
  type IbsiFeatureValue,
  IbsiSettingError,
} from "../types.js";

/** Neighbourhood of a texture matrix: in-plane (2D, 2.5D) or volumetric (3D). */
export type TextureNeighbourhood = "2D" | "3D";

/**
 * Linear offsets (on a grid of `size`, x fastest) of the voxels within Chebyshev distance 1 of a
 * voxel, itself excluded: 8 in-plane ones for 2D (IBSI: "averages are not calculated between
 * different slices"), 26 for 3D. Valid for voxels off the grid's border (see padRoi).
 */
export function chebyshevOffsets(size: Vec3, neighbourhood: TextureNeighbourhood): Int32Array {
  const [nx, ny] = size;
  const offsets: number[] = [];
  const zRange = neighbourhood === "3D" ? 1 : 0;
  for (let dz = -zRange; dz <= zRange; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (dx !== 0 || dy !== 0 || dz !== 0) offsets.push(dx + nx * (dy + ny * dz));
      }
    }
  }
  return Int32Array.from(offsets);
}

/**
 * Checks a discretised ROI against its grid: positive integer size, one level per voxel, an
 * integer nLevels >= 1 and every level in 0..nLevels (0 = outside the intensity mask). Throws an
 * IbsiSettingError naming the setting; `family` names the caller in the message.
 */
export function checkDiscretised(d: IbsiDiscretised, size: Vec3, family: string): void {
  if (
    !Array.isArray(size) ||
    size.length !== 3 ||
    !size.every((n) => Number.isInteger(n) && n > 0)
  ) {
    throw new IbsiSettingError(`${family}: size must be three positive integers, got ${size}`);
  }
  const voxels = size[0] * size[1] * size[2];
  if (!(d.levels instanceof Int32Array) || d.levels.length !== voxels) {
    throw new IbsiSettingError(
      `${family}: levels must be an Int32Array of size[0] * size[1] * size[2] = ${voxels} values, got ${d.levels?.length}`,
    );
  }
  if (!Number.isInteger(d.nLevels) || d.nLevels < 1) {
    throw new IbsiSettingError(`${family}: nLevels must be an integer >= 1, got ${d.nLevels}`);
  }
  const levels = d.levels;
  for (let v = 0; v < voxels; v++) {
    const g = levels[v]!;
    if (g < 0 || g > d.nLevels) {
      throw new IbsiSettingError(
        `${family}: level ${g} at voxel ${v} lies outside 0..nLevels (nLevels = ${d.nLevels})`,
      );
    }
  }
}

/** Inclusive voxel box [x0, y0, z0, x1, y1, z1]. */
export type VoxelBox = [number, number, number, number, number, number];

/** The smallest box holding every non-zero voxel of `data`, or undefined when there is none. */
export function nonZeroBox(data: Int32Array | Uint8Array, size: Vec3): VoxelBox | undefined {
  const [nx, ny, nz] = size;
  const box: VoxelBox = [nx, ny, nz, -1, -1, -1];
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      let first = -1;
      let last = -1;
      for (let x = 0; x < nx; x++) {
        if (data[row + x] !== 0) {
          if (first < 0) first = x;
          last = x;
        }
      }
      if (first < 0) continue;
      if (first < box[0]) box[0] = first;
      if (last > box[3]) box[3] = last;
      if (y < box[1]) box[1] = y;
      if (y > box[4]) box[4] = y;
      if (z < box[2]) box[2] = z;
      box[5] = z;
    }
  }
  return box[5] < 0 ? undefined : box;
}

/**
 * The voxels of `data` (on a grid of `size`) inside `box`, surrounded by one voxel of 0 on every
 * side: a grid of the box's size + 2 along each axis, x fastest. No voxel of the box then lies on
 * the grid's border, so its neighbours need no bounds checks.
 */
export function padToBox<T extends Int32Array | Uint8Array>(
  data: T,
  size: Vec3,
  box: VoxelBox,
): { data: T; size: Vec3 } {
  const [nx, ny] = size;
  const [cx, cy, cz] = [box[3] - box[0] + 1, box[4] - box[1] + 1, box[5] - box[2] + 1];
  const padded: Vec3 = [cx + 2, cy + 2, cz + 2];
  const out = new (data.constructor as new (length: number) => T)(
    padded[0] * padded[1] * padded[2],
  );
  for (let z = 0; z < cz; z++) {
    for (let y = 0; y < cy; y++) {
      const from = box[0] + nx * (box[1] + y + ny * (box[2] + z));
      out.set(data.subarray(from, from + cx), 1 + padded[0] * (y + 1 + padded[1] * (z + 1)));
    }
  }
  return { data: out, size: padded };
}

/** Throws unless every voxel on the grid's border is 0 (a grid made by padToBox). */
export function assertZeroBorder(data: Int32Array | Uint8Array, size: Vec3): void {
  const [nx, ny, nz] = size;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const inner = z > 0 && z < nz - 1 && y > 0 && y < ny - 1;
      const row = nx * (y + ny * z);
      for (let x = 0; x < nx; x += inner ? Math.max(1, nx - 1) : 1) {
        if (data[row + x] !== 0) throw new Error("grid without a zero border (use padToBox)");
      }
    }
  }
}

/**
 * The discretised ROI cropped to a box (by default the intensity mask's bounding box) and padded
 * with one empty voxel on every side (padToBox). Exact for every family: voxels outside the
 * intensity mask are never neighbours nor zone members, and empty slices contribute nothing.
 * `zOffset` is the full grid's z of the padded grid's slice 0 (box z0 - 1). An empty intensity mask
 * gives one empty voxel.
 */
export function padRoi(
  levels: Int32Array,
  size: Vec3,
  box: VoxelBox | undefined = nonZeroBox(levels, size),
): { levels: Int32Array; size: Vec3; zOffset: number } {
  if (box === undefined) return { levels: new Int32Array(1), size: [1, 1, 1], zOffset: 0 };
  const padded = padToBox(levels, size, box);
  return { levels: padded.data, size: padded.size, zOffset: box[2] - 1 };
}

/** Per-slice matrices of a padded grid placed at their slices of the full grid (nz slices). */
export function placeSlices<M>(
  padded: readonly (M | undefined)[],
  zOffset: number,
  nz: number,
): (M | undefined)[] {
  const out: (M | undefined)[] = new Array(nz).fill(undefined);
  padded.forEach((m, k) => {
    if (zOffset + k >= 0 && zOffset + k < nz) out[zOffset + k] = m;
  });
  return out;
}

/** Intensity-mask voxels (level > 0) of each slice z. */
export function roiVoxelsPerSlice(levels: Int32Array, size: Vec3): Float64Array {
  const [nx, ny, nz] = size;
  const sliceVoxels = nx * ny;
  const counts = new Float64Array(nz);
  for (let z = 0; z < nz; z++) {
    let n = 0;
    const end = (z + 1) * sliceVoxels;
    for (let v = z * sliceVoxels; v < end; v++) if (levels[v]! > 0) n++;
    counts[z] = n;
  }
  return counts;
}

/** Sum of the values (e.g. the intensity-mask voxels of the whole ROI from roiVoxelsPerSlice). */
export function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k]!;
  return sum;
}

/**
 * Start of each slice's observations: observations sliceStart[z] .. sliceStart[z + 1] - 1 belong to
 * slice z (length nz + 1). `sliceOf` must be non-decreasing (observations recorded in raster order).
 */
export function sliceRanges(sliceOf: Int32Array, count: number, nz: number): Int32Array {
  const start = new Int32Array(nz + 1);
  for (let k = 0; k < count; k++) {
    const z = sliceOf[k]!;
    if (k > 0 && z < sliceOf[k - 1]!) throw new Error("observations are not in slice order");
    start[z + 1]!++;
  }
  for (let z = 0; z < nz; z++) start[z + 1]! += start[z]!;
  return start;
}

/** How a family turns a range of its observations into a matrix and a matrix into features. */
export interface TextureFamily<M> {
  /** IBSI tags of the family's features, in the order `features` returns them. */
  tags: readonly string[];
  /**
   * The matrix of observations from..to-1, covering nVoxels intensity-mask voxels; undefined when
   * the matrix is empty (no zone, no voxel with a valid neighbourhood).
   */
  build(from: number, to: number, nVoxels: number): M | undefined;
  /** Feature values of a non-empty matrix, in tag order (finite by construction). */
  features(matrix: M): ArrayLike<number>;
}

/**
 * The family's features in the three IBSI aggregations (8QNN, 62GR, KOBO). `sliceStart` and
 * `voxelsPerSlice` describe the 2D observations; `volume` is the 3D matrix. Slices with an empty
 * matrix contribute nothing. A feature is NaN, deliberately, only where no matrix exists: no
 * non-empty slice (8QNN, 62GR) or an empty 3D matrix (KOBO), e.g. an empty intensity mask.
 */
export function aggregateTexture<M>(
  family: TextureFamily<M>,
  sliceStart: Int32Array,
  voxelsPerSlice: Float64Array,
  volume: M | undefined,
): IbsiFeatureValue[] {
  const nTags = family.tags.length;
  const sums = new Float64Array(nTags);
  let slices = 0;
  let totalVoxels = 0;
  for (let z = 0; z < voxelsPerSlice.length; z++) {
    totalVoxels += voxelsPerSlice[z]!;
    const matrix = family.build(sliceStart[z]!, sliceStart[z + 1]!, voxelsPerSlice[z]!);
    if (matrix === undefined) continue;
    const values = family.features(matrix);
    for (let t = 0; t < nTags; t++) sums[t]! += values[t]!;
    slices++;
  }
  const averaged = Array.from(sums, (s) => (slices > 0 ? s / slices : Number.NaN));
  const merged = family.build(0, sliceStart[voxelsPerSlice.length]!, totalVoxels);
  const out: IbsiFeatureValue[] = [];
  const push = (aggregation: IbsiAggregation, values: ArrayLike<number> | undefined) => {
    for (let t = 0; t < nTags; t++) {
      out.push({ tag: family.tags[t]!, aggregation, value: values ? values[t]! : Number.NaN });
    }
  };
  push("8QNN", averaged);
  push("62GR", merged === undefined ? undefined : family.features(merged));
  push("KOBO", volume === undefined ? undefined : family.features(volume));
  return out;
}
