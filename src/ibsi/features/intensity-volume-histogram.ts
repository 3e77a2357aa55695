/**
 * IBSI-1 intensity-volume histogram (IVH) features (family P88C, IBSI-1 manual section 3.5,
 * "Intensity-volume histogram features"): volume fractions at 10 % and 90 % intensity fraction
 * (BC2M), intensities at 10 % and 90 % volume fraction (GBPN), and their differences (DDTU, CNV2),
 * from the intensities of the intensity-mask voxels over the whole 3D ROI (DHQ4). The area under the
 * IVH curve (9CMM) is left out: the manual gives it no reference value and says not to use it.
 *
 * IVH discretisation, its own and separate from the texture / histogram one (manual, same section):
 * - "none" (discrete calibrated intensities, e.g. CT): X_d,gl = X_gl, interval w_d = 1, total range
 *   G = the re-segmentation range, with the data's min / max for a missing (half-open) bound.
 * - "FBS" (continuous calibrated, e.g. PET): fixed bin size w_b from X_gl,min = the lower
 *   re-segmentation bound (else min X_gl); bin numbers are replaced by bin centres
 *   X_gl,min + (X_d - 0.5) w_b, w_d = w_b, and G spans the centres of the first bin and of the bin
 *   holding X_gl,max (the upper bound, else max X_gl), i.e. floor((X_gl,max - X_gl,min) / w_b) + 1
 *   bins: the bin the FBS formula gives X_gl,max, as MIRP (IBSI's reference implementation) counts
 *   them when the range is a whole number of bins (the manual's [min + w/2, max - w/2] is its
 *   approximation for a range that is not).
 * - "FBN" (arbitrary units, e.g. MRI): Ng bins between min and max X_gl; X_d,gl = X_d, w_d = 1,
 *   G = [1, Ng].
 *
 * IV histogram: nu_i = 1 - (1/N_v) sum_k [X_d,gl,k < i], gamma_i = (i - min G) / (max G - min G),
 * both for every discretised intensity i of G (also those absent from the ROI).
 * - V_x: the largest nu with gamma >= x, i.e. nu at the lowest i with gamma_i >= x (nu never rises).
 * - I_x: the lowest i with nu_i <= x. When even the highest i has nu > x (more than x of the volume
 *   at the top intensity), the manual gives no i; as MIRP, I_x is then max G + w_d, the first
 *   intensity that no voxel reaches.
 *
 * Undefined values are NaN, deliberately: every feature of an empty intensity mask; V_x (and its
 * difference) when G holds a single intensity (gamma = 0 / 0).
 */
import { type IbsiFeatureValue, type IbsiImage, IbsiSettingError } from "../types.js";
import { perRoiFeatures, roiIntensities } from "./per-roi.js";

/**
 * How to discretise intensities for the IVH (IBSI-1 3.5; the CT phantom configurations' "IVH"
 * row). `resegmentationRange` is the re-segmentation range [lower, upper] (inclusive) applied to the
 * intensity mask, if any; an omitted or infinite bound is taken from the ROI's intensities.
 */
export type IbsiIvhDiscretisation =
  | { method: "none"; resegmentationRange?: readonly [number, number] }
  | { method: "FBS"; binWidth: number; resegmentationRange?: readonly [number, number] }
  | { method: "FBN"; binCount: number };

/** The IVH tags with IBSI reference values, in the manual's order. */
export const INTENSITY_VOLUME_HISTOGRAM_TAGS = [
  "ivh_v10",
  "ivh_v90",
  "ivh_i10",
  "ivh_i90",
  "ivh_diff_v10_v90",
  "ivh_diff_i10_i90",
] as const;

/** Beyond this many IVH intensities the histogram would not be a sensible allocation. */
const MAX_IVH_BINS = 1 << 24;

/** The IVH grid: intensities i_0 < ... < i_{bins-1}, w_d apart, and each voxel's bin b. */
interface IvhGrid {
  bins: number;
  /** The discretisation interval w_d. */
  interval: number;
  /** The discretised intensity i_b of bin b. */
  intensityOf: (b: number) => number;
  /** Which bin each ROI voxel falls in. */
  binOf: (x: number) => number;
}

/** Every IVH feature of the intensity-mask voxels (per ROI, no aggregation). */
export function intensityVolumeHistogramFeatures(
  image: IbsiImage,
  settings: IbsiIvhDiscretisation,
): IbsiFeatureValue[] {
  const roi = roiIntensities(image);
  const values = roi.length === 0 ? undefined : ivhFeatures(roi, ivhGrid(roi, settings));
  return perRoiFeatures(INTENSITY_VOLUME_HISTOGRAM_TAGS, values);
}

function minMax(x: Float64Array): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < x.length; k++) {
    if (x[k]! < min) min = x[k]!;
    if (x[k]! > max) max = x[k]!;
  }
  return [min, max];
}

