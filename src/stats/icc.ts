/**
 * Intraclass correlation coefficients of Shrout & Fleiss (1979, Psychol Bull 86:420-428) as
 * R psych::ICC(x, lmer = FALSE) computes them (psych 2.2.9, R/ICC.R), for a complete
 * n subjects x k raters table.
 *
 * Two-way ANOVA mean squares: MSB (subjects, df n-1), MSJ (raters, df k-1),
 * MSE (residual, df (n-1)(k-1)), MSW = (SSJ + SSE) / (dfJ + dfE) (within subjects).
 *   ICC1  = (MSB - MSW) / (MSB + (k-1) MSW)          ICC1k = (MSB - MSW) / MSB
 *   ICC2  = (MSB - MSE) / (MSB + (k-1) MSE + k (MSJ - MSE) / n)
 *   ICC2k = (MSB - MSE) / (MSB + (MSJ - MSE) / n)
 *   ICC3  = (MSB - MSE) / (MSB + (k-1) MSE)          ICC3k = (MSB - MSE) / MSB
 * F tests: ICC1 / ICC1k F = MSB/MSW on (n-1, n(k-1)); the others F = MSB/MSE on (n-1, (n-1)(k-1));
 * p = upper tail. Confidence limits (level 1 - alpha, alpha split in two tails) as psych:
 * F-based for ICC1/ICC3 and their k versions, Satterthwaite-type df for ICC2 / ICC2k
 * (McGraw & Wong 1996).
 */
import betainc from "@stdlib/math-base-special-betainc";
import fQuantile from "@stdlib/stats-base-dists-f-quantile";

export type IccType = "ICC1" | "ICC2" | "ICC3" | "ICC1k" | "ICC2k" | "ICC3k";
export const ICC_TYPES: readonly IccType[] = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"];

export interface IccRow {
  type: IccType;
  icc: number;
  F: number;
  df1: number;
  df2: number;
  p: number;
  lower: number;
  upper: number;
}

export interface IccAnova {
  MSB: number;
  MSJ: number;
  MSE: number;
  MSW: number;
}

export interface IccResult {
  nSubjects: number;
  nRaters: number;
  /** Rows in the order ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k. */
  rows: IccRow[];
  anova: IccAnova;
}

/** P(F(d1, d2) > f) from the regularised incomplete beta (accurate far into the tail). */
function fUpper(f: number, d1: number, d2: number): number {
  if (f === Number.POSITIVE_INFINITY) return 0;
  if (!(f > 0)) return 1;
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, true, false);
}

/** Two-way ANOVA mean squares of a complete subjects x raters table (rows = subjects). */
export function iccAnova(
  ratings: readonly ArrayLike<number>[],
): IccAnova & { n: number; k: number } {
  const n = ratings.length;
  if (n < 2) throw new Error(`ICC: need at least 2 subjects, got ${n}`);
  const k = ratings[0]!.length;
  if (k < 2) throw new Error(`ICC: need at least 2 raters, got ${k}`);
  let total = 0;
  ratings.forEach((row, i) => {
    if (row.length !== k)
      throw new Error(`ICC: subject ${i + 1} has ${row.length} ratings, expected ${k}`);
    for (let j = 0; j < k; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v))
        throw new Error(`ICC: subject ${i + 1}, rater ${j + 1} is missing or not finite (${v})`);
      total += v;
    }
  });
  const grand = total / (n * k);
  const rowMean = new Float64Array(n);
  const colMean = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) {
      s += ratings[i]![j]!;
      colMean[j] = colMean[j]! + ratings[i]![j]!;
    }
    rowMean[i] = s / k;
  }
  for (let j = 0; j < k; j++) colMean[j] = colMean[j]! / n;
  let ssb = 0;
  for (let i = 0; i < n; i++) ssb += (rowMean[i]! - grand) ** 2;
  ssb *= k;
  let ssj = 0;
  for (let j = 0; j < k; j++) ssj += (colMean[j]! - grand) ** 2;
  ssj *= n;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const e = ratings[i]![j]! - rowMean[i]! - colMean[j]! + grand;
      sse += e * e;
    }
  }
  const dfB = n - 1;
  const dfJ = k - 1;
  const dfE = (n - 1) * (k - 1);
  return { n, k, MSB: ssb / dfB, MSJ: ssj / dfJ, MSE: sse / dfE, MSW: (ssj + sse) / (dfJ + dfE) };
}

