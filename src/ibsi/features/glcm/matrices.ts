/**
 * IBSI-1 grey level co-occurrence matrices (GLCM, IBSI-1 manual "Grey level co-occurrence based
 * features", LFYI): one symmetric matrix per slice and in-plane direction (2D, 2.5D) and one per 3D
 * direction, at Chebyshev distance delta (the unit direction vectors times delta).
 *
 * M_m counts the grey-level pairs (i, j) of ROI voxels v and v + delta m, and is made symmetric:
 * M_m = M_{m+} + M_{m+}^T (each pair is counted as (i, j) and as (j, i)). Only pairs with both
 * voxels in the ROI intensity mask count. Cells are coded (i - 1) * Ng + (j - 1) and stored sparse
 * (code-counter.ts), so Ng ~ 1000 costs no Ng^2 work per matrix.
 */
import type { BoundingBox } from "../../../image/mask.js";
import { nonZeroBounds } from "../../../image/mask-box.js";
import type { Vec3 } from "../../../image/volume.js";
import type { KernelCodeCounts } from "../../../kernels/ibsi-code-counts.js";
import type { IbsiDiscretised } from "../../types.js";
import type { CodeCounter } from "./code-counter.js";
import { type DirectionalMatrixSet, directionalMatrices } from "./directional-matrices.js";

/**
 * Counts the symmetric co-occurrences along `step` (x, y, z voxels) of voxels in slices z0..z1 whose
 * neighbour at `step` lies in the same slice range and in the ROI bounding box: by the WebAssembly
 * kernel when the counter's cells are in kernel memory (`kernel`), else here.
 */
function countPairs(
  levels: Int32Array,
  size: Vec3,
  box: BoundingBox,
  step: Readonly<Vec3>,
  z0: number,
  z1: number,
  nLevels: number,
  counter: CodeCounter,
  kernel: KernelCodeCounts | null,
): void {
  const [nx, ny] = size;
  const [dx, dy, dz] = step;
  const { lower, upper } = box;
  const xLo = Math.max(lower[0], lower[0] - dx);
  const xHi = Math.min(upper[0], upper[0] - dx);
  const yLo = Math.max(lower[1], lower[1] - dy);
  const yHi = Math.min(upper[1], upper[1] - dy);
  const zLo = Math.max(z0, z0 - dz);
  const zHi = Math.min(z1, z1 - dz);
  const offset = dx + nx * (dy + ny * dz);
  if (kernel) {
    kernel.count(size, [xLo, yLo, zLo], [xHi, yHi, zHi], offset, nLevels);
    return;
  }
  const diagonalStride = nLevels + 1;
  for (let z = zLo; z <= zHi; z++) {
    for (let y = yLo; y <= yHi; y++) {
      const row = nx * (y + ny * z);
      for (let v = row + xLo; v <= row + xHi; v++) {
        const a = levels[v]!;
        if (a === 0) continue;
        const b = levels[v + offset]!;
        if (b === 0) continue;
        if (a === b) {
          counter.add((a - 1) * diagonalStride, 2);
        } else {
          counter.add((a - 1) * nLevels + (b - 1), 1);
          counter.add((b - 1) * nLevels + (a - 1), 1);
        }
      }
    }
  }
}

const scaled = (direction: Readonly<Vec3>, distance: number): Vec3 => [
  direction[0] * distance,
  direction[1] * distance,
  direction[2] * distance,
];

/**
 * The GLCMs of a discretised ROI: per slice and in-plane direction (DIRECTIONS_2D order), and per 3D
 * direction (DIRECTIONS_3D order) when `with3d`. N_v is the ROI voxel count (unused by GLCM features).
 * With `kernel` (holding d.levels and `counter`'s cells), the pairs are counted in WebAssembly.
 */
export function cooccurrenceMatrices(
  d: IbsiDiscretised,
  size: Vec3,
  distance: number,
  with3d: boolean,
  counter: CodeCounter,
  kernel: KernelCodeCounts | null = null,
): DirectionalMatrixSet {
  const box = nonZeroBounds(d.levels, size);
  if (!box) return { perSlice: [], perDirection3d: [] };
  const step = (direction: Readonly<Vec3>) => scaled(direction, distance);
  return directionalMatrices(d.levels, size, box, with3d, counter, (direction, z0, z1) =>
    countPairs(d.levels, size, box, step(direction), z0, z1, d.nLevels, counter, kernel),
  );
}
