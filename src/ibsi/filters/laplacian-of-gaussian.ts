/**
 * IBSI-2 Laplacian-of-Gaussian filter (reference manual, "Laplacian of Gaussian", permanent
 * identifier L6PA; arXiv:2006.05470). The kernel is the Laplacian of the continuous Gaussian,
 * sampled at the voxel centres and truncated at `truncate` sigma:
 *
 *   LoG(u) = -1/sigma^2 (1 / (sigma sqrt(2 pi)))^D (D - |u|^2 / sigma^2) exp(-|u|^2 / (2 sigma^2))
 *
 * in voxel units (u voxel offsets, sigma = sigma_mm / spacing), D = 2 (slice by slice along z) or
 * 3, kernel radius floor(truncate sigma + 0.5) voxels per axis (as MIRP, the IBSI reference
 * implementation). Not ITK's recursive LoG and not normalised across scale (the PyRadiomics mode
 * has that one). The kernel equals sum_d g2(u_d) prod_{e != d} g0(u_e) with
 * g0(u) = exp(-u^2 / (2 sigma^2)) / (sigma sqrt(2 pi)) and g2 = g0'' = g0 (u^2/sigma^4 - 1/sigma^2),
 * so it is applied as D separable convolutions.
 *
 * Anisotropic grids (IBSI configurations resample to isotropic voxels first, so this only
 * generalises): the Gaussian is isotropic in mm (sigma_d = sigma_mm / h_d voxels along axis d), and
 * the Laplacian is taken in mm and expressed in units of the finest filtered spacing h:
 * sum_d (h / h_d)^2 d^2/du_d^2 — on an isotropic grid exactly IBSI's voxel-unit value. With
 * sigmaUnit "voxel" the grid is treated as isotropic (sigma voxels along every axis).
 */
import { IbsiSettingError } from "../types.js";
import { checkFilterImage, convolveSeparable, type FilterImage } from "./convolution.js";
import { checkGridSettings, type FilterGridSettings } from "./grid-settings.js";

export interface LaplacianOfGaussianSettings extends FilterGridSettings {
  /** Gaussian scale sigma, in mm (default) or voxels (`sigmaUnit`). */
  sigma: number;
  sigmaUnit?: "mm" | "voxel";
  /** Kernel truncation in units of sigma (IBSI configurations: 4). */
  truncate: number;
}

/** Checks the settings; the error names the offending setting. */
export function checkLaplacianOfGaussianSettings(settings: LaplacianOfGaussianSettings): void {
  const { sigma, truncate, sigmaUnit } = settings;
  if (!(Number.isFinite(sigma) && sigma > 0))
    throw new IbsiSettingError(`log.sigma: must be a positive number, got ${String(sigma)}`);
  if (sigmaUnit !== undefined && sigmaUnit !== "mm" && sigmaUnit !== "voxel")
    throw new IbsiSettingError(`log.sigmaUnit: must be "mm" or "voxel", got ${String(sigmaUnit)}`);
  if (!(Number.isFinite(truncate) && truncate > 0))
    throw new IbsiSettingError(`log.truncate: must be a positive number, got ${String(truncate)}`);
  checkGridSettings(settings, "log");
}

/**
 * The sampled 1D Gaussian g0 (order 0) or its second derivative g2 (order 2), sigma in voxels,
 * over offsets -r..r with r = floor(truncate sigma + 0.5).
 */
export function gaussianKernel1d(sigma: number, truncate: number, order: 0 | 2): Float64Array {
  const r = Math.floor(truncate * sigma + 0.5);
  const out = new Float64Array(2 * r + 1);
  const s2 = sigma * sigma;
  const norm = 1 / (sigma * Math.sqrt(2 * Math.PI));
  for (let i = 0; i <= 2 * r; i++) {
    const u = i - r;
    const g0 = norm * Math.exp((-u * u) / (2 * s2));
    out[i] = order === 0 ? g0 : g0 * ((u * u) / (s2 * s2) - 1 / s2);
  }
  return out;
}

/** The LoG response map (same grid as the image). */
export function laplacianOfGaussian(
  image: FilterImage,
  settings: LaplacianOfGaussianSettings,
): Float64Array {
  checkLaplacianOfGaussianSettings(settings);
  checkFilterImage(image, "log");
  const axes = settings.dimensionality === "3D" ? [0, 1, 2] : [0, 1];
  const voxelUnits = settings.sigmaUnit === "voxel";
  const spacing = axes.map((a) => (voxelUnits ? 1 : image.spacing[a]!));
  const finest = Math.min(...spacing);
  const g0 = axes.map((_, i) =>
    gaussianKernel1d(settings.sigma / spacing[i]!, settings.truncate, 0),
  );
  const out = new Float64Array(image.data.length);
  for (let d = 0; d < axes.length; d++) {
    const weight = (finest / spacing[d]!) ** 2;
    const g2 = gaussianKernel1d(settings.sigma / spacing[d]!, settings.truncate, 2).map(
      (v) => v * weight,
    );
    const kernels = [null, null, null] as [
      Float64Array | null,
      Float64Array | null,
      Float64Array | null,
    ];
    for (let i = 0; i < axes.length; i++) kernels[axes[i]!] = i === d ? g2 : g0[i]!;
    const term = convolveSeparable(image.data, image.size, kernels, settings.boundary);
    for (let v = 0; v < out.length; v++) out[v] = out[v]! + term[v]!;
  }
  return out;
}
