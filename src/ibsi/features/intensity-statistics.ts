/**
 * IBSI-1 intensity-based statistical features (family UHIW, IBSI-1 manual section 3.3, "Intensity-
 * based statistical features"): the 18 `stat_*` features of the intensities X_gl of the voxels in
 * the ROI intensity mask, computed over the whole 3D ROI (IBSI recommendation DHQ4).
 *
 * Definitions follow the manual: variance without bias correction, excess kurtosis (Fisher's -3),
 * skewness and kurtosis 0 when the variance is 0. The manual does not fix a percentile definition;
 * its reference values were produced with linear interpolation between order statistics (Hyndman
 * and Fan type 7, numpy's default, as in MIRP, the IBSI reference implementation), which also gives
 * the digital phantom's reference P90 = 4 (the manual notes some software gives 4.2).
 *
 * Undefined values are NaN, deliberately: every feature of an empty intensity mask; the coefficient
 * of variation when the mean is 0; the quartile coefficient of dispersion when P75 + P25 = 0; the
 * robust mean absolute deviation when no voxel lies in [P10, P90] (two voxels of different values).
 */
import type { IbsiFeatureValue, IbsiImage } from "../types.js";

/** The 18 IBSI tags of this family, in the manual's order. */
export const INTENSITY_STATISTICS_TAGS = [
  "stat_mean",
  "stat_var",
  "stat_skew",
  "stat_kurt",
  "stat_median",
  "stat_min",
  "stat_p10",
  "stat_p90",
  "stat_max",
  "stat_iqr",
  "stat_range",
  "stat_mad",
  "stat_rmad",
  "stat_medad",
  "stat_cov",
  "stat_qcod",
  "stat_energy",
  "stat_rms",
] as const;

/**
 * The p-quantile (0 <= p <= 1) of ascending `sorted` values by linear interpolation between order
 * statistics (Hyndman-Fan type 7): h = (n - 1) p, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
export function quantileOfSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Intensities of the intensity-mask voxels, in ascending order. */
function sortedRoiIntensities(image: IbsiImage): Float64Array {
  const { intensities, intensityMask } = image;
  if (intensities.length !== intensityMask.length) {
    throw new Error(
      `IBSI image: intensities (${intensities.length}) and intensityMask (${intensityMask.length}) differ in length`,
    );
  }
  let n = 0;
  for (let i = 0; i < intensityMask.length; i++) if (intensityMask[i] !== 0) n++;
  const values = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < intensityMask.length; i++) {
    if (intensityMask[i] !== 0) values[k++] = intensities[i]!;
  }
  return values.sort();
}

/** Every `stat_*` feature from the intensities of the intensity mask (per ROI, no aggregation). */
export function intensityStatisticsFeatures(image: IbsiImage): IbsiFeatureValue[] {
  const x = sortedRoiIntensities(image);
  const values = statisticsOfSorted(x);
  return INTENSITY_STATISTICS_TAGS.map((tag) => ({ tag, aggregation: "", value: values[tag] }));
}

type Statistics = Record<(typeof INTENSITY_STATISTICS_TAGS)[number], number>;

/** The 18 statistics of ascending values (all NaN when there are none). */
function statisticsOfSorted(x: Float64Array): Statistics {
  const n = x.length;
  if (n === 0) {
    return Object.fromEntries(INTENSITY_STATISTICS_TAGS.map((t) => [t, Number.NaN])) as Statistics;
  }
  let sum = 0;
  let energy = 0;
  for (let k = 0; k < n; k++) {
    sum += x[k]!;
    energy += x[k]! * x[k]!;
  }
  const mean = sum / n;
  // Central moments about the mean (two-pass: stable for CT's large offsets).
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let absDev = 0;
  for (let k = 0; k < n; k++) {
    const d = x[k]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
    absDev += Math.abs(d);
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const p10 = quantileOfSorted(x, 0.1);
  const p25 = quantileOfSorted(x, 0.25);
  const median = quantileOfSorted(x, 0.5);
  const p75 = quantileOfSorted(x, 0.75);
  const p90 = quantileOfSorted(x, 0.9);
  const min = x[0]!;
  const max = x[n - 1]!;
  let medianAbsDev = 0;
  for (let k = 0; k < n; k++) medianAbsDev += Math.abs(x[k]! - median);
  return {
    stat_mean: mean,
    stat_var: m2,
    // IBSI KE2A / IPH6: 0 when the variance is 0.
    stat_skew: m2 === 0 ? 0 : m3 / m2 ** 1.5,
    stat_kurt: m2 === 0 ? 0 : m4 / (m2 * m2) - 3,
    stat_median: median,
    stat_min: min,
    stat_p10: p10,
    stat_p90: p90,
    stat_max: max,
    stat_iqr: p75 - p25,
    stat_range: max - min,
    stat_mad: absDev / n,
    stat_rmad: robustMeanAbsoluteDeviation(x, p10, p90),
    stat_medad: medianAbsDev / n,
    stat_cov: mean === 0 ? Number.NaN : Math.sqrt(m2) / mean,
    stat_qcod: p75 + p25 === 0 ? Number.NaN : (p75 - p25) / (p75 + p25),
    stat_energy: energy,
    stat_rms: Math.sqrt(energy / n),
  };
}

/**
 * IBSI 1128: mean absolute deviation from their own mean of the values in [P10, P90] (inclusive).
 * NaN when no value lies there, which only two voxels of different intensities can cause.
 */
function robustMeanAbsoluteDeviation(x: Float64Array, p10: number, p90: number): number {
  let count = 0;
  let sum = 0;
  for (let k = 0; k < x.length; k++) {
    const v = x[k]!;
    if (v >= p10 && v <= p90) {
      count++;
      sum += v;
    }
  }
  if (count === 0) return Number.NaN;
  const mean = sum / count;
  let dev = 0;
  for (let k = 0; k < x.length; k++) {
    const v = x[k]!;
    if (v >= p10 && v <= p90) dev += Math.abs(v - mean);
  }
  return dev / count;
}
