/**
 * Boxes of voxels on an x-fastest grid (z the slice axis, as src/ibsi/types.ts): the box of a
 * mask's voxels, a box grown by a margin and clipped to the grid, and the voxels of a box. IBSI
 * mode works on the region around the ROI rather than the whole scan (pipeline.ts for the
 * processing chain, response-map.ts for filters), and these are its building blocks.
 */
import type { BoundingBox } from "../../image/mask.js";
import { nonZeroBounds } from "../../image/mask-box.js";
import type { Vec3 } from "../../image/volume.js";

/** A box of grid voxels: first voxel and extent along x, y, z. */
export interface GridBox {
  start: Vec3;
  size: Vec3;
}

/** The box of a mask's nonzero voxels (src/image/mask-box.ts); null for an empty mask. */
export function maskBox(mask: Uint8Array, size: Readonly<Vec3>): GridBox | null {
  const bounds = nonZeroBounds(mask, size);
  return bounds && boxOfBounds(bounds);
}

/** Inclusive bounds as a GridBox (first voxel and extent). */
export function boxOfBounds({ lower, upper }: BoundingBox): GridBox {
  return {
    start: [lower[0], lower[1], lower[2]],
    size: [upper[0] - lower[0] + 1, upper[1] - lower[1] + 1, upper[2] - lower[2] + 1],
  };
}

/** A box grown by `margin` voxels on each side along each axis, clipped to the grid. */
export function growBox(box: GridBox, margin: Readonly<Vec3>, grid: Readonly<Vec3>): GridBox {
  const start: Vec3 = [0, 0, 0];
  const size: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const first = Math.max(0, box.start[a]! - margin[a]!);
    const last = Math.min(grid[a]! - 1, box.start[a]! + box.size[a]! - 1 + margin[a]!);
    start[a] = first;
    size[a] = last - first + 1;
  }
  return { start, size };
}

/** The box covering the whole grid. */
export function wholeBox(size: Readonly<Vec3>): GridBox {
  return { start: [0, 0, 0], size: [size[0], size[1], size[2]] };
}

/**
 * Copies the voxels of `box` of an x-fastest array on a grid of `size` into `out` (box-sized, x
 * fastest), row by row: a typed array's rows by `set` (any numeric type into float64 exactly), a
 * plain array's voxel by voxel.
 */
export function copyBoxInto(
  data: ArrayLike<number>,
  size: Readonly<Vec3>,
  box: GridBox,
  out: Float64Array | Uint8Array,
): void {
  const [bx, by, bz] = box.size;
  const typed = ArrayBuffer.isView(data)
    ? (data as unknown as { subarray(from: number, to: number): ArrayLike<number> })
    : null;
  for (let z = 0, o = 0; z < bz; z++) {
    for (let y = 0; y < by; y++, o += bx) {
      const from = box.start[0] + size[0] * (box.start[1] + y + size[1] * (box.start[2] + z));
      if (typed) out.set(typed.subarray(from, from + bx), o);
      else for (let x = 0; x < bx; x++) out[o + x] = data[from + x]!;
    }
  }
}

/** The voxels of `box` of an x-fastest array on a grid of `size`, in an array of the same type. */
export function cropArray<T extends Float64Array | Uint8Array>(
  data: T,
  size: Readonly<Vec3>,
  box: GridBox,
): T {
  const out = new (data.constructor as new (n: number) => T)(voxelsOf(box));
  copyBoxInto(data, size, box, out);
  return out;
}

/** The voxels of `box` of any numeric x-fastest array (e.g. a Volume's data), as float64. */
export function cropToFloat64(
  data: ArrayLike<number>,
  size: Readonly<Vec3>,
  box: GridBox,
): Float64Array {
  const out = new Float64Array(voxelsOf(box));
  copyBoxInto(data, size, box, out);
  return out;
}

function voxelsOf(box: GridBox): number {
  return box.size[0] * box.size[1] * box.size[2];
}
