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
 */
import type { Vec3 } from "../../image/volume.js";

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
