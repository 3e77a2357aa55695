/**
 * PyRadiomics' LoG image type (imageoperations.getLoGImage): SimpleITK's
 * LaplacianRecursiveGaussianImageFilter with NormalizeAcrossScale on, one derived image per sigma.
 */
import type { DerivedImage } from "../extract/derived.js";
import type { Settings } from "../extract/params.js";
import { pythonFloatString } from "../extract/python-format.js";
import {
  checkRegion,
  type Volume,
  type VoxelRegion,
  wholeRegion,
  withData,
} from "../image/volume.js";
import { RecursiveGaussianVolume } from "../kernels/gaussian.js";
import { recursiveGaussianCoefficients } from "./recursive-gaussian.js";

/**
 * Laplacian of Gaussian as ITK 5.2.1's LaplacianRecursiveGaussianImageFilter (float32 output, as
 * SimpleITK): for each axis d, the recursive second-derivative Gaussian along d followed by Gaussian
 * smoothing along the other axes in increasing order (each pass stored as float32), divided by
 * spacing_d^2 and accumulated in float32: L = sum_d (d^2/dx_d^2 G_sigma * I) with
 * cumulative = float32(cumulative + pass * (1 / spacing_d^2)). With `normalizeAcrossScale` the second
 * derivative is multiplied by sigma^2 (scale-normalised LoG, as PyRadiomics sets).
 *
 * With `region` (e.g. the ROI's bounding box) only the voxels inside it are computed, bit for bit
 * as for the whole image; the others are 0. Each IIR pass still runs over whole lines: the k-th pass
 * of a chain along axes a1, a2, a3 covers the region on a1..ak and the whole image on the others.
 */
export function laplacianRecursiveGaussian(
  image: Volume,
  sigma: number,
  normalizeAcrossScale = true,
  region?: VoxelRegion,
): Volume<Float32Array> {
  const axes = image.dimension === 2 ? ([0, 1] as const) : ([0, 1, 2] as const);
  for (const axis of axes) {
    if (image.size[axis] < 4) {
      throw new Error(
        `LoG: the image has ${image.size[axis]} voxels along axis ${axis}; the recursive Gaussian needs at least 4`,
      );
    }
  }
  const target = region ?? wholeRegion(image.size);
  checkRegion(target, image.size, "LoG");
  const full = wholeRegion(image.size);
  // The input, every pass (float32) and the float32 sum stay in kernel memory until the end.
  const volume = new RecursiveGaussianVolume(image.data, image.size, Float32Array, true);
  for (const dim of axes) {
    const chain = [dim, ...axes.filter((a) => a !== dim)];
    // Pass k must be exact on the target range along chain[0..k] and everywhere along the rest.
    const passRegion: VoxelRegion = {
      lower: [...full.lower],
      upper: [...full.upper],
    };
    chain.forEach((axis, k) => {
      passRegion.lower[axis] = target.lower[axis];
      passRegion.upper[axis] = target.upper[axis];
      const coefficients = recursiveGaussianCoefficients(
        sigma,
        image.spacing[axis],
        k === 0 ? 2 : 0,
        normalizeAcrossScale,
      );
      volume.filter(k === 0, axis, coefficients, passRegion);
    });
    const spacing2 = image.spacing[dim] * image.spacing[dim];
    volume.accumulate(1.0 / spacing2, target);
  }
  return withData(image, volume.accumulated());
}

/** PyRadiomics' name of a LoG image: log-sigma-<str(sigma) with '.' -> '-'>-mm-3D. */
export function logImageName(sigma: number, label = pythonFloatString(sigma)): string {
  return `log-sigma-${label.replaceAll(".", "-")}-mm-3D`;
}

/**
 * Why PyRadiomics would skip LoG sigmas on this image (its logged warnings): the whole image type
 * when any image dimension has fewer than 4 voxels, otherwise each sigma <= 0 or with
 * size < ceil(sigma / spacing) + 1 along some axis.
 */
export function logSkipReasons(image: Volume, sigmas: readonly number[]): string[] {
  const axes = image.dimension === 2 ? [0, 1] : [0, 1, 2];
  const size = axes.map((a) => image.size[a]!);
  const spacing = axes.map((a) => image.spacing[a]!);
  if (Math.min(...size) < 4) {
    return [`Image too small to apply LoG filter, size: [${size.join(" ")}]`];
  }
  const reasons: string[] = [];
  for (const sigma of sigmas) {
    if (!(sigma > 0.0)) {
      reasons.push(`applyLoG: sigma must be greater than 0.0: ${pythonFloatString(sigma)}`);
    } else if (!sigmaFits(sigma, size, spacing)) {
      reasons.push(
        `applyLoG: sigma(${pythonFloatString(sigma)})/spacing([${spacing.join(" ")}]) + 1 must be greater than the size([${size.join(" ")}]) of the inputImage`,
      );
    }
  }
  return reasons;
}

function sigmaFits(sigma: number, size: number[], spacing: number[]): boolean {
  return size.every((s, a) => s >= Math.ceil(sigma / spacing[a]!) + 1);
}

/**
 * PyRadiomics getLoGImage: nothing when an image dimension has fewer than 4 voxels; otherwise, for
 * each sigma of settings.sigma in order (none when empty), the scale-normalised LoG image named
 * log-sigma-<sigma>-mm-3D, skipping sigmas <= 0 and sigmas with size < ceil(sigma / spacing) + 1 along
 * some axis (PyRadiomics logs a warning for each; see logSkipReasons). With `region`, each image is
 * exact inside the region only (0 elsewhere; see laplacianRecursiveGaussian).
 */
export function* logImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
  region?: VoxelRegion,
): Generator<DerivedImage> {
  const axes = image.dimension === 2 ? [0, 1] : [0, 1, 2];
  const size = axes.map((a) => image.size[a]!);
  const spacing = axes.map((a) => image.spacing[a]!);
  if (Math.min(...size) < 4) return;
  const images: { name: string; sigma: number }[] = [];
  settings.sigma.forEach((sigma, k) => {
    if (!(sigma > 0.0) || !sigmaFits(sigma, size, spacing)) return;
    images.push({ name: logImageName(sigma, settings.sigmaLabels?.[k]), sigma });
  });
  for (const { name, sigma } of images) {
    yield { name, image: laplacianRecursiveGaussian(image, sigma, true, region), settings };
  }
}
