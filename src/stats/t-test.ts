/**
 * Two-sample Student / Welch t test, R `t.test(x, y, var.equal)`: statistic, df, p and the CI of
 * the mean difference. t distribution functions come from @stdlib.
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { assertFiniteSample, mean, variance } from "./descriptive.js";
import {
  type Alternative,
  checkAlternative,
  checkConfLevel,
  DBL_EPSILON,
} from "./hypothesis-common.js";

export interface TTestOptions {
  /** true: pooled-variance Student t; false: Welch t with Satterthwaite df (R default false). */
  varEqual: boolean;
  alternative?: Alternative;
  mu?: number;
  confLevel?: number;
}

export interface TTestResult {
  t: number;
  df: number;
  p: number;
  meanX: number;
  meanY: number;
  /** meanX − meanY */
  meanDifference: number;
  stderr: number;
  /** CI of meanX − meanY: mu + (t ± q)·stderr, as R computes it. */
  confInt: [number, number];
  method: string;
}

/**
 * Two-sample t test, R `t.test(x, y, var.equal)`: Student: s² = ((n_x−1)v_x + (n_y−1)v_y)/(n_x+n_y−2),
 * SE = √(s²(1/n_x + 1/n_y)), df = n_x+n_y−2; Welch: SE = √(v_x/n_x + v_y/n_y),
 * df = SE⁴ / ((v_x/n_x)²/(n_x−1) + (v_y/n_y)²/(n_y−1)). t = (m_x − m_y − μ)/SE; two-sided
 * p = 2·pt(−|t|, df); CI = μ + (t ± qt(1 − α/2, df))·SE.
 */
export function tTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: TTestOptions,
): TTestResult {
  const alternative = checkAlternative(options.alternative ?? "two.sided");
  const mu = options.mu ?? 0;
  const confLevel = options.confLevel ?? 0.95;
  checkConfLevel(confLevel);
  const varEqual = options.varEqual;
  assertFiniteSample(x, "t test: x", varEqual ? 1 : 2);
  assertFiniteSample(y, "t test: y", varEqual ? 1 : 2);
  const nx = x.length;
  const ny = y.length;
  if (varEqual && nx + ny < 3) throw new Error("t test: not enough observations");
  const mx = mean(x);
  const my = mean(y);
  const vx = nx > 1 ? variance(x) : 0;
  const vy = ny > 1 ? variance(y) : 0;
  let df: number;
  let stderr: number;
  if (varEqual) {
    df = nx + ny - 2;
    let v = 0;
    if (nx > 1) v += (nx - 1) * vx;
    if (ny > 1) v += (ny - 1) * vy;
    v /= df;
    stderr = Math.sqrt(v * (1 / nx + 1 / ny));
  } else {
    const sex = Math.sqrt(vx / nx);
    const sey = Math.sqrt(vy / ny);
    stderr = Math.sqrt(sex ** 2 + sey ** 2);
    df = stderr ** 4 / (sex ** 4 / (nx - 1) + sey ** 4 / (ny - 1));
  }
  if (stderr < 10 * DBL_EPSILON * Math.max(Math.abs(mx), Math.abs(my))) {
    throw new Error("t test: data are essentially constant");
  }
  const t = (mx - my - mu) / stderr;
  let p: number;
  let lo: number;
  let hi: number;
  if (alternative === "less") {
    p = tCdf(t, df);
    lo = Number.NEGATIVE_INFINITY;
    hi = t + tQuantile(confLevel, df);
  } else if (alternative === "greater") {
    p = tCdf(-t, df);
    lo = t - tQuantile(confLevel, df);
    hi = Number.POSITIVE_INFINITY;
  } else {
    p = 2 * tCdf(-Math.abs(t), df);
    const q = tQuantile(1 - (1 - confLevel) / 2, df);
    lo = t - q;
    hi = t + q;
  }
  return {
    t,
    df,
    p,
    meanX: mx,
    meanY: my,
    meanDifference: mx - my,
    stderr,
    confInt: [mu + lo * stderr, mu + hi * stderr],
    method: varEqual ? " Two Sample t-test" : "Welch Two Sample t-test",
  };
}
