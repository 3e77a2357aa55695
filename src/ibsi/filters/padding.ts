/**
 * Boundary conditions of IBSI-2 (reference manual, "Boundary conditions"): how a filter reads
 * voxels beyond the image edge. For a line of n voxels and an index i outside 0..n-1:
 * - zero: the voxel is 0 (`boundaryIndex` returns -1);
 * - nearest: the edge voxel (a a a | a b c d | d d d);
 * - periodic: the image repeats (b c d | a b c d | a b c);
 * - mirror: the image is reflected about its edge, the edge voxel repeated
 *   (c b a | a b c d | d c b), scipy.ndimage's mode "reflect".
 */
import { IbsiSettingError } from "../types.js";

export type BoundaryCondition = "zero" | "nearest" | "periodic" | "mirror";

export const BOUNDARY_CONDITIONS: readonly BoundaryCondition[] = [
  "zero",
  "nearest",
  "periodic",
  "mirror",
];

/**
 * The in-image index that voxel i of a line of n voxels reads under a boundary condition, or -1
 * for a zero voxel. Valid for any integer i (the mirror and periodic patterns repeat).
 */
export function boundaryIndex(i: number, n: number, condition: BoundaryCondition): number {
  if (i >= 0 && i < n) return i;
  switch (condition) {
    case "zero":
      return -1;
    case "nearest":
      return i < 0 ? 0 : n - 1;
    case "periodic":
      return ((i % n) + n) % n;
    case "mirror": {
      // Period 2n: a b c d d c b a, then repeat.
      const k = ((i % (2 * n)) + 2 * n) % (2 * n);
      return k < n ? k : 2 * n - 1 - k;
    }
  }
}

/** Checks a boundary-condition name from a parameter file (the error names the setting). */
export function parseBoundaryCondition(value: unknown, setting: string): BoundaryCondition {
  if (typeof value === "string" && (BOUNDARY_CONDITIONS as readonly string[]).includes(value))
    return value as BoundaryCondition;
  throw new IbsiSettingError(
    `${setting}: boundary condition must be one of ${BOUNDARY_CONDITIONS.join(", ")}, got ${String(value)}`,
  );
}
