/**
 * IBSI-2 mean filter (reference manual, "Mean filter", permanent identifier S60F;
 * arXiv:2006.05470): the average over a cube (3D) or square (2D, slice by slice along z) of M
 * voxels per side, M odd, centred on each voxel. Separable: the 1D kernel 1/M (1, ..., 1) along
 * each filtered axis.
 */
import type { Vec3 } from "../../image/volume.js";
import { IbsiSettingError } from "../types.js";
import { checkFilterImage, convolveSeparable, type FilterImage } from "./convolution.js";
import { checkGridSettings, type FilterGridSettings } from "./grid-settings.js";

export interface MeanFilterSettings extends FilterGridSettings {
  /** Support M in voxels along each filtered axis: an odd integer >= 1. */
  support: number;
}

/** Checks the settings; the error names the offending setting. */
export function checkMeanFilterSettings(settings: MeanFilterSettings): void {
  const { support } = settings;
  if (!(Number.isInteger(support) && support >= 1 && support % 2 === 1))
    throw new IbsiSettingError(`mean.support: must be an odd integer >= 1, got ${String(support)}`);
  checkGridSettings(settings, "mean");
}

/** The 1D mean kernel of M voxels. */
export function meanKernel(support: number): Float64Array {
  return new Float64Array(support).fill(1 / support);
}

/**
 * The mean of `data` over a square (2D, each slice) or cube (3D) of `support` voxels per side
 * centred on each voxel: the mean filter, and the Laws energy map of |response| (laws.ts).
 */
export function boxMean(
  data: Float64Array,
  size: Readonly<Vec3>,
  support: number,
  grid: FilterGridSettings,
): Float64Array {
  const kernel = meanKernel(support);
  const z = grid.dimensionality === "3D" ? kernel : null;
  return convolveSeparable(data, size, [kernel, kernel, z], grid.boundary);
}

/** The mean-filter response map (same grid as the image). */
export function meanFilter(image: FilterImage, settings: MeanFilterSettings): Float64Array {
  checkMeanFilterSettings(settings);
  checkFilterImage(image, "mean");
  return boxMean(image.data, image.size, settings.support, settings);
}
