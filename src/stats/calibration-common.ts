/**
 * Building blocks shared by the calibration statistics (./calibration.ts lists them): R's plogis /
 * qlogis and seq(length.out), the chi-square upper tail, the probability / outcome checks, and the
 * grid rms `calibrate` evaluates curves on.
 * Pure TypeScript (no Node modules).
 */
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";

// ---------------------------------------------------------------------------------------------
// small R building blocks

/** R's `plogis(x)` = 1 / (1 + exp(−x)). */
export function plogis(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** R's `qlogis(p)` = log(p / (1 − p)) (±Inf at 0 and 1). */
export function qlogis(p: number): number {
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  return Math.log(p / (1 - p));
}

/**
 * R's `seq(from, to, length.out = n)`: from + i·((to − from)/(n − 1)) for i = 1..n−2, the last
 * value exactly `to` (R's seq.default / seq.int).
 */
export function seqLength(from: number, to: number, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`seq: length.out must be a positive integer, got ${n}`);
  const out = new Float64Array(n);
  out[0] = from;
  if (n > 1) out[n - 1] = to;
  if (n > 2) {
    if (from === to) out.fill(from);
    else {
      const by = (to - from) / (n - 1);
      for (let i = 1; i < n - 1; i++) out[i] = from + i * by;
    }
  }
  return out;
}

export function upperChiSquare(x: number, df: number): number {
  // R: 1 - pchisq(x, df)
  return 1 - chisquareCdf(x, df);
}

export function checkProbabilitiesAndOutcome(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  what: string,
): void {
  if (p.length !== y.length) {
    throw new Error(`${what}: ${p.length} probabilities but ${y.length} outcomes`);
  }
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    if (!(pi >= 0 && pi <= 1))
      throw new Error(`${what}: probability ${i + 1} is ${pi}, not in [0, 1]`);
    const yi = y[i]!;
    if (yi !== 0 && yi !== 1) throw new Error(`${what}: outcome ${i + 1} is ${yi}, not 0 or 1`);
  }
}

/**
 * The grid rms `calibrate` evaluates curves on: seq(sort(p)[first], sort(p)[n − fromEnd + 1],
 * length = count) (rms: first 5, fromEnd 5, count 50).
 */
export function calibrationGrid(
  p: ArrayLike<number>,
  count = 50,
  firstRank = 5,
  lastRankFromEnd = 5,
): Float64Array {
  const n = p.length;
  if (
    firstRank < 1 ||
    n - lastRankFromEnd + 1 > n ||
    n - lastRankFromEnd + 1 < 1 ||
    n < firstRank
  ) {
    throw new Error(
      `calibrationGrid: ${n} probabilities are too few for ranks ${firstRank} .. n-${lastRankFromEnd - 1}`,
    );
  }
  const sorted = Float64Array.from(p).sort();
  return seqLength(sorted[firstRank - 1]!, sorted[n - lastRankFromEnd]!, count);
}
