/**
 * First-order (intensity histogram) features, PyRadiomics' radiomics/firstorder.py.
 * X = the ROI's gray values (original, not discretised) in array order, N_p their count,
 * p(i) = fraction of ROI voxels in discretised level i, c = voxelArrayShift.
 * Reductions follow numpy (pairwise summation, linear percentiles).
 */
import {
  numpyMean,
  numpyMedianSorted,
  numpyPercentileSorted,
  numpyVar,
  pairwiseSum,
} from "./numpy-compat.js";
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

/** Precomputed quantities shared by the features. */
interface FirstOrderContext {
  x: Float64Array;
  sorted: Float64Array;
  p: Float64Array;
  shift: number;
  voxelVolume: number;
}

/** Central moment m_k = mean((X - mean(X))^k) (PyRadiomics _moment). */
function moment(x: Float64Array, k: number): number {
  const mean = numpyMean(x);
  return pairwiseSum(x, 0, x.length, (v) => (v - mean) ** k) / x.length;
}

/** Energy = sum((X + c)^2). */
const energy = (c: FirstOrderContext) =>
  pairwiseSum(c.x, 0, c.x.length, (v) => (v + c.shift) * (v + c.shift));

const FEATURES: Record<string, (c: FirstOrderContext) => number> = {
  /** 10th percentile of X (numpy linear interpolation). */
  "10Percentile": (c) => numpyPercentileSorted(c.sorted, 10),
  /** 90th percentile of X. */
  "90Percentile": (c) => numpyPercentileSorted(c.sorted, 90),
  Energy: energy,
  /** Entropy = -sum p(i) log2(p(i) + eps), eps = machine epsilon. */
  Entropy: (c) => -pairwiseSum(c.p, 0, c.p.length, (p) => p * Math.log2(p + Number.EPSILON)),
  /** IQR = P75 - P25. */
  InterquartileRange: (c) =>
    numpyPercentileSorted(c.sorted, 75) - numpyPercentileSorted(c.sorted, 25),
  /** Kurtosis = m4 / m2^2 (0 for a flat region). */
  Kurtosis: (c) => {
    const m2 = moment(c.x, 2);
    return m2 === 0 ? 0 : moment(c.x, 4) / m2 ** 2;
  },
  Maximum: (c) => c.sorted[c.sorted.length - 1]!,
  /** MAD = mean(|X - mean(X)|). */
  MeanAbsoluteDeviation: (c) => {
    const mean = numpyMean(c.x);
    return pairwiseSum(c.x, 0, c.x.length, (v) => Math.abs(v - mean)) / c.x.length;
  },
  Mean: (c) => numpyMean(c.x),
  Median: (c) => numpyMedianSorted(c.sorted),
  Minimum: (c) => c.sorted[0]!,
  /** Range = max(X) - min(X). */
  Range: (c) => c.sorted[c.sorted.length - 1]! - c.sorted[0]!,
  /** rMAD: MAD of the values within [P10, P90]. */
  RobustMeanAbsoluteDeviation: (c) => {
    const p10 = numpyPercentileSorted(c.sorted, 10);
    const p90 = numpyPercentileSorted(c.sorted, 90);
    const kept: number[] = [];
    for (const v of c.x) if (v - p10 >= 0 && v - p90 <= 0) kept.push(v);
    const mean = numpyMean(kept);
    return pairwiseSum(kept, 0, kept.length, (v) => Math.abs(v - mean)) / kept.length;
  },
  /** RMS = sqrt(sum((X + c)^2) / N_p). */
  RootMeanSquared: (c) => Math.sqrt(energy(c) / c.x.length),
  /** Skewness = m3 / m2^1.5 (0 for a flat region). */
  Skewness: (c) => {
    const m2 = moment(c.x, 2);
    return m2 === 0 ? 0 : moment(c.x, 3) / m2 ** 1.5;
  },
  /** Deprecated: population standard deviation. */
  StandardDeviation: (c) => Math.sqrt(numpyVar(c.x)),
  /** TotalEnergy = Energy * voxel volume. */
  TotalEnergy: (c) => energy(c) * c.voxelVolume,
  /** Uniformity = sum p(i)^2. */
  Uniformity: (c) => pairwiseSum(c.p, 0, c.p.length, (p) => p * p),
  /** Variance = (population sd)^2, computed as numpy.std(X)**2. */
  Variance: (c) => Math.sqrt(numpyVar(c.x)) ** 2,
};

/** Compute the requested first-order features. */
export function computeFirstOrderFeatures(
  input: FirstOrderInput,
  names: readonly string[],
): FeatureValues {
  const x = input.values;
  const sorted = Float64Array.from(x).sort();
  // p(i): counts of each distinct level present, in ascending level order (numpy.unique).
  const counts = new Map<number, number>();
  for (const l of input.levels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const p = Float64Array.from(keys, (k) => counts.get(k)! / x.length);
  let voxelVolume = 1;
  for (let a = 0; a < input.dimension; a++) voxelVolume *= input.spacing[a]!;
  const ctx: FirstOrderContext = { x, sorted, p, shift: input.voxelArrayShift, voxelVolume };
  const out: FeatureValues = {};
  for (const name of names) {
    const f = FEATURES[name];
    if (!f) throw new Error(`unknown firstorder feature '${name}'`);
    out[name] = f(ctx);
  }
  return out;
}
