/**
 * Texture aggregation of IBSI-1's zone and neighbourhood families (GLSZM, GLDZM, NGTDM, NGLDM;
 * IBSI-1 manual, chapter 3, "Aggregating features" of each family): the three ways of turning
 * texture matrices into one feature value, shared by the four families.
 * - 8QNN (2D): one matrix per slice (in-plane neighbourhood), features averaged over the slices
 *   whose matrix is not empty;
 * - 62GR (2.5D): the per-slice matrices merged into one (counts summed, N_v summed), then features;
 * - KOBO (3D): one matrix from the volume (3D neighbourhood).
 * z is the slice axis (src/ibsi/types.ts). Also what the four families share before that: cropping
 * the ROI to its bounding box with a one-voxel empty border (so that neighbours need no bounds
 * checks), the Chebyshev-distance-1 neighbourhoods (8 in-plane for 2D and 2.5D, 26 for 3D; IBSI's
 * default distance, used by every reference configuration), and turning a family's observations
 * into its per-slice and volumetric matrices (the input checks: discretised-roi.ts).
 *
 * A family records "observations" (one zone, or one voxel) in raster order, so each slice's
 * observations form one contiguous range; a matrix is built from a range, which makes merging the
 * 2D matrices the same as building one matrix from all slices' observations.
 */
import type { BoundingBox } from "../../image/mask.js";
import { nonZeroBounds } from "../../image/mask-box.js";
import type { Vec3 } from "../../image/volume.js";
import type { IbsiAggregation, IbsiFeatureValue, IbsiTextureDimension } from "../types.js";
import { roiVoxelsPerSlice, sumOf } from "./discretised-roi.js";

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
 * The voxels of `data` (on a grid of `size`) inside `box`, surrounded by one voxel of 0 on every
 * side: a grid of the box's size + 2 along each axis, x fastest. No voxel of the box then lies on
 * the grid's border, so its neighbours need no bounds checks.
 */
