/**
 * PyRadiomics' Gradient image type (imageoperations.getGradientImage): SimpleITK's
 * GradientMagnitudeImageFilter (ITK 5.2.1), float32 output, UseImageSpacing = gradientUseSpacing.
 */
import type { DerivedImage } from "../extract/derived.js";
import type { Settings } from "../extract/params.js";
import { checkRegion, type Volume, voxelCount, withData } from "../image/volume.js";

/**
 * Gradient magnitude as ITK's GradientMagnitudeImageFilter: per axis the central difference
 * g_a = h_a * I(x + e_a) - h_a * I(x - e_a) with h_a = 0.5 * (1 / spacing_a) (0.5 without
 * `useImageSpacing`), each product rounded in float64 as ITK's neighbourhood inner product; voxels
 * beyond the border take the value of the nearest border voxel (ZeroFluxNeumannBoundaryCondition).
 * Result float32(sqrt(g_x^2 + g_y^2 + g_z^2)), summed in axis order. With `region` only the voxels
 * inside it are computed (each needs just its neighbours); the others are 0.
 */
export function gradientMagnitude(
  image: Volume,
  useImageSpacing = true,
  region?: GradientRegion,
): Volume<Float32Array> {
  const [nx, ny, nz] = image.size;
  const axes = image.dimension === 2 ? 2 : 3;
  const h = [0.5, 0.5, 0.5];
  if (useImageSpacing) {
    for (let a = 0; a < axes; a++) {
      const s = image.spacing[a]!;
      if (s === 0) throw new Error(`gradient: image spacing along axis ${a} is zero`);
      h[a] = 0.5 * (1.0 / s);
    }
  }
  const [hx, hy, hz] = h as [number, number, number];
  const src = image.data;
  const out = new Float32Array(voxelCount(image.size));
  const sliceSize = nx * ny;
  const [x0, y0, z0] = region ? region.lower : [0, 0, 0];
  const [x1, y1, z1] = region ? region.upper : [nx - 1, ny - 1, nz - 1];
  if (region) checkRegion(region, image.size, "gradient");
  for (let z = z0; z <= z1; z++) {
    const zMinus = z > 0 ? -sliceSize : 0;
    const zPlus = z < nz - 1 ? sliceSize : 0;
    for (let y = y0; y <= y1; y++) {
      const yMinus = y > 0 ? -nx : 0;
      const yPlus = y < ny - 1 ? nx : 0;
      const row = z * sliceSize + y * nx;
      for (let x = x0; x <= x1; x++) {
        const i = row + x;
        const xMinus = x > 0 ? -1 : 0;
        const xPlus = x < nx - 1 ? 1 : 0;
        const gx = hx * src[i + xPlus]! - hx * src[i + xMinus]!;
        const gy = hy * src[i + yPlus]! - hy * src[i + yMinus]!;
        let sum = 0 + gx * gx + gy * gy;
        if (axes === 3) {
          const gz = hz * src[i + zPlus]! - hz * src[i + zMinus]!;
          sum += gz * gz;
        }
        out[i] = Math.sqrt(sum);
      }
    }
  }
  return withData(image, out);
}

/** Inclusive voxel ranges per axis (x, y, z). */
export interface GradientRegion {
  lower: readonly [number, number, number];
  upper: readonly [number, number, number];
}

/**
 * PyRadiomics getGradientImage: one image named 'gradient' (spacing used unless gradientUseSpacing
 * is false); exact inside `region` when one is given.
 */
export function* gradientImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
  region?: GradientRegion,
): Generator<DerivedImage> {
  yield {
    name: "gradient",
    image: gradientMagnitude(image, settings.gradientUseSpacing, region),
    settings,
  };
}
