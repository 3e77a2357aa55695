/**
 * First-order (intensity histogram) features, PyRadiomics' radiomics/firstorder.py.
 * X = the ROI's gray values (original, not discretised) in array order, N_p their count,
 * p(i) = fraction of ROI voxels in discretised level i, c = voxelArrayShift.
 * Reductions follow numpy (pairwise summation, linear percentiles).
 */
import {
  FIRST_ORDER_ENERGY,
  FIRST_ORDER_LEVEL_PROBABILITIES,
  FIRST_ORDER_MEAN,
  FIRST_ORDER_MEAN_ABSOLUTE_DEVIATION,
  FIRST_ORDER_MOMENTS,
  FIRST_ORDER_ORDER_STATISTICS,
  FIRST_ORDER_ROBUST_MEAN_ABSOLUTE_DEVIATION,
  type FirstOrderStatistics,
  firstOrderStatistics,
} from "../kernels/firstorder.js";
import { pairwiseSum } from "./numpy-compat.js";
import type { FeatureClassInfo, FeatureValues } from "./types.js";

export const FIRSTORDER_CLASS: FeatureClassInfo = {
  name: "firstorder",
  features: [
    "10Percentile",
    "90Percentile",
    "Energy",
    "Entropy",
    "InterquartileRange",
    "Kurtosis",
    "Maximum",
    "MeanAbsoluteDeviation",
    "Mean",
    "Median",
    "Minimum",
    "Range",
    "RobustMeanAbsoluteDeviation",
    "RootMeanSquared",
    "Skewness",
    "StandardDeviation",
    "TotalEnergy",
    "Uniformity",
    "Variance",
  ],
  deprecated: ["StandardDeviation"],
};

export interface FirstOrderInput {
  /** ROI gray values in array (x-fastest) order. */
  values: Float64Array;
  /** Discretised level of each ROI voxel, same order. */
  levels: Int32Array;
  /** Voxel spacing (only the first `dimension` entries count). */
  spacing: readonly number[];
  dimension: 2 | 3;
  voxelArrayShift: number;
}

/**
 * What the features share, from one kernel call per image (src/kernels/firstorder.ts): order
 * statistics (values at ranks of the ascending order; numpy's linear percentiles), mean, central
 * moments, energy, mean absolute deviations (numpy's pairwise sums) and the level probabilities.
 */
export interface FirstOrderContext {
  stats: FirstOrderStatistics;
  n: number;
  voxelVolume: number;
}

export interface FirstOrderFeature {
  /** FIRST_ORDER_* statistics the feature needs. */
  needs: number;
  value(c: FirstOrderContext): number;
}

/** sum_i of f(p(i)) (numpy's pairwise sum, ascending levels). */
function sumOverLevels(c: FirstOrderContext, f: (p: number) => number): number {
  const p = c.stats.levelProbabilities;
  const mapped = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) mapped[i] = f(p[i]!);
  return pairwiseSum(mapped);
}

const ORDER = FIRST_ORDER_ORDER_STATISTICS;

/**
 * Every first-order feature: the statistics it needs and its formula on them (shared by the
 * voxel-based maps, src/extract/voxel/firstorder.ts).
 */
