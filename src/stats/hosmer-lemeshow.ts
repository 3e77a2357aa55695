/**
 * The Hosmer-Lemeshow goodness-of-fit test as ResourceSelection `hoslem.test` computes it
 * (`R/hoslem.test.R`: groups at R type-7 quantiles of the predicted probabilities).
 * Pure TypeScript (no Node modules).
 */
import { checkProbabilitiesAndOutcome, upperChiSquare } from "./calibration-common.js";
import { quantileType7 } from "./descriptive.js";

// ---------------------------------------------------------------------------------------------
// Hosmer–Lemeshow

export interface HosmerLemeshowOptions {
  /** Number of groups g (default 10). */
  g?: number;
  /** Quantile probabilities of the breaks (default R's seq(0, 1, 1/g)). */
  probs?: ArrayLike<number>;
  /** Degrees of freedom (default g − 2, as ResourceSelection's rule with g groups). */
  df?: number;
}

export interface HosmerLemeshowResult {
  g: number;
  breaks: Float64Array;
  groupN: Float64Array;
  observedEvents: Float64Array;
  expectedEvents: Float64Array;
  observedNonevents: Float64Array;
  expectedNonevents: Float64Array;
  /** 1-based group of each observation. */
  group: Int32Array;
  statistic: number;
  df: number;
  p: number;
}

/**
 * Hosmer–Lemeshow goodness of fit as ResourceSelection `hoslem.test(y, p, g)`: breaks =
 * unique(quantile(p, seq(0, 1, 1/g), type 7)); groups = cut(p, breaks, include.lowest = TRUE)
 * (right-closed intervals, the first also closed on the left); χ² = Σ_groups (O1 − E1)²/E1 +
 * (O0 − E0)²/E0 with E1 = Σp, E0 = Σ(1 − p) per group; p = 1 − pchisq(χ², df).
 */
export function hosmerLemeshow(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  options: HosmerLemeshowOptions = {},
): HosmerLemeshowResult {
  checkProbabilitiesAndOutcome(p, y, "hosmerLemeshow");
  const g = options.g ?? 10;
  if (!Number.isInteger(g) || g < 2)
    throw new Error(`hosmerLemeshow: g must be an integer >= 2, got ${g}`);
  const probs = options.probs ?? Array.from({ length: g + 1 }, (_, i) => i * (1 / g));
  // k·(1/g) can exceed 1 by an ulp; R clamps probabilities to [0, 1] within eps.
  const q = quantileType7(
    p,
    Array.from(probs, (v) => Math.min(1, Math.max(0, v))),
  );
  const uniq: number[] = [];
  for (const v of q) if (!uniq.includes(v)) uniq.push(v);
  const breaks = Float64Array.from(uniq).sort();
  const nb = breaks.length;
  if (nb < 2) throw new Error("hosmerLemeshow: all probabilities are equal (a single break)");
  const ng = nb - 1;
  const group = new Int32Array(p.length);
  const groupN = new Float64Array(ng);
  const o1 = new Float64Array(ng);
  const e1 = new Float64Array(ng);
  const o0 = new Float64Array(ng);
  const e0 = new Float64Array(ng);
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    // R's .bincode(x, breaks, right = TRUE, include.lowest = TRUE)
    let lo = 0;
    let hi = nb - 1;
    if (x < breaks[lo]! || x > breaks[hi]!)
      throw new Error(`hosmerLemeshow: probability ${i + 1} outside the breaks`);
    while (hi - lo >= 2) {
      const mid = (hi + lo) >> 1;
      if (x > breaks[mid]!) lo = mid;
      else hi = mid;
    }
    group[i] = lo + 1;
    groupN[lo]!++;
    o1[lo]! += y[i]!;
    o0[lo]! += 1 - y[i]!;
    e1[lo]! += x;
    e0[lo]! += 1 - x;
  }
  let statistic = 0;
  for (let k = 0; k < ng; k++) statistic += (o0[k]! - e0[k]!) ** 2 / e0[k]!;
  for (let k = 0; k < ng; k++) statistic += (o1[k]! - e1[k]!) ** 2 / e1[k]!;
  const df = options.df ?? g - 2;
  return {
    g,
    breaks,
    groupN,
    observedEvents: o1,
    expectedEvents: e1,
    observedNonevents: o0,
    expectedNonevents: e0,
    group,
    statistic,
    df,
    p: upperChiSquare(statistic, df),
  };
}
