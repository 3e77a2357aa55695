/**
 * ResampleImageFilter on an image: the interpolator chosen by name (evaluatorFor) evaluated along
 * the output scan lines, points outside the input set to 0, and the cast to the output pixel type.
 */
import {
  allocateVoxels,
  type Volume,
  type VoxelType,
  voxelCount,
  voxelTypeOf,
  withData,
} from "../volume.js";
import { resampleBSpline } from "./bspline-interpolator.js";
import type { ResampleGrid } from "./grid.js";
import type { Evaluator, InterpolatorName } from "./interpolator.js";
import { linear } from "./linear.js";
import { nearestNeighbour } from "./nearest.js";
import { castRow } from "./pixel-cast.js";
import { scanRows } from "./scan-rows.js";

/**
 * The per-voxel evaluator of an interpolator; sitkBSpline resamples the whole image in one kernel
 * call instead (resampleVolume).
 */
export function evaluatorFor(input: Volume, interpolator: InterpolatorName): Evaluator {
  switch (interpolator) {
    case "sitkNearestNeighbor":
      return nearestNeighbour(input);
    case "sitkLinear":
      return linear(input);
    default:
      throw new Error(
        `interpolator '${interpolator}' is not implemented; use sitkNearestNeighbor, sitkLinear or sitkBSpline`,
      );
  }
}

/**
 * ITK ResampleImageFilter with an identity transform: every output scan line maps its first
 * voxel (index 0) and the voxel one past its end (index size_x) into the input's continuous index
 * space, voxel x of the line is start + (x / size_x) * (end - start); points inside
 * [-0.5, size - 0.5) are interpolated and cast to `outputType`, others get 0.
 */
export function resampleVolume(
  input: Volume,
  grid: ResampleGrid,
  interpolator: InterpolatorName,
  outputType: VoxelType = voxelTypeOf(input.data),
): Volume {
  if (input.dimension !== grid.dimension) {
    throw new Error(`cannot resample a ${input.dimension}D image onto a ${grid.dimension}D grid`);
  }
  const dim = grid.dimension;
  const rows = scanRows(input, grid);
  if (interpolator === "sitkBSpline")
    return withData(grid, resampleBSpline(input, rows, outputType));
  const evaluate = evaluatorFor(input, interpolator);
  const [nx] = grid.size;
  const out = allocateVoxels(outputType, voxelCount(grid.size));
  const hi0 = input.size[0] - 1 + 0.5;
  const hi1 = input.size[1] - 1 + 0.5;
  const hi2 = dim === 3 ? input.size[2] - 1 + 0.5 : 0.5;
  const row = new Float64Array(nx);
  const inside = new Uint8Array(nx);
  const { start, delta } = rows;
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
      const c2 = dim === 3 ? s2 + alpha * e2 : 0;
      const isInside =
        c0 >= -0.5 && c0 < hi0 && c1 >= -0.5 && c1 < hi1 && (dim === 2 || (c2 >= -0.5 && c2 < hi2));
      inside[x] = isInside ? 1 : 0;
      row[x] = isInside ? evaluate(c0, c1, c2) : 0;
    }
    castRow(row, inside, out, o, outputType);
  }
  return withData(grid, out);
}
