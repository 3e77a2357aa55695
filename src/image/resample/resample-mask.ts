/**
 * The label mask resampled with nearest neighbour onto a grid (or another image's grid) as a
 * UInt32 image, as PyRadiomics' resampleImage does it.
 */
import { type Volume, voxelCount, withData } from "../volume.js";
import type { ResampleGrid } from "./grid.js";
import { itkRound } from "./itk-rounding.js";
import { scanRows } from "./scan-rows.js";

/**
 * A label mask resampled with nearest neighbour as PyRadiomics does it: sitk.Cast(mask, UInt32)
 * (castMaskToUInt32), then ResampleImageFilter with a UInt32 output (resampleVolume's scan lines,
 * inside test and NearestNeighborInterpolateImageFunction's rounded, clamped index); the cast is
 * applied to each sampled voxel instead of the whole input (the same values), and the sampled
 * UInt32 is stored as is (the output cast of a UInt32 is the identity).
 */
export function resampleMaskNearest(
  mask: Volume,
  grid: ResampleGrid | Volume,
): Volume<Uint32Array> {
  if (mask.dimension !== grid.dimension) {
    throw new Error(`cannot resample a ${mask.dimension}D mask onto a ${grid.dimension}D grid`);
  }
  const is3D = grid.dimension === 3;
  const rows = scanRows(mask, grid);
  const [inX, inY, inZ] = mask.size;
  const d = mask.data;
  const hi0 = inX - 1 + 0.5;
  const hi1 = inY - 1 + 0.5;
  const hi2 = is3D ? inZ - 1 + 0.5 : 0.5;
  const nx = grid.size[0];
  const out = new Uint32Array(voxelCount(grid.size));
  const { start, delta } = rows;
  // The y and z indices usually repeat along a row: the last ones are reused.
  let lastC1 = Number.NaN;
  let lastC2 = Number.NaN;
  let j = 0;
  let k = 0;
  for (let r = 0, o = 0; r < rows.count; r++, o += nx) {
    const s0 = start[3 * r]!;
    const s1 = start[3 * r + 1]!;
    const s2 = start[3 * r + 2]!;
    const e0 = delta[3 * r]!;
    const e1 = delta[3 * r + 1]!;
    const e2 = delta[3 * r + 2]!;
    for (let x = 0; x < nx; x++) {
      const alpha = x / nx;
      const c0 = s0 + alpha * e0;
      const c1 = s1 + alpha * e1;
      const c2 = is3D ? s2 + alpha * e2 : 0;
      const inside =
        c0 >= -0.5 && c0 < hi0 && c1 >= -0.5 && c1 < hi1 && (!is3D || (c2 >= -0.5 && c2 < hi2));
      if (!inside) continue;
      const i = Math.min(itkRound(c0), inX - 1);
      if (c1 !== lastC1) {
        j = Math.min(itkRound(c1), inY - 1);
        lastC1 = c1;
      }
      if (is3D && c2 !== lastC2) {
        k = Math.min(itkRound(c2), inZ - 1);
        lastC2 = c2;
      }
      out[o + x] = Math.trunc(d[i + inX * (j + inY * k)]!) >>> 0;
    }
  }
  return withData(grid, out);
}
