/**
 * Cubic B-spline prefiltering exactly as ITK 5.2.1's BSplineDecompositionImageFilter (spline order
 * 3, mirror boundaries, Unser's recursive filter with pole z = sqrt(3) - 2, causal initialisation
 * truncated at the horizon ceil(ln(1e-10) / ln|z|)). The filter runs as WebAssembly
 * (src/kernels/assembly/bspline-coefficients.ts, where the method, its source and the order of the
 * floating-point operations that makes the coefficients agree with ITK bit for bit are documented;
 * binding: src/kernels/bspline.ts); the resampling itself uses it without leaving the kernel
 * (src/image/resample/bspline-interpolator.ts).
 */
import { cubicBSplineCoefficientRegion } from "../kernels/bspline.js";

export {
  type CoefficientRegion,
  cubicBSplineCoefficientRegion,
  cubicPrefilterLines,
  powCorrectlyRounded,
} from "../kernels/bspline.js";

/**
 * Cubic B-spline coefficients of a whole image (x fastest, `size` voxels per axis, `dimension`
 * axes), ITK's DataToCoefficientsND: the 1D prefilter along x, then y, then z.
 */
export function cubicBSplineCoefficients(
  data: ArrayLike<number>,
  size: readonly [number, number, number],
  dimension: 2 | 3,
): Float64Array {
  return cubicBSplineCoefficientRegion(data, size, dimension, 0, size[0] - 1, 0, size[1] - 1)
    .coefficients;
}