export function padToBox<T extends Int32Array | Uint8Array>(
  data: T,
  size: Vec3,
  box: BoundingBox,
): { data: T; size: Vec3 } {
  const [nx, ny] = size;
  const { lower, upper } = box;
  const [cx, cy, cz] = [upper[0] - lower[0] + 1, upper[1] - lower[1] + 1, upper[2] - lower[2] + 1];
  const padded: Vec3 = [cx + 2, cy + 2, cz + 2];
  const out = new (data.constructor as new (length: number) => T)(
    padded[0] * padded[1] * padded[2],
  );
  for (let z = 0; z < cz; z++) {
    for (let y = 0; y < cy; y++) {
      const from = lower[0] + nx * (lower[1] + y + ny * (lower[2] + z));
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

/** A discretised ROI cropped to a box and padded by padRoi. */
export interface PaddedRoi {
  levels: Int32Array;
  size: Vec3;
  /** The full grid's z of the padded grid's slice 0 (box z0 - 1). */
  zOffset: number;
}

/**
 * The discretised ROI cropped to a box (by default the intensity mask's bounding box) and padded
 * with one empty voxel on every side (padToBox). Exact for every family: voxels outside the
 * intensity mask are never neighbours nor zone members, and empty slices contribute nothing. An
 * empty intensity mask gives one empty voxel.
 */
export function padRoi(
  levels: Int32Array,
  size: Vec3,
  box: BoundingBox | null = nonZeroBounds(levels, size),
): PaddedRoi {
  if (box === null) return { levels: new Int32Array(1), size: [1, 1, 1], zOffset: 0 };
  const padded = padToBox(levels, size, box);
  return { levels: padded.data, size: padded.size, zOffset: box.lower[2] - 1 };
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

/**
 * A family's observations of a padded ROI, ready for its matrices: the 2D observations by slice
 * (a contiguous range each) with the builder of a matrix from a range, and the 3D matrix. The 2D
 * observations and the 3D matrix are computed when first read: an aggregation that is not asked
 * for (aggregateTexture's `dimensions`) costs nothing.
 */
export interface SliceObservations<M> {
  /** PaddedRoi.zOffset: the full grid's z of padded slice 0. */
  zOffset: number;
  /** Intensity-mask voxels of each padded slice (N_v of its matrix). */
  voxelsPerSlice: Float64Array;
  /** sliceRanges of the 2D observations. */
  readonly sliceStart: Int32Array;
  /**
   * The matrix of 2D observations from..to-1, covering nVoxels intensity-mask voxels; undefined
   * when the matrix is empty (no zone, no voxel with a valid neighbourhood).
   */
  build2d(from: number, to: number, nVoxels: number): M | undefined;
  /** The 3D matrix (volumetric neighbourhood); undefined when empty. */
  readonly volume: M | undefined;
}

/** `compute` run on the first call only; later calls return its value. */
export function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/**
 * Observations of a padded ROI: `flat` the 2D ones (their slices, in raster order, and their
 * number; called once, when first needed), `build2d` a matrix from a range of them, `build3d` the
 * 3D matrix given the ROI's intensity-mask voxel count (called once, when first needed).
 */
export function sliceObservations<M>(
  roi: PaddedRoi,
  flat: () => { slice: Int32Array; length: number },
  build2d: (from: number, to: number, nVoxels: number) => M | undefined,
  build3d: (nVoxels: number) => M | undefined,
): SliceObservations<M> {
  const voxelsPerSlice = roiVoxelsPerSlice(roi.levels, roi.size);
  const sliceStart = once(() => {
    const { slice, length } = flat();
    return sliceRanges(slice, length, roi.size[2]);
  });
  const volume = once(() => build3d(sumOf(voxelsPerSlice)));
  return {
    zOffset: roi.zOffset,
    voxelsPerSlice,
    get sliceStart() {
      return sliceStart();
    },
    build2d,
    get volume() {
      return volume();
    },
  };
}

/** A family's matrices: one per slice of the full grid (undefined where empty) and the 3D one. */
export interface TextureMatrices<M> {
  slices: (M | undefined)[];
  volume: M | undefined;
}

/** The per-slice (2D, indexed by the full grid's z, nz slices) and volumetric (3D) matrices. */
export function textureMatrices<M>(o: SliceObservations<M>, nz: number): TextureMatrices<M> {
  const slices: (M | undefined)[] = new Array(nz).fill(undefined);
  o.voxelsPerSlice.forEach((nVoxels, k) => {
    const z = o.zOffset + k;
    if (z >= 0 && z < nz) slices[z] = o.build2d(o.sliceStart[k]!, o.sliceStart[k + 1]!, nVoxels);
  });
  return { slices, volume: o.volume };
}

/**
 * A family's features in the IBSI aggregations of `dimensions` (2D: 8QNN, 2.5D: 62GR, 3D: KOBO;
 * checked by the family, checkTextureDimensions), in that order, in `tags` order each; `features` gives a non-empty matrix's
 * values in tag order (finite by construction). Slices with an empty matrix contribute nothing. A
 * feature is NaN, deliberately, only where no matrix exists: no non-empty slice (8QNN, 62GR) or an
 * empty 3D matrix (KOBO), e.g. an empty intensity mask.
 */
export function aggregateTexture<M>(
  o: SliceObservations<M>,
  tags: readonly string[],
  features: (matrix: M) => ArrayLike<number>,
  dimensions: readonly IbsiTextureDimension[],
): IbsiFeatureValue[] {
  const out: IbsiFeatureValue[] = [];
  const nTags = tags.length;
  const push = (aggregation: IbsiAggregation, values: ArrayLike<number> | undefined) => {
    for (let t = 0; t < nTags; t++) {
      out.push({ tag: tags[t]!, aggregation, value: values ? values[t]! : Number.NaN });
    }
  };
  const { voxelsPerSlice } = o;
  if (dimensions.includes("2D")) {
    const sliceStart = o.sliceStart;
    const sums = new Float64Array(nTags);
    let slices = 0;
    for (let z = 0; z < voxelsPerSlice.length; z++) {
      const matrix = o.build2d(sliceStart[z]!, sliceStart[z + 1]!, voxelsPerSlice[z]!);
      if (matrix === undefined) continue;
      const values = features(matrix);
      for (let t = 0; t < nTags; t++) sums[t]! += values[t]!;
      slices++;
    }
    push(
      "8QNN",
      Array.from(sums, (s) => (slices > 0 ? s / slices : Number.NaN)),
    );
  }
  if (dimensions.includes("2.5D")) {
    const totalVoxels = sumOf(voxelsPerSlice);
    const merged = o.build2d(0, o.sliceStart[voxelsPerSlice.length]!, totalVoxels);
    push("62GR", merged === undefined ? undefined : features(merged));
  }
  if (dimensions.includes("3D")) {
    const volume = o.volume;
    push("KOBO", volume === undefined ? undefined : features(volume));
  }
  return out;
}