export const FIRST_ORDER_FEATURES: Record<string, FirstOrderFeature> = {
  /** 10th percentile of X (numpy linear interpolation). */
  "10Percentile": { needs: ORDER, value: (c) => c.stats.p10 },
  /** 90th percentile of X. */
  "90Percentile": { needs: ORDER, value: (c) => c.stats.p90 },
  /** Energy = sum((X + c)^2). */
  Energy: { needs: FIRST_ORDER_ENERGY, value: (c) => c.stats.energy },
  /** Entropy = -sum p(i) log2(p(i) + eps), eps = machine epsilon. */
  Entropy: {
    needs: FIRST_ORDER_LEVEL_PROBABILITIES,
    value: (c) => -sumOverLevels(c, (p) => p * Math.log2(p + Number.EPSILON)),
  },
  /** IQR = P75 - P25. */
  InterquartileRange: { needs: ORDER, value: (c) => c.stats.p75 - c.stats.p25 },
  /** Kurtosis = m4 / m2^2 (0 for a flat region). */
  Kurtosis: {
    needs: FIRST_ORDER_MOMENTS,
    value: ({ stats: { m2, m4 } }) => (m2 === 0 ? 0 : m4 / m2 ** 2),
  },
  Maximum: { needs: ORDER, value: (c) => c.stats.maximum },
  /** MAD = mean(|X - mean(X)|). */
  MeanAbsoluteDeviation: {
    needs: FIRST_ORDER_MEAN_ABSOLUTE_DEVIATION,
    value: (c) => c.stats.meanAbsoluteDeviation,
  },
  Mean: { needs: FIRST_ORDER_MEAN, value: (c) => c.stats.mean },
  Median: { needs: ORDER, value: (c) => c.stats.median },
  Minimum: { needs: ORDER, value: (c) => c.stats.minimum },
  /** Range = max(X) - min(X). */
  Range: { needs: ORDER, value: (c) => c.stats.maximum - c.stats.minimum },
  /** rMAD: MAD of the values within [P10, P90]. */
  RobustMeanAbsoluteDeviation: {
    needs: FIRST_ORDER_ROBUST_MEAN_ABSOLUTE_DEVIATION,
    value: (c) => c.stats.robustMeanAbsoluteDeviation,
  },
  /** RMS = sqrt(sum((X + c)^2) / N_p). */
  RootMeanSquared: { needs: FIRST_ORDER_ENERGY, value: (c) => Math.sqrt(c.stats.energy / c.n) },
  /** Skewness = m3 / m2^1.5 (0 for a flat region). */
  Skewness: {
    needs: FIRST_ORDER_MOMENTS,
    value: ({ stats: { m2, m3 } }) => (m2 === 0 ? 0 : m3 / m2 ** 1.5),
  },
  /** Deprecated: population standard deviation. */
  StandardDeviation: { needs: FIRST_ORDER_MOMENTS, value: (c) => Math.sqrt(c.stats.m2) },
  /** TotalEnergy = Energy * voxel volume. */
  TotalEnergy: { needs: FIRST_ORDER_ENERGY, value: (c) => c.stats.energy * c.voxelVolume },
  /** Uniformity = sum p(i)^2. */
  Uniformity: {
    needs: FIRST_ORDER_LEVEL_PROBABILITIES,
    value: (c) => sumOverLevels(c, (p) => p * p),
  },
  /** Variance = (population sd)^2, computed as numpy.std(X)**2 (numpy.var = m2). */
  Variance: { needs: FIRST_ORDER_MOMENTS, value: (c) => Math.sqrt(c.stats.m2) ** 2 },
};

/** Compute the requested first-order features. */
export function computeFirstOrderFeatures(
  input: FirstOrderInput,
  names: readonly string[],
): FeatureValues {
  for (const name of names) {
    if (!FIRST_ORDER_FEATURES[name]) throw new Error(`unknown firstorder feature '${name}'`);
  }
  if (input.levels.length !== input.values.length) {
    throw new Error(
      `firstorder: ${input.values.length} ROI values but ${input.levels.length} levels`,
    );
  }
  let needs = 0;
  for (const name of names) needs |= FIRST_ORDER_FEATURES[name]!.needs;
  let voxelVolume = 1;
  for (let a = 0; a < input.dimension; a++) voxelVolume *= input.spacing[a]!;
  const ctx: FirstOrderContext = {
    stats: firstOrderStatistics(input.values, input.levels, input.voxelArrayShift, needs),
    n: input.values.length,
    voxelVolume,
  };
  const out: FeatureValues = {};
  for (const name of names) out[name] = FIRST_ORDER_FEATURES[name]!.value(ctx);
  return out;
}