/** [lower, upper] of the re-segmentation range, the data's extremes for missing bounds. */
function totalRange(
  roi: Float64Array,
  range: readonly [number, number] | undefined,
): [number, number] {
  const [min, max] = minMax(roi);
  const lower = range && Number.isFinite(range[0]) ? range[0] : min;
  const upper = range && Number.isFinite(range[1]) ? range[1] : max;
  if (Number.isNaN(lower) || Number.isNaN(upper) || lower > upper) {
    throw new IbsiSettingError(`IVH resegmentationRange [${range}] must have lower <= upper`);
  }
  if (min < lower || max > upper) {
    throw new IbsiSettingError(
      `IVH resegmentationRange [${lower}, ${upper}] does not hold the ROI intensities [${min}, ${max}]: give the range the intensity mask was re-segmented with`,
    );
  }
  return [lower, upper];
}

function checkedBins(bins: number): number {
  if (bins > MAX_IVH_BINS) {
    throw new IbsiSettingError(
      `IVH discretisation gives ${bins} intensities (more than ${MAX_IVH_BINS}): use FBS with a wider binWidth or FBN`,
    );
  }
  return bins;
}

function ivhGrid(roi: Float64Array, settings: IbsiIvhDiscretisation): IvhGrid {
  switch (settings.method) {
    case "none": {
      for (let k = 0; k < roi.length; k++) {
        if (!Number.isInteger(roi[k]!)) {
          throw new IbsiSettingError(
            `IVH discretisation method "none" needs integer intensities (found ${roi[k]}): use FBS or FBN`,
          );
        }
      }
      const [lower, upper] = totalRange(roi, settings.resegmentationRange);
      if (!Number.isInteger(lower) || !Number.isInteger(upper)) {
        throw new IbsiSettingError(
          `IVH resegmentationRange [${lower}, ${upper}] must be integer for method "none"`,
        );
      }
      return {
        bins: checkedBins(upper - lower + 1),
        interval: 1,
        intensityOf: (b) => lower + b,
        binOf: (x) => x - lower,
      };
    }
    case "FBS": {
      const w = settings.binWidth;
      if (!(w > 0) || !Number.isFinite(w)) {
        throw new IbsiSettingError(`IVH binWidth must be a positive number, got ${w}`);
      }
      const [lower, upper] = totalRange(roi, settings.resegmentationRange);
      // 0-based FBS bin floor((x - X_gl,min) / w_b); its centre X_gl,min + (b + 0.5) w_b.
      return {
        bins: checkedBins(Math.floor((upper - lower) / w) + 1),
        interval: w,
        intensityOf: (b) => lower + (b + 0.5) * w,
        binOf: (x) => Math.floor((x - lower) / w),
      };
    }
    case "FBN": {
      const ng = settings.binCount;
      if (!Number.isInteger(ng) || ng < 1) {
        throw new IbsiSettingError(`IVH binCount must be a positive integer, got ${ng}`);
      }
      checkedBins(ng);
      const [min, max] = minMax(roi);
      const span = max - min;
      // FBN (IBSI-1 2.7): floor(Ng (x - min) / (max - min)) + 1, with max itself in bin Ng.
      return {
        bins: ng,
        interval: 1,
        intensityOf: (b) => b + 1,
        binOf: (x) => (span === 0 ? 0 : Math.min(Math.floor((ng * (x - min)) / span), ng - 1)),
      };
    }
    default:
      throw new IbsiSettingError(
        `IVH discretisation method must be "none", "FBS" or "FBN", got ${(settings as { method: unknown }).method}`,
      );
  }
}

type IvhFeatures = Record<(typeof INTENSITY_VOLUME_HISTOGRAM_TAGS)[number], number>;

/** V10, V90, I10, I90, V10 - V90 and I10 - I90 of the ROI on `grid`. */
function ivhFeatures(roi: Float64Array, grid: IvhGrid): IvhFeatures {
  const { bins, interval, intensityOf } = grid;
  const counts = new Float64Array(bins);
  for (let k = 0; k < roi.length; k++) counts[grid.binOf(roi[k]!)]!++;
  // nu_b = fraction of voxels at intensity i_b or above.
  const nu = new Float64Array(bins);
  let atOrAbove = roi.length;
  for (let b = 0; b < bins; b++) {
    nu[b] = atOrAbove / roi.length;
    atOrAbove -= counts[b]!;
  }
  const first = intensityOf(0);
  const last = intensityOf(bins - 1);
  const volumeAt = (fraction: number): number => {
    for (let b = 0; b < bins; b++) {
      if ((intensityOf(b) - first) / (last - first) >= fraction) return nu[b]!;
    }
    return Number.NaN;
  };
  const intensityAt = (fraction: number): number => {
    for (let b = 0; b < bins; b++) if (nu[b]! <= fraction) return intensityOf(b);
    return last + interval;
  };
  const v10 = volumeAt(0.1);
  const v90 = volumeAt(0.9);
  const i10 = intensityAt(0.1);
  const i90 = intensityAt(0.9);
  return {
    ivh_v10: v10,
    ivh_v90: v90,
    ivh_i10: i10,
    ivh_i90: i90,
    ivh_diff_v10_v90: v10 - v90,
    ivh_diff_i10_i90: i10 - i90,
  };
}
