/**
 * First-order (intensity histogram) features, PyRadiomics' radiomics/firstorder.py.
 * X = the ROI's gray values (original, not discretised) in array order, N_p their count,
 * p(i) = fraction of ROI voxels in discretised level i, c = voxelArrayShift.
 * Reductions follow numpy (pairwise summation, linear percentiles).
 */
import { HOST_LITTLE_ENDIAN } from "../io/image-error.js";
import { numpyMedianSorted, numpyPercentileSorted, pairwiseSum } from "./numpy-compat.js";
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

/** Largest value range sorted by counting (else by radix). */
const COUNTING_SORT_MAX_RANGE = 1 << 20;

/**
 * The ROI values in ascending order. Integral values (the usual case: CT, MR and most derived images
 * stored as integers) are sorted by counting in O(N + range); anything else by a radix sort of the
 * doubles' bits. Both give TypedArray.prototype.sort's array (there is no -0 among counted values).
 */
function sortedValues(x: Float64Array): Float64Array {
  const n = x.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let k = 0; k < n; k++) {
    const v = x[k]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && (!Number.isInteger(v) || (v === 0 && 1 / v < 0))) integral = false;
  }
  const range = max - min;
  if (!integral || !(range <= COUNTING_SORT_MAX_RANGE) || range > 4 * n + 1024) {
    // Derived images are mostly float32: one 32-bit key per value sorts in fewer passes.
    return radixSortFloat32Values(x) ?? radixSortDoubles(x);
  }
  const counts = new Int32Array(range + 1);
  for (let k = 0; k < n; k++) counts[x[k]! - min]++;
  const out = new Float64Array(n);
  let o = 0;
  for (let b = 0; b <= range; b++) {
    const c = counts[b]!;
    if (c === 0) continue;
    out.fill(b + min, o, o + c);
    o += c;
  }
  return out;
}

let keyScratch = new Uint32Array(0);
const digitCounts = new Int32Array(1 << 11);

/** counts[d] = sum of counts[0 .. d-1] over the first `length` cells (radix-sort bucket starts). */
function exclusivePrefixSum(counts: Int32Array, length: number): void {
  let total = 0;
  for (let d = 0; d < length; d++) {
    const c = counts[d]!;
    counts[d] = total;
    total += c;
  }
}

let floatScratch = new Float32Array(0);
let floatKeys = new Uint32Array(0);

/**
 * Ascending order of values that are all exactly representable in float32 (derived images are
 * computed in float32), by an LSD radix sort (three passes of 11, 11 and 10 bits: small, cache-
 * resident digit tables) of their order-preserving 32-bit keys (sign bit flipped for positives,
 * all bits for negatives, so -0 precedes +0 as in TypedArray.prototype.sort). Returns null when
 * some value is not a float32.
 */
