/**
 * Intensity pre-processing as PyRadiomics does it before feature extraction.
 */
import type { ResegmentMode } from "../extract/params.js";
import { RoiError } from "./mask.js";
import type { Volume } from "./volume.js";

/**
 * PyRadiomics normalizeImage: f(x) = s * (x - mu) / sigma over ALL image voxels (ITK
 * NormalizeImageFilter: mean and the n-1 standard deviation from StatisticsImageFilter, with
 * compensated sums), outliers beyond +-removeOutliers clipped before the scale s is applied.
 * Output is float64, as SimpleITK gives for integer input.
 */
export function normalizeImage(
  image: Volume,
  scale: number,
  removeOutliers: number | null,
): Volume<Float64Array> {
  const d = image.data;
  const n = d.length;
  // Kahan-compensated sums, as ITK's StatisticsImageFilter (CompensatedSummation).
  let sum = 0;
  let sumC = 0;
  let sq = 0;
  let sqC = 0;
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    let y = v - sumC;
    let t = sum + y;
    sumC = t - sum - y;
    sum = t;
    y = v * v - sqC;
    t = sq + y;
    sqC = t - sq - y;
    sq = t;
  }
  const mean = sum / n;
  const variance = (sq - (sum * sum) / n) / (n - 1);
  const sigma = Math.sqrt(variance);
  if (!(sigma > 0)) throw new RoiError("cannot normalize: the image has zero standard deviation");
  const out = new Float64Array(n);
  const shift = -mean;
  const invSigma = 1 / sigma;
  for (let i = 0; i < n; i++) {
    let v = (d[i]! + shift) * invSigma;
    if (removeOutliers !== null) {
      if (v > removeOutliers) v = removeOutliers;
      else if (v < -removeOutliers) v = -removeOutliers;
    }
    out[i] = v * scale;
  }
  return { ...image, data: out };
}

/**
 * PyRadiomics resegmentMask: keep ROI voxels with T_low <= x (<= T_high). Thresholds are absolute,
 * relative to the ROI maximum, or mean + k * sd (population sd) of the ROI.
 */
export function resegmentRoi(
  image: ArrayLike<number>,
  roi: Uint8Array,
  range: readonly number[],
  mode: ResegmentMode,
): Uint8Array {
  if (range.length === 0 || range.length > 2) {
    throw new RoiError(`resegmentRange must hold 1 or 2 values, got ${range.length}`);
  }
  const sorted = [...range].sort((a, b) => a - b);
  let thresholds = sorted;
  if (mode === "relative") {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < roi.length; i++) if (roi[i] && image[i]! > max) max = image[i]!;
    thresholds = sorted.map((t) => max * t);
  } else if (mode === "sigma") {
    let n = 0;
    let sum = 0;
    for (let i = 0; i < roi.length; i++) {
      if (roi[i]) {
        sum += image[i]!;
        n++;
      }
    }
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < roi.length; i++) {
      if (roi[i]) {
        const dv = image[i]! - mean;
        ss += dv * dv;
      }
    }
    const sd = Math.sqrt(ss / n);
    thresholds = sorted.map((t) => mean + sd * t);
  }
  const out = new Uint8Array(roi.length);
  let kept = 0;
  const lo = thresholds[0]!;
  const hi = thresholds.length === 2 ? thresholds[1]! : Number.POSITIVE_INFINITY;
  for (let i = 0; i < roi.length; i++) {
    if (roi[i] && image[i]! >= lo && image[i]! <= hi) {
      out[i] = 1;
      kept++;
    }
  }
  if (kept <= 1) {
    throw new RoiError(
      `resegmentation excluded too many voxels (retained ${kept} voxel(s)); cannot extract features`,
    );
  }
  return out;
}
