/**
 * IBSI-1 intensity histogram features (family ZVCW, IBSI-1 manual section 3.4, "Intensity histogram
 * features"): the 23 `ih_*` features of the discretised intensities X_d (gray levels 1..Ng) of the
 * intensity-mask voxels, computed over the whole 3D ROI (IBSI recommendation DHQ4).
 *
 * Everything comes from the non-sparse histogram n_1..n_Ng (bins with n_i = 0 kept, as the
 * histogram gradient requires), so the cost is one pass over the voxels plus O(Ng).
 * - Percentiles (median, P10, P25, P75, P90): linear interpolation between order statistics
 *   (Hyndman-Fan type 7), as for the intensity statistics (see intensity-statistics.ts).
 * - Mode (AMMC): the level of highest count; ties go to the level closest to the mean, and of two
 *   equidistant levels the one left of (below) the mean.
 * - Histogram gradient (12CE): H'_1 = n_2 - n_1, H'_i = (n_{i+1} - n_{i-1}) / 2, H'_Ng = n_Ng -
 *   n_{Ng-1}; H' = 0 when Ng = 1. The gradient intensities (8E6O, RHQZ) are the lowest level where
 *   H' reaches its maximum / minimum (first occurrence, as numpy's argmax in MIRP).
 *
 * Undefined values are NaN, deliberately: every feature when no voxel has a level; the coefficient
 * of variation never (levels >= 1, so the mean is positive); the robust mean absolute deviation when
 * no level lies in [P10, P90] (two voxels of different levels).
 */
import type { IbsiDiscretised, IbsiFeatureValue } from "../types.js";
import { sharedStatistics, type7Quantile } from "./intensity-statistics.js";
import { perRoiFeatures } from "./per-roi.js";

/** The 23 IBSI tags of this family, in the manual's order. */
export const INTENSITY_HISTOGRAM_TAGS = [
  "ih_mean",
  "ih_var",
  "ih_skew",
  "ih_kurt",
  "ih_median",
  "ih_min",
  "ih_p10",
  "ih_p90",
  "ih_max",
  "ih_mode",
  "ih_iqr",
  "ih_range",
  "ih_mad",
  "ih_rmad",
  "ih_medad",
  "ih_cov",
  "ih_qcod",
  "ih_entropy",
  "ih_uniformity",
  "ih_max_grad",
  "ih_max_grad_g",
  "ih_min_grad",
  "ih_min_grad_g",
] as const;

type HistogramFeatures = Record<(typeof INTENSITY_HISTOGRAM_TAGS)[number], number>;

/** Every `ih_*` feature of the discretised intensity-mask voxels (per ROI, no aggregation). */
export function intensityHistogramFeatures(d: IbsiDiscretised): IbsiFeatureValue[] {
  return perRoiFeatures(INTENSITY_HISTOGRAM_TAGS, histogramFeatures(levelCounts(d)));
}

/** counts[i] = n_i, the voxels of level i (index 0 unused: level 0 marks voxels outside the mask). */
function levelCounts(d: IbsiDiscretised): Float64Array {
  const ng = d.nLevels;
  if (!Number.isInteger(ng) || ng < 1) {
    throw new Error(`IBSI discretised image: nLevels must be a positive integer, got ${ng}`);
  }
  const counts = new Float64Array(ng + 1);
  const levels = d.levels;
  for (let k = 0; k < levels.length; k++) {
    const level = levels[k]!;
    if (level === 0) continue;
    if (level < 0 || level > ng) {
      throw new Error(`IBSI discretised image: level ${level} outside 1..nLevels (${ng})`);
    }
    counts[level]!++;
  }
  return counts;
}

/** The level at 0-based rank r of the sorted voxel levels. */
function levelAtRank(counts: Float64Array, rank: number): number {
  let cumulative = 0;
  for (let i = 1; i < counts.length; i++) {
    cumulative += counts[i]!;
    if (cumulative > rank) return i;
  }
  return counts.length - 1;
}

