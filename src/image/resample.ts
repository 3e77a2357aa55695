/**
 * Resampling of image and mask exactly as PyRadiomics' imageoperations.resampleImage does it
 * through SimpleITK 2.x / ITK 5.2.1:
 *
 * - the output grid comes from the mask: spacing `resampledPixelSpacing` (0 = keep the mask's
 *   spacing on that axis; an axis on which the ROI spans one voxel also keeps it), bounds
 *   floor((lower - 0.5) * ratio - padDistance) .. ceil((lower + size - 0.5) * ratio + padDistance)
 *   in the new index space (ratio = maskSpacing / newSpacing), clipped to the image, origin at the
 *   continuous mask index 0.5 * (newSpacing - maskSpacing) / maskSpacing + lowerBound / ratio,
 *   direction of the mask;
 * - when the new spacing equals the image spacing (numpy allclose), only the mask is resampled
 *   onto the image grid (nearest neighbour) and both are cropped to the ROI + padDistance;
 * - the image is resampled with the requested interpolator and keeps its pixel type (ITK clamps
 *   to the type's range and truncates, static_cast), the mask with nearest neighbour as UInt32;
 *   points outside the input get 0 (ResampleImageFilter's default pixel value).
 *
 * ITK's arithmetic is mirrored step for step because a last-bit difference can move a voxel
 * across an integer (truncation) or a nearest-neighbour boundary: index <-> physical mappings
 * use ITK's matrices (direction * diag(spacing), and its inverse computed by vnl's LINPACK SVD),
 * the scan-line interpolation of continuous indices of ResampleImageFilter's linear-transform
 * path, ITK's SSE rounding (Math::Floor / Math::Round), LinearInterpolateImageFunction's
 * branch structure and BSplineInterpolateImageFunction's summation order.
 *
 * This file is the public entry; the implementation lives in ./resample/:
 * - resample-image-and-mask.ts: resampleImageAndMask (PyRadiomics resampleImage, _checkROI);
 * - grid.ts: ResampleGrid and resamplingGrid (the output grid from the mask and the ROI);
 * - label-map.ts: castMaskToUInt32 and the label's bounding box on the cast;
 * - resample-mask.ts: the mask resampled with nearest neighbour as UInt32;
 * - resample-volume.ts: resampleVolume and the interpolator dispatch (evaluatorFor);
 * - scan-rows.ts: ResampleImageFilter's output scan lines in input continuous indices;
 * - interpolator.ts: interpolator names / numbers (resolveInterpolator) and the Evaluator type;
 * - nearest.ts, linear.ts, bspline-interpolator.ts: the interpolators;
 * - pixel-cast.ts: castInterpolated (clamp + static_cast to the output pixel type);
 * - itk-geometry.ts: index <-> physical point (itkGeometry and its transforms);
 * - vnl-svd.ts, linpack-blas.ts: vnl's pseudo-inverse (LINPACK dsvdc), physical->index matrix;
 * - itk-rounding.ts: itkFloor / itkRound (ITK's SSE2 rounding).
 */
export { type ResampleGrid, resamplingGrid } from "./resample/grid.js";
export { type InterpolatorName, resolveInterpolator } from "./resample/interpolator.js";
export {
  continuousIndexToPoint,
  type ItkGeometry,
  itkGeometry,
  pointToContinuousIndex,
} from "./resample/itk-geometry.js";
export { itkFloor, itkRound } from "./resample/itk-rounding.js";
export { castMaskToUInt32 } from "./resample/label-map.js";
export { castInterpolated } from "./resample/pixel-cast.js";
export { resampleImageAndMask } from "./resample/resample-image-and-mask.js";
export { resampleVolume } from "./resample/resample-volume.js";
export { svdInverse } from "./resample/vnl-svd.js";
