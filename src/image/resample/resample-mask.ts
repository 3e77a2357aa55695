/**
 * The label mask resampled with nearest neighbour onto a grid (or another image's grid) as a
 * UInt32 image, as PyRadiomics' resampleImage does it.
 */
import { resampleMaskNearestKernel } from "../../kernels/bspline.js";
import { type Volume, withData } from "../volume.js";
import type { ResampleGrid } from "./grid.js";
import { scanRows } from "./scan-rows.js";

/**
 * A label mask resampled with nearest neighbour as PyRadiomics does it: sitk.Cast(mask, UInt32)
 * (castMaskToUInt32), then ResampleImageFilter with a UInt32 output (resampleVolume's scan lines,
 * inside test and NearestNeighborInterpolateImageFunction's rounded, clamped index); the cast is
 * applied to each sampled voxel instead of the whole input (the same values), and the sampled
 * UInt32 is stored as is (the output cast of a UInt32 is the identity). One kernel call
 * (src/kernels/assembly/mask-nearest.ts, resampleMaskNearest).
 */
export function resampleMaskNearest(
  mask: Volume,
  grid: ResampleGrid | Volume,
): Volume<Uint32Array> {
  if (mask.dimension !== grid.dimension) {
    throw new Error(`cannot resample a ${mask.dimension}D mask onto a ${grid.dimension}D grid`);
  }
  return withData(grid, resampleMaskNearestKernel(mask, scanRows(mask, grid)));
}
