/**
 * Sub-voxel translation perturbation (Zwanenburg et al., Sci Rep 2019;9:614; MIRP
 * `GenericImage._interpolate`, `perturbation_translation_fraction`): the sampling grid is shifted
 * by a fraction of a voxel along each index axis, so every voxel is interpolated between its
 * neighbours: output voxel i samples the input at continuous index i + t (t = fractions, per axis;
 * origin' = origin + direction · diag(spacing) · t). For a linear ramp f(x) = a·x + b a shift of
 * t = 0.5 gives a·(x + 0.5) + b at every voxel whose neighbour exists.
 */
import type { Vec3, Volume } from "../volume.js";
import { indexToPhysical } from "../volume.js";
import {
  checkRoiLabel,
  type GridGeometry,
  resampleImageOnGrid,
  resampleRoiOnGrid,
} from "./grid-sampling.js";
import type { ResampleOptions } from "./rotate.js";

/** Throws unless every fraction is finite and strictly between −1 and 1 (a sub-voxel shift). */
export function checkTranslation(fractions: Vec3): void {
  for (const f of fractions) {
    if (!(Number.isFinite(f) && f > -1 && f < 1)) {
      throw new Error(
        `translation: fractions of a voxel must lie in (-1, 1), got [${fractions.join(", ")}]`,
      );
    }
  }
}

/** The grid of `vol` shifted by `fractions` of a voxel along x, y, z (z ignored for 2D). */
export function translatedGrid(vol: GridGeometry, fractions: Vec3): GridGeometry {
  checkTranslation(fractions);
  const t: Vec3 = [fractions[0], fractions[1], vol.dimension === 3 ? fractions[2] : 0];
  return {
    size: [...vol.size],
    spacing: [...vol.spacing],
    origin: indexToPhysical(vol, t),
    direction: [...vol.direction],
    dimension: vol.dimension,
  };
}

/** Image and ROI resampled on the grid shifted by `fractions` of a voxel (see above). */
export function translateVolume(
  image: Volume,
  mask: Volume,
  fractions: Vec3,
  options: ResampleOptions = {},
): { image: Volume<Float64Array>; mask: Volume<Uint8Array> } {
  const label = options.label ?? 1;
  checkRoiLabel(label);
  const grid = translatedGrid(image, fractions);
  return {
    image: resampleImageOnGrid(image, grid, options.interpolator),
    mask: resampleRoiOnGrid(mask, grid, label),
  };
}
