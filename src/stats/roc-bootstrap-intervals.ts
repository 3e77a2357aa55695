/**
 * The percentile intervals of pROC's bootstrap (R `quantile(type = 7, na.rm = TRUE)` at
 * (1 - level)/2, 0.5, 1 - (1 - level)/2) and their Monte-Carlo bands; see roc-bootstrap.ts.
 */
import { quantileSortedType7 } from "./descriptive.js";

/** A percentile interval of the defined (non-NaN) replicates. */
export interface BootstrapInterval {
  lower: number;
  median: number;
  upper: number;
  /** Number of defined replicates the quantiles use (pROC drops NaN). */
  nUsed: number;
  nBoot: number;
}

/** The probabilities of pROC's interval: (1 − level)/2, 0.5, 1 − (1 − level)/2, as R computes them. */
export function intervalProbabilities(confLevel: number): [number, number, number] {
  if (!(confLevel > 0 && confLevel < 1))
    throw new Error(`bootstrap CI: confidence level must lie in (0, 1), got ${confLevel}`);
  return [0 + (1 - confLevel) / 2, 0.5, 1 - (1 - confLevel) / 2];
}

/** R `quantile(x, probs, type = 7, na.rm = TRUE)` at pROC's three probabilities. */
export function percentileInterval(
  replicates: ArrayLike<number>,
  confLevel = 0.95,
): BootstrapInterval {
  const probs = intervalProbabilities(confLevel);
  const defined = definedSorted(replicates);
  const nBoot = replicates.length;
  if (defined.length === 0)
    return { lower: Number.NaN, median: Number.NaN, upper: Number.NaN, nUsed: 0, nBoot };
  const [lower, median, upper] = probs.map((p) => quantileSortedType7(defined, p)) as [
    number,
    number,
    number,
  ];
  return { lower, median, upper, nUsed: defined.length, nBoot };
}

/**
 * A ~95 % Monte-Carlo band of the bootstrap quantile at p: order statistics x_(j), x_(k) of the m
 * defined replicates, j = ⌊mp − z√(mp(1 − p))⌋, k = ⌈mp + z√(mp(1 − p))⌉, clamped to 1..m (the
 * binomial band of the golden files' `mc_band_95`). How far another random stream may move a bound.
 */
export function monteCarloBand(
  replicates: ArrayLike<number>,
  p: number,
  z = 1.96,
): [number, number] {
  const s = definedSorted(replicates);
  const m = s.length;
  if (m === 0) return [Number.NaN, Number.NaN];
  const half = z * Math.sqrt(m * p * (1 - p));
  const clamp = (i: number) => Math.min(m, Math.max(1, i));
  return [s[clamp(Math.floor(m * p - half)) - 1]!, s[clamp(Math.ceil(m * p + half)) - 1]!];
}

export function definedSorted(x: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]!)) out.push(x[i]!);
  return Float64Array.from(out).sort();
}
