/**
 * The cubic B-spline interpolator (BSplineInterpolateImageFunction, order 3) as ResampleImageFilter
 * runs it, one WebAssembly kernel call per resampled image (binding: src/kernels/bspline.ts; the
 * method, ITK's coefficients, weights, mirrored support indices and summation order are documented
 * beside the kernels, src/kernels/assembly/bspline-*.ts). The coefficients (ITK's decomposition of
 * the whole input image, ../bspline.ts) are computed only on the lines the scan rows can read.
 */
import { bsplineResample } from "../../kernels/bspline.js";
import type { Volume, VoxelArray, VoxelType } from "../volume.js";
import type { ScanRows } from "./scan-rows.js";

/**
 * ResampleImageFilter with BSplineInterpolateImageFunction (order 3) along the scan rows: points
 * inside the input interpolated, others 0, cast to `outputType` (x fastest, rows in order).
 */
export function resampleBSpline(input: Volume, rows: ScanRows, outputType: VoxelType): VoxelArray {
  return bsplineResample(input, rows, outputType);
}
