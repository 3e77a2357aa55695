/**
 * Boxes of voxels on an x-fastest grid (z the slice axis, as src/ibsi/types.ts): the box of a
 * mask's voxels, a box grown by a margin and clipped to the grid, and the voxels of a box. IBSI
 * mode works on the region around the ROI rather than the whole scan (pipeline.ts for the
 * processing chain, response-map.ts for filters), and these are its building blocks.
 */
import type { Vec3 } from "../../image/volume.js";

/** A box of grid voxels: first voxel and extent along x, y, z. */
export interface GridBox {
  start: Vec3;
  size: Vec3;
}

/** The box of a mask's nonzero voxels; null for an empty mask. */
export function maskBox(mask: Uint8Array, size: Readonly<Vec3>): GridBox | null {
  const [nx, ny, nz] = size;
  let x0 = nx;
  let x1 = -1;
  let y0 = ny;
  let y1 = -1;
  let z0 = nz;
  let z1 = -1;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++, i += nx) {
      // The row's first and last voxel in the mask, if any.
      let first = -1;
      for (let x = 0; x < nx; x++) {
        if (mask[i + x] !== 0) {
          first = x;
          break;
        }
      }
      if (first < 0) continue;
      let last = nx - 1;
      while (mask[i + last] === 0) last--;
      if (first < x0) x0 = first;
      if (last > x1) x1 = last;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      z1 = z;
    }
  }
  if (x1 < 0) return null;
  return { start: [x0, y0, z0], size: [x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1] };
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

/** The voxels of `box` of an x-fastest array on a grid of `size`, in an array of the same type. */
export function cropArray<T extends Float64Array | Uint8Array>(
  data: T,
  size: Readonly<Vec3>,
  box: GridBox,
): T {
  const [bx, by, bz] = box.size;
  const out = new (data.constructor as new (n: number) => T)(bx * by * bz);
  for (let z = 0, o = 0; z < bz; z++) {
    for (let y = 0; y < by; y++, o += bx) {
      const from = box.start[0] + size[0] * (box.start[1] + y + size[1] * (box.start[2] + z));
      out.set(data.subarray(from, from + bx), o);
    }
  }
  return out;
}

/** The voxels of `box` of any numeric x-fastest array (e.g. a Volume's data), as float64. */
export function cropToFloat64(
  data: ArrayLike<number>,
  size: Readonly<Vec3>,
  box: GridBox,
): Float64Array {
  const [bx, by, bz] = box.size;
  const out = new Float64Array(bx * by * bz);
  for (let z = 0, o = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      const from = box.start[0] + size[0] * (box.start[1] + y + size[1] * (box.start[2] + z));
      for (let x = 0; x < bx; x++, o++) out[o] = data[from + x]!;
    }
  }
  return out;
}