/** psych::ICC(ratings, lmer = FALSE, alpha): all six Shrout-Fleiss forms with F tests and CIs. */
export function icc(
  ratings: readonly ArrayLike<number>[],
  options: { alpha?: number } = {},
): IccResult {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`ICC: alpha must be in (0, 1), got ${alpha}`);
  const { n, k, MSB, MSJ, MSE, MSW } = iccAnova(ratings);
  const ICC1 = (MSB - MSW) / (MSB + (k - 1) * MSW);
  const ICC2 = (MSB - MSE) / (MSB + (k - 1) * MSE + (k * (MSJ - MSE)) / n);
  const ICC3 = (MSB - MSE) / (MSB + (k - 1) * MSE);
  const ICC12 = (MSB - MSW) / MSB;
  const ICC22 = (MSB - MSE) / (MSB + (MSJ - MSE) / n);
  const ICC32 = (MSB - MSE) / MSB;
  const F11 = MSB / MSW;
  const df11n = n - 1;
  const df11d = n * (k - 1);
  const p11 = fUpper(F11, df11n, df11d);
  const F21 = MSB / MSE;
  const df21n = n - 1;
  const df21d = (n - 1) * (k - 1);
  const p21 = fUpper(F21, df21n, df21d);
  const q = 1 - alpha / 2;
  const F1L = F11 / fQuantile(q, df11n, df11d);
  const F1U = F11 * fQuantile(q, df11d, df11n);
  const L1 = (F1L - 1) / (F1L + (k - 1));
  const U1 = (F1U - 1) / (F1U + k - 1);
  const F3L = F21 / fQuantile(q, df21n, df21d);
  const F3U = F21 * fQuantile(q, df21d, df21n);
  const L3 = (F3L - 1) / (F3L + k - 1);
  const U3 = (F3U - 1) / (F3U + k - 1);
  // ICC2: Satterthwaite df
  const Fj = MSJ / MSE;
  const vn = (k - 1) * (n - 1) * (k * ICC2 * Fj + n * (1 + (k - 1) * ICC2) - k * ICC2) ** 2;
  const vd = (n - 1) * k ** 2 * ICC2 ** 2 * Fj ** 2 + (n * (1 + (k - 1) * ICC2) - k * ICC2) ** 2;
  const v = vn / vd;
  const F2U = fQuantile(q, n - 1, v);
  const F2L = fQuantile(q, v, n - 1);
  const L2 = (n * (MSB - F2U * MSE)) / (F2U * (k * MSJ + (k * n - k - n) * MSE) + n * MSB);
  const U2 = (n * (F2L * MSB - MSE)) / (k * MSJ + (k * n - k - n) * MSE + n * F2L * MSB);
  const L2k = (L2 * k) / (1 + L2 * (k - 1));
  const U2k = (U2 * k) / (1 + U2 * (k - 1));
  const row = (
    type: IccType,
    value: number,
    F: number,
    df1: number,
    df2: number,
    p: number,
    lower: number,
    upper: number,
  ): IccRow => ({
    type,
    icc: value,
    F,
    df1,
    df2,
    p,
    lower,
    upper,
  });
  return {
    nSubjects: n,
    nRaters: k,
    rows: [
      row("ICC1", ICC1, F11, df11n, df11d, p11, L1, U1),
      row("ICC2", ICC2, F21, df21n, df21d, p21, L2, U2),
      row("ICC3", ICC3, F21, df21n, df21d, p21, L3, U3),
      row("ICC1k", ICC12, F11, df11n, df11d, p11, 1 - 1 / F1L, 1 - 1 / F1U),
      row("ICC2k", ICC22, F21, df21n, df21d, p21, L2k, U2k),
      row("ICC3k", ICC32, F21, df21n, df21d, p21, 1 - 1 / F3L, 1 - 1 / F3U),
    ],
    anova: { MSB, MSJ, MSE, MSW },
  };
}

export interface IccFilterResult {
  /** Names of features whose chosen statistic is >= threshold, in input order. */
  kept: string[];
  /** Names of the others. */
  dropped: string[];
  /** Full ICC result per feature. */
  results: Map<string, IccResult>;
}

/**
 * Reproducibility filter over many features: keep a feature when its ICC of the given type (or the
 * lower 95% confidence limit, `use: "lower"`) is >= threshold (e.g. ICC2 >= 0.75, Koo & Li 2016).
 * `features` maps a name to its subjects x raters table.
 */
export function iccFilter(
  features: Iterable<[string, readonly ArrayLike<number>[]]>,
  options: { type?: IccType; threshold?: number; use?: "estimate" | "lower"; alpha?: number } = {},
): IccFilterResult {
  const type = options.type ?? "ICC2";
  const threshold = options.threshold ?? 0.75;
  const use = options.use ?? "estimate";
  const idx = ICC_TYPES.indexOf(type);
  if (idx < 0) throw new Error(`iccFilter: unknown ICC type '${type}'`);
  const kept: string[] = [];
  const dropped: string[] = [];
  const results = new Map<string, IccResult>();
  for (const [name, table] of features) {
    let r: IccResult;
    try {
      r = icc(table, { alpha: options.alpha });
    } catch (e) {
      throw new Error(`iccFilter: feature '${name}': ${(e as Error).message}`);
    }
    results.set(name, r);
    const row = r.rows[idx]!;
    const value = use === "lower" ? row.lower : row.icc;
    (value >= threshold ? kept : dropped).push(name);
  }
  return { kept, dropped, results };
}
