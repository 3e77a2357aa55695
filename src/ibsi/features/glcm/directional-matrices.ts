/**
 * IBSI-1 texture-matrix aggregation shared by GLCM and GLRLM (IBSI-1 manual, GLCM and GLRLM
 * "Aggregating features"): from the directional matrices of every slice (2D) and of the volume
 * (3D), the list of matrices whose feature values are averaged for each aggregation method.
 *
 * - BTW3 2D averaged: every (slice, in-plane direction) matrix.
 * - SUJT 2D slice-merged: per slice, the sum of its 4 directional matrices.
 * - JJUI 2.5D direction-merged: per in-plane direction, the sum over slices.
 * - ZW7Z 2.5D merged: the sum of all (slice, direction) matrices.
 * - ITBB 3D averaged: every 3D directional matrix (13).
 * - IAZD 3D merged: the sum of the 13 3D matrices.
 * Merging sums counts cell by cell and, for GLRLM, the voxel counts N_v ("when matrices are merged,
 * N_v should likewise be summed").
 *
 * Empty matrices (a slice without the ROI, or a slice / direction without any voxel pair) carry no
 * information and are left out before merging and averaging, as in MIRP (the IBSI reference
 * implementation, texture_matrix.py DirectionalMatrix.merge): averages run over the non-empty
 * matrices only, and an aggregation with none yields NaN features (reported deliberately).
 *
 * Also the matrices themselves, per slice and direction, from a family's count along a direction.
 * Shared by GLCM and GLRLM (glrlm/ imports it, as it does code-counter.ts).
 */
import type { BoundingBox } from "../../../image/mask.js";
import type { Vec3 } from "../../../image/volume.js";
import {
  IBSI_TEXTURE_DIMENSIONS,
  type IbsiAggregation,
  type IbsiTextureDimension,
} from "../../types.js";
import { roiVoxelsPerSlice, sumOf } from "../discretised-roi.js";
import { DIRECTIONS_2D, DIRECTIONS_3D, inPlaneIndex, isInPlane } from "../texture-directions.js";
import type { CodeCounter, SparseCounts } from "./code-counter.js";

/** One directional texture matrix: sparse cell counts and the ROI voxels it was computed from. */
export interface DirectionalMatrix {
  counts: SparseCounts;
  /** N_v: ROI voxels of the slice (2D) or volume (3D); summed on merging (GLRLM run percentage). */
  nVoxels: number;
}

/** The directional matrices of one ROI. */
export interface DirectionalMatrixSet {
  /** [slice][in-plane direction] for the 2D and 2.5D aggregations; empty when not requested. */
  perSlice: DirectionalMatrix[][];
  /** One matrix per 3D direction for the 3D aggregations; empty when not requested. */
  perDirection3d: DirectionalMatrix[];
}

/** The aggregations of each dimension, in IBSI's order. */
export const AGGREGATIONS: Readonly<Record<IbsiTextureDimension, readonly IbsiAggregation[]>> = {
  "2D": ["BTW3", "SUJT"],
  "2.5D": ["JJUI", "ZW7Z"],
  "3D": ["ITBB", "IAZD"],
};

/**
 * The directional matrices of a discretised ROI inside `box` (its bounding box): per slice and
 * in-plane direction (DIRECTIONS_2D order) and, when `with3d`, per 3D direction (DIRECTIONS_3D
 * order). `countAlong(direction, z0, z1)` counts a unit direction's pairs or runs in slices z0..z1
 * into `counter`; N_v is the slice's (2D) or the ROI's (3D) voxel count. The 3D matrix of an
 * in-plane direction is the sum of that direction's 2D matrices over the slices (the same voxel
 * pairs, the same runs: neither leaves its slice), so in-plane directions are counted once.
 */
