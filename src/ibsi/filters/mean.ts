/**
 * IBSI-2 mean filter (reference manual, "Mean filter", permanent identifier S60F;
 * arXiv:2006.05470): the average over a cube (3D) or square (2D, slice by slice along z) of M
 * voxels per side, M odd, centred on each voxel. Separable: the 1D kernel 1/M (1, ..., 1) along
 * each filtered axis.
 */
import { IbsiSettingError } from "../types.js";
import {
  checkFilterImage,
  convolveSeparable,
  type FilterDimensionality,
  type FilterImage,
  parseDimensionality,
} from "./convolution.js";
import { type BoundaryCondition, parseBoundaryCondition } from "./padding.js";

export interface MeanFilterSettings {
  /** Support M in voxels along each filtered axis: an odd integer >= 1. */
  support: number;
  /** "2D": each x-y slice on its own; "3D": the whole grid. */
  dimensionality: FilterDimensionality;
  boundary: BoundaryCondition;
}

/** Checks the settings; the error names the offending setting. */
export function checkMeanFilterSettings(settings: MeanFilterSettings): void {
  const { support } = settings;
  if (!(Number.isInteger(support) && support >= 1 && support % 2 === 1))
    throw new IbsiSettingError(`mean.support: must be an odd integer >= 1, got ${String(support)}`);
  parseDimensionality(settings.dimensionality, "mean.dimensionality");
  parseBoundaryCondition(settings.boundary, "mean.boundary");
}

/** The 1D mean kernel of M voxels. */
export function meanKernel(support: number): Float64Array {
  return new Float64Array(support).fill(1 / support);
}

/** The mean-filter response map (same grid as the image). */
export function meanFilter(image: FilterImage, settings: MeanFilterSettings): Float64Array {
  checkMeanFilterSettings(settings);
  checkFilterImage(image, "mean");
  const kernel = meanKernel(settings.support);
  const z = settings.dimensionality === "3D" ? kernel : null;
  return convolveSeparable(image.data, image.size, [kernel, kernel, z], settings.boundary);
}
