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
import { perRoiFeatures, roiIntensities } from "./per-roi.js";

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
 * The p-quantile (0 <= p <= 1) of n ascending values, `valueAt(rank)` being the value of 0-based
 * rank, by linear interpolation between order statistics (Hyndman-Fan type 7): h = (n - 1) p,
 * x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). NaN for n = 0.
 */
export function type7Quantile(n: number, p: number, valueAt: (rank: number) => number): number {
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const low = valueAt(lo);
  const high = valueAt(Math.min(lo + 1, n - 1));
  return low + (h - lo) * (high - low);
}

/** A distribution's moments and order statistics (of X_gl for 3.3, of X_d for 3.4). */
export interface DistributionSummary {
  mean: number;
  /** Central moments m_k = mean of (x - mean)^k, k = 2, 3, 4 (no bias correction). */
  m2: number;
  m3: number;
  m4: number;
  min: number;
  max: number;
  p10: number;
  p25: number;
  median: number;
  p75: number;
  p90: number;
  /** Mean absolute deviation from the mean, from the median, and robust (in [P10, P90]). */
  meanAbsoluteDeviation: number;
  medianAbsoluteDeviation: number;
  robustMeanAbsoluteDeviation: number;
}

/**
 * The 16 features that intensity statistics (3.3) and the intensity histogram (3.4) define alike:
 * skewness m3 / m2^1.5 and excess kurtosis m4 / m2^2 - 3, both 0 when the variance is 0 (KE2A,
 * IPH6; 88K1, C3I7); coefficient of variation sqrt(m2) / mean and quartile coefficient of
 * dispersion (P75 - P25) / (P75 + P25), NaN where their denominator is 0.
 */
function sharedValues(s: DistributionSummary) {
  return {
    mean: s.mean,
    var: s.m2,
    skew: s.m2 === 0 ? 0 : s.m3 / s.m2 ** 1.5,
    kurt: s.m2 === 0 ? 0 : s.m4 / (s.m2 * s.m2) - 3,
    median: s.median,
    min: s.min,
    p10: s.p10,
    p90: s.p90,
    max: s.max,
    iqr: s.p75 - s.p25,
    range: s.max - s.min,
    mad: s.meanAbsoluteDeviation,
    rmad: s.robustMeanAbsoluteDeviation,
    medad: s.medianAbsoluteDeviation,
    cov: s.mean === 0 ? Number.NaN : Math.sqrt(s.m2) / s.mean,
    qcod: s.p75 + s.p25 === 0 ? Number.NaN : (s.p75 - s.p25) / (s.p75 + s.p25),
  };
}
type SharedStatistic = keyof ReturnType<typeof sharedValues>;

/** The 16 shared features (sharedValues) keyed `${prefix}${name}`: "stat_mean", "ih_mean", ... */
export function sharedStatistics<P extends string>(
  prefix: P,
  s: DistributionSummary,
): Record<`${P}${SharedStatistic}`, number> {
  const entries = Object.entries(sharedValues(s)).map(([name, value]) => [prefix + name, value]);
  return Object.fromEntries(entries) as Record<`${P}${SharedStatistic}`, number>;
}

/** Every `stat_*` feature from the intensities of the intensity mask (per ROI, no aggregation). */
export function intensityStatisticsFeatures(image: IbsiImage): IbsiFeatureValue[] {
  const x = roiIntensities(image).sort();
  return perRoiFeatures(
    INTENSITY_STATISTICS_TAGS,
    x.length > 0 ? statisticsOfSorted(x) : undefined,
  );
}

type Statistics = Record<(typeof INTENSITY_STATISTICS_TAGS)[number], number>;

/** The 18 statistics of ascending values (at least one). */
function statisticsOfSorted(x: Float64Array): Statistics {
  const n = x.length;
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
  const quantile = (p: number) => type7Quantile(n, p, (rank) => x[rank]!);
  const p10 = quantile(0.1);
  const median = quantile(0.5);
  const p90 = quantile(0.9);
  let medianAbsDev = 0;
  for (let k = 0; k < n; k++) medianAbsDev += Math.abs(x[k]! - median);
  return {
    ...sharedStatistics("stat_", {
      mean,
      m2: m2 / n,
      m3: m3 / n,
      m4: m4 / n,
      min: x[0]!,
      max: x[n - 1]!,
      p10,
      p25: quantile(0.25),
      median,
      p75: quantile(0.75),
      p90,
      meanAbsoluteDeviation: absDev / n,
      medianAbsoluteDeviation: medianAbsDev / n,
      robustMeanAbsoluteDeviation: robustMeanAbsoluteDeviation(x, p10, p90),
    }),
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