/** The features of a histogram; undefined when it holds no voxel. */
function histogramFeatures(counts: Float64Array): HistogramFeatures | undefined {
  const ng = counts.length - 1;
  let total = 0;
  let sum = 0;
  let min = 0;
  let max = 0;
  for (let i = 1; i <= ng; i++) {
    const n = counts[i]!;
    if (n === 0) continue;
    if (min === 0) min = i;
    max = i;
    total += n;
    sum += n * i;
  }
  if (total === 0) return undefined;
  const mean = sum / total;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let absDev = 0;
  let entropy = 0;
  let uniformity = 0;
  for (let i = 1; i <= ng; i++) {
    const n = counts[i]!;
    if (n === 0) continue;
    const p = n / total;
    const d = i - mean;
    m2 += p * d * d;
    m3 += p * d * d * d;
    m4 += p * d * d * d * d;
    absDev += p * Math.abs(d);
    entropy -= p * Math.log2(p);
    uniformity += p * p;
  }
  // Type-7 quantiles of the voxel levels (see type7Quantile).
  const quantile = (p: number) => type7Quantile(total, p, (rank) => levelAtRank(counts, rank));
  const p10 = quantile(0.1);
  const median = quantile(0.5);
  const p90 = quantile(0.9);
  let medianAbsDev = 0;
  for (let i = min; i <= max; i++) medianAbsDev += counts[i]! * Math.abs(i - median);
  const gradient = histogramGradientExtremes(counts);
  return {
    ...sharedStatistics("ih_", {
      mean,
      m2,
      m3,
      m4,
      min,
      max,
      p10,
      p25: quantile(0.25),
      median,
      p75: quantile(0.75),
      p90,
      meanAbsoluteDeviation: absDev,
      medianAbsoluteDeviation: medianAbsDev / total,
      robustMeanAbsoluteDeviation: robustMeanAbsoluteDeviation(counts, p10, p90),
    }),
    ih_mode: histogramMode(counts, mean),
    ih_entropy: entropy,
    ih_uniformity: uniformity,
    ih_max_grad: gradient.max,
    ih_max_grad_g: gradient.maxLevel,
    ih_min_grad: gradient.min,
    ih_min_grad_g: gradient.minLevel,
  };
}

/** IBSI AMMC: highest count; ties to the level nearest the mean, equidistant ties to the lower. */
function histogramMode(counts: Float64Array, mean: number): number {
  let mode = 0;
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let i = 1; i < counts.length; i++) {
    const n = counts[i]!;
    const distance = Math.abs(i - mean);
    // Ascending i: a later level replaces only a strictly higher count or a strictly nearer tie.
    if (n > best || (n === best && distance < bestDistance)) {
      mode = i;
      best = n;
      bestDistance = distance;
    }
  }
  return mode;
}

/** IBSI WRZB: mean absolute deviation about their own mean of the levels in [P10, P90]. */
function robustMeanAbsoluteDeviation(counts: Float64Array, p10: number, p90: number): number {
  const first = Math.ceil(p10);
  const last = Math.floor(p90);
  let count = 0;
  let sum = 0;
  for (let i = first; i <= last; i++) {
    count += counts[i]!;
    sum += counts[i]! * i;
  }
  if (count === 0) return Number.NaN;
  const mean = sum / count;
  let dev = 0;
  for (let i = first; i <= last; i++) dev += counts[i]! * Math.abs(i - mean);
  return dev / count;
}

/** Maximum and minimum of the histogram gradient H' (IBSI 12CE, 8E6O, VQB3, RHQZ). */
function histogramGradientExtremes(counts: Float64Array): {
  max: number;
  maxLevel: number;
  min: number;
  minLevel: number;
} {
  const ng = counts.length - 1;
  if (ng === 1) return { max: 0, maxLevel: 1, min: 0, minLevel: 1 };
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  let maxLevel = 1;
  let minLevel = 1;
  for (let i = 1; i <= ng; i++) {
    let g: number;
    if (i === 1) g = counts[2]! - counts[1]!;
    else if (i === ng) g = counts[ng]! - counts[ng - 1]!;
    else g = (counts[i + 1]! - counts[i - 1]!) / 2;
    if (g > max) {
      max = g;
      maxLevel = i;
    }
    if (g < min) {
      min = g;
      minLevel = i;
    }
  }
  return { max, maxLevel, min, minLevel };
}