export function directionalMatrices(
  levels: Int32Array,
  size: Vec3,
  box: BoundingBox,
  with3d: boolean,
  counter: CodeCounter,
  countAlong: (direction: Readonly<Vec3>, z0: number, z1: number) => void,
): DirectionalMatrixSet {
  const sliceVoxels = roiVoxelsPerSlice(levels, size, box);
  const perSlice: DirectionalMatrix[][] = [];
  for (let z = box.lower[2]; z <= box.upper[2]; z++) {
    const nVoxels = sliceVoxels[z - box.lower[2]]!;
    perSlice.push(
      DIRECTIONS_2D.map((direction) => {
        countAlong(direction, z, z);
        return { counts: counter.drain(), nVoxels };
      }),
    );
  }
  if (!with3d) return { perSlice, perDirection3d: [] };

  const totalVoxels = sumOf(sliceVoxels);
  const perDirection3d = DIRECTIONS_3D.map((direction): DirectionalMatrix => {
    if (isInPlane(direction)) {
      const k = inPlaneIndex(direction);
      for (const slice of perSlice) counter.addAll(slice[k]!.counts);
    } else {
      countAlong(direction, box.lower[2], box.upper[2]);
    }
    return { counts: counter.drain(), nVoxels: totalVoxels };
  });
  return { perSlice, perDirection3d };
}

export function isEmpty(m: DirectionalMatrix): boolean {
  return m.counts.codes.length === 0;
}

/** Sums non-empty matrices cell by cell (and their N_v); undefined when all are empty. */
export function mergeMatrices(
  matrices: readonly DirectionalMatrix[],
  counter: CodeCounter,
): DirectionalMatrix | undefined {
  let nVoxels = 0;
  let any = false;
  for (const m of matrices) {
    if (isEmpty(m)) continue;
    counter.addAll(m.counts);
    nVoxels += m.nVoxels;
    any = true;
  }
  return any ? { counts: counter.drain(), nVoxels } : undefined;
}

/** The non-empty matrices whose features are averaged for one aggregation method. */
export function matricesFor(
  aggregation: IbsiAggregation,
  set: DirectionalMatrixSet,
  counter: CodeCounter,
): DirectionalMatrix[] {
  const keep = (ms: (DirectionalMatrix | undefined)[]) =>
    ms.filter((m): m is DirectionalMatrix => m !== undefined && !isEmpty(m));
  switch (aggregation) {
    case "BTW3":
      return keep(set.perSlice.flat());
    case "SUJT":
      return keep(set.perSlice.map((slice) => mergeMatrices(slice, counter)));
    case "JJUI": {
      const nDirections = set.perSlice[0]?.length ?? 0;
      const perDirection: (DirectionalMatrix | undefined)[] = [];
      for (let d = 0; d < nDirections; d++) {
        perDirection.push(
          mergeMatrices(
            set.perSlice.map((slice) => slice[d]!),
            counter,
          ),
        );
      }
      return keep(perDirection);
    }
    case "ZW7Z":
      return keep([mergeMatrices(set.perSlice.flat(), counter)]);
    case "ITBB":
      return keep(set.perDirection3d);
    case "IAZD":
      return keep([mergeMatrices(set.perDirection3d, counter)]);
    default:
      throw new Error(`not a GLCM / GLRLM aggregation: ${aggregation}`);
  }
}

/**
 * Feature values of every requested aggregation: per matrix by `compute` (values in `tags` order),
 * then averaged over the aggregation's matrices. A value that is NaN for one matrix (a feature
 * undefined there, e.g. inverse variance without off-diagonal cells) is left out of that average,
 * as MIRP's nanmean does; a feature NaN for every matrix, or an aggregation without any non-empty
 * matrix, is NaN.
 */
export function aggregateFeatures(
  set: DirectionalMatrixSet,
  dimensions: readonly IbsiTextureDimension[],
  tags: readonly string[],
  counter: CodeCounter,
  compute: (m: DirectionalMatrix) => Float64Array,
): { tag: string; aggregation: IbsiAggregation; value: number }[] {
  const out: { tag: string; aggregation: IbsiAggregation; value: number }[] = [];
  for (const dimension of IBSI_TEXTURE_DIMENSIONS) {
    if (!dimensions.includes(dimension)) continue;
    for (const aggregation of AGGREGATIONS[dimension]) {
      const sums = new Float64Array(tags.length);
      const n = new Float64Array(tags.length);
      for (const m of matricesFor(aggregation, set, counter)) {
        const values = compute(m);
        for (let f = 0; f < tags.length; f++) {
          const v = values[f]!;
          if (Number.isNaN(v)) continue;
          sums[f]! += v;
          n[f]! += 1;
        }
      }
      for (let f = 0; f < tags.length; f++) {
        out.push({ tag: tags[f]!, aggregation, value: n[f]! > 0 ? sums[f]! / n[f]! : Number.NaN });
      }
    }
  }
  return out;
}
