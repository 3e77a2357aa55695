/**
 * Re-segmentation of IBSI-1 (reference manual, chapter 2 "Re-segmentation", IF9H): the intensity
 * mask is the morphological mask (the interpolated ROI) less the voxels whose intensity falls
 * outside
 * - a range [a, b] (range re-segmentation, USB3; closed bounds, either end may be open), and/or
 * - [mu - k sigma, mu + k sigma] (intensity outlier filtering, 7ACA; k = 3 in IBSI's
 *   configurations), with mu and sigma the mean and the population standard deviation of the
 *   intensities in the ROI.
 * When both are set, IBSI keeps "the intersection of the intensity ranges defined by the
 * re-segmentation methods": mu and sigma come from the whole ROI, not from the range-re-segmented
 * voxels (as MIRP, the IBSI reference implementation, does; CT configuration E).
 */
import { IbsiSettingError } from "../types.js";

/** Closed intensity range; an omitted bound is an open end (IBSI-1 USB3). */
export interface IbsiIntensityRange {
  lower?: number;
  upper?: number;
}

export interface IbsiResegmentationSettings {
  /** Range re-segmentation bounds (inclusive); null: none. */
  range: IbsiIntensityRange | null;
  /** Outlier filtering: keep mean +- outlierSigma * SD of the ROI (IBSI uses 3); null: none. */
  outlierSigma: number | null;
}

/** Checks re-segmentation settings; the error names the setting (`prefix` + field). */
export function validateResegmentation(
  settings: IbsiResegmentationSettings | undefined,
  prefix = "resegmentation",
): void {
  if (settings === null || typeof settings !== "object")
    throw new IbsiSettingError(`${prefix}: missing (give range and outlierSigma, null for none)`);
  const { range, outlierSigma } = settings;
  if (range === undefined)
    throw new IbsiSettingError(`${prefix}.range: missing (null for no range re-segmentation)`);
  if (range !== null) {
    if (typeof range !== "object")
      throw new IbsiSettingError(`${prefix}.range: must be { lower, upper }, got ${String(range)}`);
    for (const bound of ["lower", "upper"] as const) {
      const value = range[bound];
      if (value !== undefined && !(typeof value === "number" && Number.isFinite(value)))
        throw new IbsiSettingError(
          `${prefix}.range.${bound}: must be a finite number or omitted (open end), got ${String(value)}`,
        );
    }
    if (range.lower === undefined && range.upper === undefined)
      throw new IbsiSettingError(
        `${prefix}.range: give lower, upper or both (null for no range re-segmentation)`,
      );
    if (range.lower !== undefined && range.upper !== undefined && range.lower > range.upper)
      throw new IbsiSettingError(
        `${prefix}.range: lower ${range.lower} exceeds upper ${range.upper}`,
      );
  }
  if (outlierSigma === undefined)
    throw new IbsiSettingError(`${prefix}.outlierSigma: missing (null for no outlier filtering)`);
  if (
    outlierSigma !== null &&
    !(typeof outlierSigma === "number" && Number.isFinite(outlierSigma) && outlierSigma > 0)
  )
    throw new IbsiSettingError(
      `${prefix}.outlierSigma: must be a positive number, got ${String(outlierSigma)}`,
    );
}

/**
 * The intensity range the intensity mask keeps: the range's bounds intersected with
 * mean +- k SD of the ROI's intensities (population SD). Open ends are -Infinity / Infinity.
 */
export function resegmentationBounds(
  intensities: Float64Array,
  roi: Uint8Array,
  settings: IbsiResegmentationSettings,
): { lower: number; upper: number } {
  let lower = settings.range?.lower ?? Number.NEGATIVE_INFINITY;
  let upper = settings.range?.upper ?? Number.POSITIVE_INFINITY;
  if (settings.outlierSigma !== null) {
    let count = 0;
    let sum = 0;
    for (let i = 0; i < roi.length; i++) {
      if (roi[i] === 0) continue;
      count++;
      sum += intensities[i]!;
    }
    if (count > 0) {
      const mean = sum / count;
      let squares = 0;
      for (let i = 0; i < roi.length; i++) {
        if (roi[i] === 0) continue;
        const d = intensities[i]! - mean;
        squares += d * d;
      }
      const sd = Math.sqrt(squares / count);
      lower = Math.max(lower, mean - settings.outlierSigma * sd);
      upper = Math.min(upper, mean + settings.outlierSigma * sd);
    }
  }
  return { lower, upper };
}

/** The intensity mask: ROI voxels whose intensity lies in the re-segmentation bounds (inclusive). */
export function resegment(
  intensities: Float64Array,
  roi: Uint8Array,
  settings: IbsiResegmentationSettings,
): Uint8Array {
  if (intensities.length !== roi.length)
    throw new Error(`resegment: ${intensities.length} intensities but ${roi.length} mask voxels`);
  const { lower, upper } = resegmentationBounds(intensities, roi, settings);
  const out = new Uint8Array(roi.length);
  for (let i = 0; i < roi.length; i++) {
    if (roi[i] === 0) continue;
    const x = intensities[i]!;
    out[i] = x >= lower && x <= upper ? 1 : 0;
  }
  return out;
}
