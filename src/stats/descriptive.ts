/**
 * Descriptive statistics as R computes them: mean, var / sd (n − 1 denominator), quantile type 7,
 * median, min / max, mid-ranks. Pure TypeScript (browser-safe).
 *
 * Sums use Neumaier-compensated accumulation, standing in for R's long-double accumulators
 * (`var` = Σ(x − mean)² / (n − 1)), so results agree with R to about one unit in the last place.
 */

/** Throws when `x` is empty or holds a non-finite value (NaN / ±Infinity), naming `what`. */
export function assertFiniteSample(x: ArrayLike<number>, what: string, minLength = 1): void {
  if (x.length < minLength) {
    throw new Error(
      `${what}: needs at least ${minLength} value${minLength === 1 ? "" : "s"}, got ${x.length}`,
    );
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(`${what}: value ${i} is not a finite number (${String(v)})`);
    }
  }
}

/** Compensated (Neumaier) sum of `x`. */
export function compensatedSum(x: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const t = s + v;
    if (Math.abs(s) >= Math.abs(v)) c += s - t + v;
    else c += v - t + s;
    s = t;
  }
  return s + c;
}

/**
 * Arithmetic mean Σx / n with a compensated sum (R `mean.default` accumulates in long double and
 * refines by the mean residual; a compensated sum gives the same correctly rounded result).
 */
export function mean(x: ArrayLike<number>, what = "mean"): number {
  assertFiniteSample(x, what);
  return compensatedSum(x) / x.length;
}

/** Sample variance Σ(x − mean)² / (n − 1) (R `var`); needs n >= 2. */
export function variance(x: ArrayLike<number>, what = "variance"): number {
  assertFiniteSample(x, what, 2);
  const m = mean(x, what);
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] as number) - m;
    const v = d * d;
    const t = s + v;
    if (Math.abs(s) >= Math.abs(v)) c += s - t + v;
    else c += v - t + s;
    s = t;
  }
  return (s + c) / (x.length - 1);
}

/** Sample standard deviation √var (n − 1 denominator, R `sd`). */
export function standardDeviation(x: ArrayLike<number>, what = "standard deviation"): number {
  return Math.sqrt(variance(x, what));
}

/** max(x) - min(x) (-Infinity for an empty sample). */
export function valueRange(x: ArrayLike<number>): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++) {
    lo = Math.min(lo, x[i]!);
    hi = Math.max(hi, x[i]!);
  }
  return hi - lo;
}

/** Ascending copy of `x` as a Float64Array. */
export function sortedCopy(x: ArrayLike<number>): Float64Array {
  const s = Float64Array.from(x as ArrayLike<number>);
  s.sort();
  return s;
}

/**
 * Quantile of an ascending-sorted sample, Hyndman & Fan type 7 (R `quantile(type = 7)` default):
 * h = 1 + (n − 1)p, lo = ⌊h⌋, hi = ⌈h⌉; Q = x[lo] when x[hi] = x[lo], else (1 − g)·x[lo] + g·x[hi]
 * with g = h − lo (the same expression as R's quantile.default).
 */
export function quantileSortedType7(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error("quantile: empty sample");
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile: probability ${p} is outside [0, 1]`);
  const index = 1 + (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qlo = sorted[lo - 1] as number;
  const qhi = sorted[hi - 1] as number;
  if (index > lo && qhi !== qlo) {
    const h = index - lo;
    return (1 - h) * qlo + h * qhi;
  }
  return qlo;
}

/** Type-7 quantiles of `x` (any order) at each probability of `probs` (R `quantile(x, probs)`). */
export function quantileType7(x: ArrayLike<number>, probs: readonly number[]): number[] {
  assertFiniteSample(x, "quantile");
  const s = sortedCopy(x);
  return probs.map((p) => quantileSortedType7(s, p));
}

/** Median (R `median`): middle value, or the mean of the two middle values for even n. */
export function median(x: ArrayLike<number>): number {
  assertFiniteSample(x, "median");
  const s = sortedCopy(x);
  const n = s.length;
  const half = (n + 1) >> 1;
  if (n % 2 === 1) return s[half - 1] as number;
  return mean([s[half - 1] as number, s[half] as number]);
}

/**
 * Mid-ranks (R `rank(ties.method = "average")`): tied values share the mean of their ranks.
 * Returns the ranks (1-based) and the sizes of the tie groups (R `table(rank)` counts, > 1 only).
 */
export function averageRanks(x: ArrayLike<number>): { ranks: Float64Array; tieSizes: number[] } {
  assertFiniteSample(x, "rank");
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (x[a] as number) - (x[b] as number));
  const ranks = new Float64Array(n);
  const tieSizes: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i;
    const v = x[order[i] as number] as number;
    while (j + 1 < n && (x[order[j + 1] as number] as number) === v) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = r;
    if (j > i) tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieSizes };
}

export interface Descriptives {
  n: number;
  mean: number;
  /** n − 1 denominator; NaN when n < 2 (as R). */
  sd: number;
  median: number;
  /** Type-7 25th / 75th percentiles. */
  q1: number;
  q3: number;
  min: number;
  max: number;
}

/** n, mean, sd, median, Q1, Q3 (type 7), min, max of a non-empty finite sample. */
export function describe(x: ArrayLike<number>, what = "describe"): Descriptives {
  assertFiniteSample(x, what);
  const s = sortedCopy(x);
  const n = s.length;
  return {
    n,
    mean: mean(x, what),
    sd: n >= 2 ? standardDeviation(x, what) : Number.NaN,
    median: median(s),
    q1: quantileSortedType7(s, 0.25),
    q3: quantileSortedType7(s, 0.75),
    min: s[0] as number,
    max: s[n - 1] as number,
  };
}
