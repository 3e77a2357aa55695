/**
 * Intensity discretisation of IBSI-1 (reference manual, chapter 2 "Intensity discretisation",
 * 4R0B), over the intensity-mask voxels of an IbsiImage:
 * - fixed bin number (K15C): X_d = floor(N_g (X - X_min) / (X_max - X_min)) + 1 for X < X_max, and
 *   N_g for X = X_max, with X_min and X_max the lowest and highest intensity in the intensity mask;
 * - fixed bin size (Q3RU): X_d = floor((X - X_min) / w_b) + 1, X_min the lower bound of the
 *   re-segmentation range (IBSI's recommendation) or else the lowest intensity in the mask.
 * The lowest bin is 1; voxels outside the intensity mask get 0.
 */
import type { IbsiDiscretised, IbsiImage } from "../types.js";
import { IbsiSettingError } from "../types.js";

export type IbsiDiscretisation =
  /** lowerBound: the re-segmentation range's minimum; default the intensity-mask minimum. */
  { method: "FBS"; binWidth: number; lowerBound?: number } | { method: "FBN"; binCount: number };

/** Checks discretisation settings; the error names the setting (`prefix` + field). */
export function validateDiscretisation(
  settings: IbsiDiscretisation,
  prefix = "discretisation",
): void {
  if (settings === null || typeof settings !== "object")
    throw new IbsiSettingError(`${prefix}: missing`);
  const method: unknown = settings.method;
  if (method === "FBS") {
    const { binWidth, lowerBound } = settings as { binWidth: unknown; lowerBound?: unknown };
    if (!(typeof binWidth === "number" && Number.isFinite(binWidth) && binWidth > 0))
      throw new IbsiSettingError(
        `${prefix}.binWidth: must be a positive number, got ${String(binWidth)}`,
      );
    if (
      lowerBound !== undefined &&
      !(typeof lowerBound === "number" && Number.isFinite(lowerBound))
    )
      throw new IbsiSettingError(
        `${prefix}.lowerBound: must be a finite number or omitted, got ${String(lowerBound)}`,
      );
    if ("binCount" in settings)
      throw new IbsiSettingError(`${prefix}.binCount: not a setting of FBS (it sets binWidth)`);
  } else if (method === "FBN") {
    const { binCount } = settings as { binCount: unknown };
    if (!(typeof binCount === "number" && Number.isInteger(binCount) && binCount >= 1))
      throw new IbsiSettingError(
        `${prefix}.binCount: must be a positive integer, got ${String(binCount)}`,
      );
    if ("binWidth" in settings || "lowerBound" in settings)
      throw new IbsiSettingError(
        `${prefix}.binWidth: not a setting of FBN (it sets binCount; lowerBound belongs to FBS)`,
      );
  } else {
    throw new IbsiSettingError(`${prefix}.method: must be "FBS" or "FBN", got ${String(method)}`);
  }
}

/**
 * Gray levels 1..nLevels of the intensity-mask voxels (0 elsewhere). nLevels is the bin count (FBN)
 * or the highest bin index in the mask (FBS). Throws on an empty intensity mask, a non-finite
 * intensity in it, or an FBS lowerBound above one of its intensities (that voxel has no bin).
 */
export function discretise(image: IbsiImage, settings: IbsiDiscretisation): IbsiDiscretised {
  validateDiscretisation(settings);
  const { intensities, intensityMask: mask } = image;
  if (intensities.length !== mask.length)
    throw new Error(`discretise: ${intensities.length} intensities but ${mask.length} mask voxels`);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    const x = intensities[i]!;
    if (!Number.isFinite(x))
      throw new Error(`discretise: intensity ${x} at voxel ${i} of the intensity mask`);
    if (x < min) min = x;
    if (x > max) max = x;
    count++;
  }
  if (count === 0) throw new Error("discretise: the intensity mask is empty");
  const levels = new Int32Array(mask.length);
  if (settings.method === "FBN") {
    const bins = settings.binCount;
    const range = max - min;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] === 0) continue;
      const x = intensities[i]!;
      // IBSI K15C; X = X_max (and so a constant ROI) is bin N_g. N_g (X - X_min) before the division
      // keeps integer intensities exact at bin edges.
      levels[i] = x === max ? bins : Math.floor((bins * (x - min)) / range) + 1;
    }
    return { levels, nLevels: bins };
  }
  const width = settings.binWidth;
  const lower = settings.lowerBound ?? min;
  if (lower > min)
    throw new IbsiSettingError(
      `discretisation.lowerBound: ${lower} exceeds the lowest intensity in the intensity mask (${min}); re-segment to the range first`,
    );
  let nLevels = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    const level = Math.floor((intensities[i]! - lower) / width) + 1;
    levels[i] = level;
    if (level > nLevels) nLevels = level;
  }
  return { levels, nLevels };
}
