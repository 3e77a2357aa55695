/**
 * IBSI-1 grey level run length matrices (GLRLM, IBSI-1 manual "Grey level run length based
 * features", TP0I): one matrix per slice and in-plane direction (2D, 2.5D) and one per 3D
 * direction. A run is a maximal sequence of consecutive ROI voxels v, v + m, v + 2m, ... with the
 * same grey level along direction m; r_ij counts runs of grey level i and length j. N_v is the
 * number of ROI voxels the matrix was computed from (the slice's in 2D, the ROI's in 3D).
 *
 * Cells are coded (i - 1) * Nr + (j - 1), with Nr the longest possible run (the largest extent of
 * the ROI's bounding box), and stored sparse (glcm/code-counter.ts). Each voxel is visited O(1)
 * times per direction: a voxel starts a run when its predecessor v - m is outside the ROI box or
 * has another level, and only run starts walk forward.
 *
 * The 3D matrix of an in-plane direction is the sum of that direction's 2D matrices over slices
 * (a run along an in-plane direction never leaves its slice).
 */
import type { Vec3 } from "../../../image/volume.js";
import type { IbsiDiscretised } from "../../types.js";
import { CodeCounter } from "../glcm/code-counter.js";
import type { DirectionalMatrix, DirectionalMatrixSet } from "../glcm/directional-matrices.js";
import {
  DIRECTIONS_2D,
  DIRECTIONS_3D,
  inPlaneIndex,
  isInPlane,
  type RoiBounds,
  roiBounds,
  roiVoxelsPerSlice,
} from "../texture-directions.js";

/** Counts the runs along `direction` within the ROI box restricted to slices z0..z1. */
function countRuns(
  levels: Int32Array,
  size: Vec3,
  bounds: RoiBounds,
  direction: Readonly<Vec3>,
  z0: number,
  z1: number,
  maxRun: number,
  counter: CodeCounter,
): void {
  const [nx, ny] = size;
  const [dx, dy, dz] = direction;
  const [x0, y0] = bounds.min;
  const [x1, y1] = bounds.max;
  const offset = dx + nx * (dy + ny * dz);
  const inside = (x: number, y: number, z: number) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1 && z >= z0 && z <= z1;
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = nx * (y + ny * z);
      for (let x = x0; x <= x1; x++) {
        const v = row + x;
        const g = levels[v]!;
        if (g === 0) continue;
        if (inside(x - dx, y - dy, z - dz) && levels[v - offset] === g) continue;
        let length = 1;
        let qx = x + dx;
        let qy = y + dy;
        let qz = z + dz;
        let w = v + offset;
        while (inside(qx, qy, qz) && levels[w] === g) {
          length++;
          qx += dx;
          qy += dy;
          qz += dz;
          w += offset;
        }
        counter.add((g - 1) * maxRun + (length - 1), 1);
      }
    }
  }
}

/** The GLRLMs of a discretised ROI, Nr (the run-length dimension of the cell codes) and the counter. */
export interface RunLengthMatrices {
  set: DirectionalMatrixSet;
  maxRun: number;
  /** A counter over the cell codes, for merging the matrices. */
  counter: CodeCounter;
}

/**
 * The GLRLMs per slice and in-plane direction (DIRECTIONS_2D order) and, when `with3d`, per 3D
 * direction (DIRECTIONS_3D order).
 */
export function runLengthMatrices(
  d: IbsiDiscretised,
  size: Vec3,
  with3d: boolean,
): RunLengthMatrices {
  const bounds = roiBounds(d.levels, size);
  if (!bounds) {
    return { set: { perSlice: [], perDirection3d: [] }, maxRun: 1, counter: new CodeCounter(1) };
  }
  const maxRun = Math.max(...bounds.max.map((hi, axis) => hi - bounds.min[axis]! + 1));
  const counter = new CodeCounter(d.nLevels * maxRun);
  const sliceVoxels = roiVoxelsPerSlice(d.levels, size, bounds);
  const perSlice: DirectionalMatrix[][] = [];
  for (let z = bounds.min[2]; z <= bounds.max[2]; z++) {
    const nVoxels = sliceVoxels[z - bounds.min[2]]!;
    perSlice.push(
      DIRECTIONS_2D.map((direction) => {
        countRuns(d.levels, size, bounds, direction, z, z, maxRun, counter);
        return { counts: counter.drain(), nVoxels };
      }),
    );
  }
  if (!with3d) return { set: { perSlice, perDirection3d: [] }, maxRun, counter };

  const totalVoxels = sliceVoxels.reduce((a, b) => a + b, 0);
  const perDirection3d = DIRECTIONS_3D.map((direction): DirectionalMatrix => {
    if (isInPlane(direction)) {
      const k = inPlaneIndex(direction);
      for (const slice of perSlice) counter.addAll(slice[k]!.counts);
    } else {
      countRuns(d.levels, size, bounds, direction, bounds.min[2], bounds.max[2], maxRun, counter);
    }
    return { counts: counter.drain(), nVoxels: totalVoxels };
  });
  return { set: { perSlice, perDirection3d }, maxRun, counter };
}
