/**
 * PyRadiomics resampleImage: the public entry resampling image and mask together (spacing
 * resolution, the ROI check of _checkROI, and the choice between resampling both onto the new
 * grid or only the mask onto the image's grid).
 */
import type { Settings } from "../../extract/params.js";
import { boundingBox, cropBounds, cropVolume } from "../mask.js";
import type { Vec3, Volume } from "../volume.js";
import { resamplingGrid } from "./grid.js";
import { resolveInterpolator } from "./interpolator.js";
import { continuousIndexToPoint, itkGeometry, pointToContinuousIndex } from "./itk-geometry.js";
import { labelBoundingBox } from "./label-map.js";
import { resampleMaskNearest } from "./resample-mask.js";
import { resampleVolume } from "./resample-volume.js";

/** PyRadiomics _checkROI: the ROI's bounding box must lie within the image (tolerance 1e-3). */
function checkRoiInsideImage(image: Volume, mask: Volume, lower: Vec3, size: Vec3): void {
  const d = mask.dimension;
  const mg = itkGeometry(mask);
  const ig = itkGeometry(image);
  const lo = lower.slice(0, d).map((v) => v - 0.5);
  const hi = lower.slice(0, d).map((v, a) => v + size[a]! - 0.5);
  const a0: number[] = [];
  const a1: number[] = [];
  pointToContinuousIndex(ig, continuousIndexToPoint(mg, lo), a0);
  pointToContinuousIndex(ig, continuousIndexToPoint(mg, hi), a1);
  const tol = 1e-3;
  for (let a = 0; a < d; a++) {
    const mn = Math.min(a0[a]!, a1[a]!);
    const mx = Math.max(a0[a]!, a1[a]!);
    if (mn < -0.5 - tol || mx > image.size[a]! - 0.5 + tol) {
      throw new Error(
        `bounding box of ROI is larger than image space: ROI bounds (image index space) (${a0.join(", ")}) to (${a1.join(", ")}), image size ${image.size.slice(0, d).join("x")}`,
      );
    }
  }
}

/**
 * PyRadiomics imageoperations.resampleImage (with getMask's UInt32 cast of the mask): returns the
 * resampled (and cropped) image, keeping its pixel type, and the UInt32 mask.
 */
export function resampleImageAndMask(
  image: Volume,
  mask: Volume,
  settings: Settings,
): { image: Volume; mask: Volume } {
  const spacingSetting = settings.resampledPixelSpacing;
  if (!spacingSetting) throw new Error("resampledPixelSpacing: not set");
  const d = mask.dimension;
  if (spacingSetting.length !== d) {
    throw new Error(
      `resampledPixelSpacing: wrong dimensionality (${spacingSetting.length}-D), ${d}-D required`,
    );
  }
  if (image.dimension !== d) {
    throw new Error(`image is ${image.dimension}D but mask is ${d}D`);
  }
  for (const s of spacingSetting) {
    if (!(Number.isFinite(s) && s >= 0)) {
      throw new Error(
        `resampledPixelSpacing: spacings must be >= 0, got ${spacingSetting.join(", ")}`,
      );
    }
  }
  const interpolator = resolveInterpolator(settings.interpolator ?? "sitkBSpline");
  const label = Math.trunc(settings.label);

  const spacing: Vec3 = [...mask.spacing];
  for (let a = 0; a < d; a++) if (spacingSetting[a] !== 0) spacing[a] = spacingSetting[a]!;

  const box = labelBoundingBox(mask, label);
  if (!box) throw new Error(`Label (${label}) not present in mask`);
  checkRoiInsideImage(image, mask, box.lower, box.size);
  // Do not resample along axes where the ROI spans a single voxel.
  for (let a = 0; a < d; a++) if (box.size[a] === 1) spacing[a] = mask.spacing[a];

  let same = true;
  for (let a = 0; a < d; a++) {
    if (!(Math.abs(image.spacing[a]! - spacing[a]!) <= 1e-8 + 1e-5 * Math.abs(spacing[a]!))) {
      same = false;
    }
  }
  if (same) {
    // Spacing unchanged: resample only the mask onto the image grid, then crop both.
    const resampledMask = resampleMaskNearest(mask, image);
    const roi = new Uint8Array(resampledMask.data.length);
    for (let i = 0; i < roi.length; i++) roi[i] = resampledMask.data[i] === label ? 1 : 0;
    const roiBox = boundingBox(roi, resampledMask.size);
    if (!roiBox)
      throw new Error(`Label (${label}) not present in the mask resampled onto the image`);
    const bounds = cropBounds(roiBox, image.size, settings.padDistance);
    return { image: cropVolume(image, bounds), mask: cropVolume(resampledMask, bounds) };
  }

  const grid = resamplingGrid(mask, box.lower, box.size, spacing, settings.padDistance);
  return {
    image: resampleVolume(image, grid, interpolator),
    mask: resampleMaskNearest(mask, grid),
  };
}
