/**
 * The output grid of a resampling: ResampleGrid (ITK ResampleImageFilter's output information)
 * and its computation from the mask and the ROI's bounding box as PyRadiomics'
 * imageoperations.resampleImage does it.
 */
import type { Mat3, Vec3, Volume } from "../volume.js";
import { continuousIndexToPoint, itkGeometry } from "./itk-geometry.js";

/** Output grid of a resampling (ITK ResampleImageFilter's output information). */
export interface ResampleGrid {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: Mat3;
  dimension: 2 | 3;
}

/**
 * The resampling grid of PyRadiomics' resampleImage for a mask geometry and the ROI's bounding
 * box (lower corner and size in mask voxels), with `spacing` already resolved (0 replaced by the
 * mask spacing, single-voxel axes kept):
 *   ratio = maskSpacing / spacing
 *   lower' = max(floor((lower - 0.5) * ratio - padDistance), 0)
 *   upper' = min(ceil((lower + size - 0.5) * ratio + padDistance), ceil(maskSize * ratio) - 1)
 *   size' = upper' - lower' + 1
 *   origin = mask continuous index 0.5 * (spacing - maskSpacing) / maskSpacing + lower' / ratio.
 */
export function resamplingGrid(
  mask: Pick<Volume, "size" | "spacing" | "origin" | "direction" | "dimension">,
  roiLower: Vec3,
  roiSize: Vec3,
  spacing: Vec3,
  padDistance: number,
): ResampleGrid {
  const d = mask.dimension;
  const newSize: Vec3 = [1, 1, 1];
  const originIndex: number[] = [];
  for (let a = 0; a < d; a++) {
    const ms = mask.spacing[a]!;
    const ratio = ms / spacing[a]!;
    let lo = Math.floor((roiLower[a]! - 0.5) * ratio - padDistance);
    let hi = Math.ceil((roiLower[a]! + roiSize[a]! - 0.5) * ratio + padDistance);
    const maxUpper = Math.ceil(mask.size[a]! * ratio) - 1;
    if (lo < 0) lo = 0;
    if (hi > maxUpper) hi = maxUpper;
    newSize[a] = Math.trunc(hi - lo + 1);
    const originalLower = lo / ratio;
    const newOriginIndex = (0.5 * (spacing[a]! - ms)) / ms;
    originIndex.push(newOriginIndex + originalLower);
  }
  const p = continuousIndexToPoint(itkGeometry(mask), originIndex);
  const origin: Vec3 = [p[0]!, p[1]!, d === 3 ? p[2]! : mask.origin[2]];
  const outSpacing: Vec3 = [spacing[0], spacing[1], d === 3 ? spacing[2] : mask.spacing[2]];
  return {
    size: newSize,
    spacing: outSpacing,
    origin,
    direction: [...mask.direction],
    dimension: d,
  };
}
