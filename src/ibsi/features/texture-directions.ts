/**
 * Direction vectors and scan geometry shared by the IBSI directional texture families (GLCM and
 * GLRLM; IBSI-1 manual, "Grey level co-occurrence based features" LFYI and "Grey level run length
 * based features" TP0I).
 *
 * IBSI-1 uses the Chebyshev-distance-1 neighbourhood: 13 unique direction vectors in 3D and 4 in the
 * (x, y) plane of a slice for 2D / 2.5D computations; a vector m and -m give the same (symmetric)
 * co-occurrences and the same runs, so only one of each pair is listed. Vectors are (x, y, z) with z
 * the slice axis (src/ibsi/types.ts). For GLCM distances delta > 1 the vectors are multiplied by
 * delta (IBSI-1, GLCM "Distances and distance weighting").
 *
 * Also here: the validation of a discretised ROI against its grid, and the ROI's bounding box,
 * which bounds every directional scan (nothing outside it is in the ROI).
 */
import type { Vec3 } from "../../image/volume.js";
import { type IbsiDiscretised, IbsiSettingError } from "../types.js";

/** In-plane directions of a slice (IBSI-1: (1,0), (1,1), (0,1), (-1,1)), as (x, y, 0). */
export const DIRECTIONS_2D: readonly Readonly<Vec3>[] = [
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 0],
  [-1, 1, 0],
];

/** The 13 unique 3D directions at Chebyshev distance 1, as IBSI-1 lists them. */
export const DIRECTIONS_3D: readonly Readonly<Vec3>[] = [
  [0, 0, 1],
  [0, 1, 0],
  [1, 0, 0],
  [0, 1, 1],
  [0, 1, -1],
  [1, 0, 1],
  [1, 0, -1],
  [1, 1, 0],
  [1, -1, 0],
  [1, 1, 1],
  [1, 1, -1],
  [1, -1, 1],
  [1, -1, -1],
];

/** True when a direction lies in the slice plane (no z step): its 3D matrix is the sum of 2D ones. */
export function isInPlane(direction: Readonly<Vec3>): boolean {
  return direction[2] === 0;
}

/** Index in DIRECTIONS_2D of an in-plane 3D direction (m and -m are the same direction). */
export function inPlaneIndex(direction: Readonly<Vec3>): number {
  const [dx, dy] = direction;
  const k = DIRECTIONS_2D.findIndex(
    (u) => (u[0] === dx && u[1] === dy) || (u[0] === -dx && u[1] === -dy),
  );
  if (k < 0 || direction[2] !== 0) throw new Error(`not an in-plane direction: [${direction}]`);
  return k;
}

/** Inclusive voxel ranges of the ROI (levels > 0) along x, y, z; undefined for an empty ROI. */
export interface RoiBounds {
  min: Vec3;
  max: Vec3;
}

/**
 * Checks a discretised ROI against its grid: levels has one entry per voxel, nLevels is a positive
 * integer and every level lies in 0..nLevels. Throws IbsiSettingError naming the setting.
 */
export function validateDiscretised(d: IbsiDiscretised, size: Vec3, family: string): void {
  if (size.length !== 3 || size.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new IbsiSettingError(`${family}: size must be three positive integers, got [${size}]`);
  }
  const voxels = size[0] * size[1] * size[2];
  if (d.levels.length !== voxels) {
    throw new IbsiSettingError(
      `${family}: levels has ${d.levels.length} entries but size [${size}] has ${voxels} voxels`,
    );
  }
  if (!Number.isInteger(d.nLevels) || d.nLevels < 1) {
    throw new IbsiSettingError(`${family}: nLevels must be a positive integer, got ${d.nLevels}`);
  }
  const levels = d.levels;
  for (let v = 0; v < voxels; v++) {
    const g = levels[v]!;
    if (g < 0 || g > d.nLevels) {
      throw new IbsiSettingError(
        `${family}: levels must lie in 0..nLevels (${d.nLevels}); voxel ${v} has ${g}`,
      );
    }
  }
}

/** The ROI's bounding box (levels > 0), or undefined when no voxel is in the ROI. */
export function roiBounds(levels: Int32Array, size: Vec3): RoiBounds | undefined {
  const [nx, ny, nz] = size;
  const min: Vec3 = [nx, ny, nz];
  const max: Vec3 = [-1, -1, -1];
  let v = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, v++) {
        if (levels[v]! <= 0) continue;
        if (x < min[0]) min[0] = x;
        if (x > max[0]) max[0] = x;
        if (y < min[1]) min[1] = y;
        if (y > max[1]) max[1] = y;
        if (z < min[2]) min[2] = z;
        if (z > max[2]) max[2] = z;
      }
    }
  }
  return max[0] < 0 ? undefined : { min, max };
}

/** ROI voxels (levels > 0) of each slice z = bounds.min[2]..bounds.max[2] (N_v of a 2D matrix). */
export function roiVoxelsPerSlice(levels: Int32Array, size: Vec3, bounds: RoiBounds): number[] {
  const [nx, ny] = size;
  const out: number[] = [];
  for (let z = bounds.min[2]; z <= bounds.max[2]; z++) {
    let n = 0;
    for (let y = bounds.min[1]; y <= bounds.max[1]; y++) {
      const row = nx * (y + ny * z);
      for (let x = bounds.min[0]; x <= bounds.max[0]; x++) if (levels[row + x]! > 0) n++;
    }
    out.push(n);
  }
  return out;
}