function radixSortFloat32Values(x: Float64Array): Float64Array | null {
  const n = x.length;
  if (floatScratch.length < 2 * n) {
    floatScratch = new Float32Array(2 * n);
    floatKeys = new Uint32Array(floatScratch.buffer);
  }
  const asFloat = floatScratch.subarray(0, n);
  asFloat.set(x);
  for (let k = 0; k < n; k++) if (asFloat[k] !== x[k]) return null;
  const keys = floatKeys.subarray(0, n);
  const other = floatKeys.subarray(n, 2 * n);
  for (let k = 0; k < n; k++) {
    const u = keys[k]!;
    keys[k] = u & 0x80000000 ? ~u : u | 0x80000000;
  }
  let src = keys;
  let dst = other;
  for (let shift = 0; shift < 32; shift += 11) {
    const mask = shift === 22 ? 0x3ff : 0x7ff;
    digitCounts.fill(0);
    for (let k = 0; k < n; k++) digitCounts[(src[k]! >>> shift) & mask]++;
    exclusivePrefixSum(digitCounts, mask + 1);
    for (let k = 0; k < n; k++) {
      const key = src[k]!;
      dst[digitCounts[(key >>> shift) & mask]++] = key;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  // After three passes the sorted keys are in `other` (= src); map them back to float32 bits.
  for (let k = 0; k < n; k++) {
    const key = src[k]!;
    src[k] = key & 0x80000000 ? key & 0x7fffffff : ~key;
  }
  const out = new Float64Array(n);
  out.set(floatScratch.subarray(n, 2 * n));
  return out;
}

/**
 * Ascending order of finite doubles (the order of TypedArray.prototype.sort, -0 before +0) by an
 * LSD radix sort of order-preserving 64-bit keys (sign bit flipped for positives, all bits for
 * negatives), in six passes of 11, 11 and 10 bits per 32-bit word; a pass whose digit is the same
 * for every value (e.g. the low mantissa bits of float32 data, or a shared exponent) is skipped.
 */
function radixSortDoubles(x: Float64Array): Float64Array {
  const n = x.length;
  if (keyScratch.length < 4 * n) keyScratch = new Uint32Array(4 * n);
  // Words of x as (lo, hi) pairs in host order; two buffers of pairs ping-pong between passes.
  let src = keyScratch.subarray(0, 2 * n);
  let dst = keyScratch.subarray(2 * n, 4 * n);
  src.set(new Uint32Array(x.buffer, x.byteOffset, 2 * n));
  const HI = HOST_LITTLE_ENDIAN ? 1 : 0;
  const LO = 1 - HI;
  for (let k = 0; k < n; k++) {
    const hi = src[2 * k + HI]!;
    if (hi & 0x80000000) {
      src[2 * k + HI] = ~hi;
      src[2 * k + LO] = ~src[2 * k + LO]!;
    } else {
      src[2 * k + HI] = hi | 0x80000000;
    }
  }
  for (let pass = 0; pass < 6; pass++) {
    const word = pass < 3 ? LO : HI;
    const shift = (pass % 3) * 11;
    const mask = shift === 22 ? 0x3ff : 0x7ff;
    digitCounts.fill(0);
    for (let k = 0; k < n; k++) digitCounts[(src[2 * k + word]! >>> shift) & mask]++;
    if (digitCounts[(src[word]! >>> shift) & mask] === n) continue;
    exclusivePrefixSum(digitCounts, mask + 1);
    for (let k = 0; k < n; k++) {
      const at = 2 * digitCounts[(src[2 * k + word]! >>> shift) & mask]++;
      dst[at] = src[2 * k]!;
      dst[at + 1] = src[2 * k + 1]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  for (let k = 0; k < n; k++) {
    const hi = src[2 * k + HI]!;
    if (hi & 0x80000000) {
      src[2 * k + HI] = hi & 0x7fffffff;
    } else {
      src[2 * k + HI] = ~hi;
      src[2 * k + LO] = ~src[2 * k + LO]!;
    }
  }
  const out = new Float64Array(n);
  new Uint32Array(out.buffer).set(src);
  return out;
}

let momentScratch = new Float64Array(0);

/**
 * p(i) = (number of ROI voxels of level i) / N_p over the levels present, ascending (numpy.unique
 * counts divided by N_p).
 */
function levelProbabilities(levels: Int32Array, n: number): Float64Array {
  let min = 0x7fffffff;
  let max = -0x80000000;
  for (let k = 0; k < levels.length; k++) {
    const l = levels[k]!;
    if (l < min) min = l;
    if (l > max) max = l;
  }
  if (levels.length === 0) return new Float64Array(0);
  const counts = new Float64Array(max - min + 1);
  for (let k = 0; k < levels.length; k++) counts[levels[k]! - min]++;
  let present = 0;
  for (let b = 0; b < counts.length; b++) if (counts[b] !== 0) present++;
  const p = new Float64Array(present);
  let o = 0;
  for (let b = 0; b < counts.length; b++) if (counts[b] !== 0) p[o++] = counts[b]! / n;
  return p;
}

/**
 * Quantities shared by the features, each computed on first use. Every sum is numpy's pairwise sum
 * of the mapped values in array order (the mapping is written into a scratch buffer first).
 */
class FirstOrderContext {
  readonly x: Float64Array;
  readonly levels: Int32Array;
  readonly shift: number;
  readonly voxelVolume: number;
  private readonly buf: Float64Array;
  private cache = new Map<string, number>();
  private sortedCache?: Float64Array;
  private pCache?: Float64Array;

  constructor(input: FirstOrderInput) {
    this.x = input.values;
    this.levels = input.levels;
    this.shift = input.voxelArrayShift;
    let voxelVolume = 1;
    for (let a = 0; a < input.dimension; a++) voxelVolume *= input.spacing[a]!;
    this.voxelVolume = voxelVolume;
    if (momentScratch.length < 3 * this.x.length)
      momentScratch = new Float64Array(3 * this.x.length);
    this.buf = momentScratch;
  }

  get n(): number {
    return this.x.length;
  }

  get sorted(): Float64Array {
    this.sortedCache ??= sortedValues(this.x);
    return this.sortedCache;
  }

  get p(): Float64Array {
    this.pCache ??= levelProbabilities(this.levels, this.x.length);
    return this.pCache;
  }

  private memo(key: string, compute: () => number): number {
    let v = this.cache.get(key);
    if (v === undefined) {
      v = compute();
      this.cache.set(key, v);
    }
    return v;
  }

  percentile(q: number): number {
    return this.memo(`P${q}`, () => numpyPercentileSorted(this.sorted, q));
  }

  /** mean(X). */
  mean(): number {
    return this.memo("mean", () => pairwiseSum(this.x) / this.x.length);
  }

  /**
   * Central moment m_k = mean((X - mean(X))^k), k = 2, 3 or 4 (PyRadiomics _moment). The three are
   * computed together; d^3 and d^4 as products, which differ from numpy's pow by an ulp at most.
   */
  moment(k: 2 | 3 | 4): number {
    const key = `m${k}`;
    let v = this.cache.get(key);
    if (v !== undefined) return v;
    const { x } = this;
    const n = x.length;
    const buf = this.buf;
    const mean = this.mean();
    for (let i = 0; i < n; i++) {
      const d = x[i]! - mean;
      const d2 = d * d;
      buf[i] = d2;
      buf[n + i] = d2 * d;
      buf[2 * n + i] = d2 * d2;
    }
    this.cache.set("m2", pairwiseSum(buf, 0, n) / n);
    this.cache.set("m3", pairwiseSum(buf, n, n) / n);
    this.cache.set("m4", pairwiseSum(buf, 2 * n, n) / n);
    v = this.cache.get(key);
    if (v === undefined) throw new Error(`firstorder: no central moment of order ${k}`);
    return v;
  }

  /** sum((X + c)^2). */
  energy(): number {
    return this.memo("energy", () => {
      const { x, buf, shift } = this;
      for (let i = 0; i < x.length; i++) buf[i] = (x[i]! + shift) * (x[i]! + shift);
      return pairwiseSum(buf, 0, x.length);
    });
  }

  /** numpy.var(X): mean((X - mean(X)) * (X - mean(X))), the same sum as m2. */
  variance(): number {
    return this.moment(2);
  }

  /** mean(|X - mean(X)|). */
  meanAbsoluteDeviation(): number {
    const { x, buf } = this;
    const mean = this.mean();
    for (let i = 0; i < x.length; i++) buf[i] = Math.abs(x[i]! - mean);
    return pairwiseSum(buf, 0, x.length) / x.length;
  }

  /** MAD of the values X with P10 <= X <= P90 (tested as X - P10 >= 0 and X - P90 <= 0), in order. */
  robustMeanAbsoluteDeviation(): number {
    const { x, buf } = this;
    const p10 = this.percentile(10);
    const p90 = this.percentile(90);
    let m = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v - p10 >= 0 && v - p90 <= 0) buf[m++] = v;
    }
    const mean = pairwiseSum(buf, 0, m) / m;
    for (let i = 0; i < m; i++) buf[i] = Math.abs(buf[i]! - mean);
    return pairwiseSum(buf, 0, m) / m;
  }

  /** sum_i of f(p(i)). */
  sumOverLevels(f: (p: number) => number): number {
    const p = this.p;
    const mapped = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) mapped[i] = f(p[i]!);
    return pairwiseSum(mapped);
  }
}

const FEATURES: Record<string, (c: FirstOrderContext) => number> = {
  /** 10th percentile of X (numpy linear interpolation). */
  "10Percentile": (c) => c.percentile(10),
  /** 90th percentile of X. */
  "90Percentile": (c) => c.percentile(90),
  /** Energy = sum((X + c)^2). */
  Energy: (c) => c.energy(),
  /** Entropy = -sum p(i) log2(p(i) + eps), eps = machine epsilon. */
  Entropy: (c) => -c.sumOverLevels((p) => p * Math.log2(p + Number.EPSILON)),
  /** IQR = P75 - P25. */
  InterquartileRange: (c) => c.percentile(75) - c.percentile(25),
  /** Kurtosis = m4 / m2^2 (0 for a flat region). */
  Kurtosis: (c) => {
    const m2 = c.moment(2);
    return m2 === 0 ? 0 : c.moment(4) / m2 ** 2;
  },
  Maximum: (c) => c.sorted[c.n - 1]!,
  /** MAD = mean(|X - mean(X)|). */
  MeanAbsoluteDeviation: (c) => c.meanAbsoluteDeviation(),
  Mean: (c) => c.mean(),
  Median: (c) => numpyMedianSorted(c.sorted),
  Minimum: (c) => c.sorted[0]!,
  /** Range = max(X) - min(X). */
  Range: (c) => c.sorted[c.n - 1]! - c.sorted[0]!,
  /** rMAD: MAD of the values within [P10, P90]. */
  RobustMeanAbsoluteDeviation: (c) => c.robustMeanAbsoluteDeviation(),
  /** RMS = sqrt(sum((X + c)^2) / N_p). */
  RootMeanSquared: (c) => Math.sqrt(c.energy() / c.n),
  /** Skewness = m3 / m2^1.5 (0 for a flat region). */
  Skewness: (c) => {
    const m2 = c.moment(2);
    return m2 === 0 ? 0 : c.moment(3) / m2 ** 1.5;
  },
  /** Deprecated: population standard deviation. */
  StandardDeviation: (c) => Math.sqrt(c.variance()),
  /** TotalEnergy = Energy * voxel volume. */
  TotalEnergy: (c) => c.energy() * c.voxelVolume,
  /** Uniformity = sum p(i)^2. */
  Uniformity: (c) => c.sumOverLevels((p) => p * p),
  /** Variance = (population sd)^2, computed as numpy.std(X)**2. */
  Variance: (c) => Math.sqrt(c.variance()) ** 2,
};

/** Compute the requested first-order features. */
export function computeFirstOrderFeatures(
  input: FirstOrderInput,
  names: readonly string[],
): FeatureValues {
  for (const name of names) {
    if (!FEATURES[name]) throw new Error(`unknown firstorder feature '${name}'`);
  }
  if (input.levels.length !== input.values.length) {
    throw new Error(
      `firstorder: ${input.values.length} ROI values but ${input.levels.length} levels`,
    );
  }
  const ctx = new FirstOrderContext(input);
  const out: FeatureValues = {};
  for (const name of names) out[name] = FEATURES[name]!(ctx);
  return out;
}
