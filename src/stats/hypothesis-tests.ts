/**
 * Two-group comparison tests reproducing R 4.2 `stats`: Shapiro–Wilk (swilk.c, Royston AS R94),
 * Student / Welch t (t.test), Wilcoxon–Mann–Whitney rank-sum (wilcox.test: exact pwilcox
 * distribution or normal approximation with tie-corrected variance), Pearson χ² (chisq.test, Yates
 * only for 2 x 2) and Fisher's exact test (fisher.test: 2 x 2 with conditional-MLE odds ratio and its
 * CI; r x c by exact enumeration with FEXACT's tolerance). Distribution functions come from @stdlib;
 * the methods are implemented here. Pure TypeScript (browser-safe).
 */
import { zeroin } from "./zeroin.js";
import erfc from "@stdlib/math-base-special-erfc";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { assertFiniteSample, averageRanks, mean, sortedCopy, variance } from "./descriptive.js";

export type Alternative = "two.sided" | "less" | "greater";

const SQRT1_2 = Math.SQRT1_2;
const DBL_EPSILON = 2.220446049250313e-16;
const DBL_MAX = Number.MAX_VALUE;

function checkAlternative(alternative: string): Alternative {
  if (alternative !== "two.sided" && alternative !== "less" && alternative !== "greater") {
    throw new Error(`alternative must be "two.sided", "less" or "greater", got '${alternative}'`);
  }
  return alternative;
}

function checkConfLevel(confLevel: number): void {
  if (!(confLevel > 0 && confLevel < 1)) {
    throw new Error(`confLevel must be a number in (0, 1), got ${confLevel}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Distribution tails (accurate in the far tails)

/** Standard normal lower tail Φ(z) = erfc(−z/√2)/2. */
export function normalLowerTail(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}

/** Standard normal upper tail 1 − Φ(z) = erfc(z/√2)/2 (no cancellation for large z). */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z * SQRT1_2);
}

/**
 * Upper tail P(X ≥ x) of the χ² distribution with integer df (R `pchisq(x, df, lower.tail =
 * FALSE)`), by the closed forms of the regularised upper incomplete gamma function for integer
 * and half-integer shape (Abramowitz & Stegun 26.4.4 / 26.4.5): even df: e^(−x/2) Σ_{k<df/2}
 * (x/2)^k / k!; odd df: 2(1 − Φ(√x)) + 2φ(√x) Σ_{k=1}^{(df−1)/2} x^(k−½) / (1·3·…·(2k−1)).
 * Every term is positive, so the result keeps full relative accuracy in the far tail.
 */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) {
    throw new Error(`chiSquareUpperTail: df must be a positive integer, got ${df}`);
  }
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (df % 2 === 0) {
    const h = x / 2;
    let term = Math.exp(-h);
    let sum = term;
    for (let k = 1; k < df / 2; k++) {
      term *= h / k;
      sum += term;
    }
    return sum;
  }
  const s = Math.sqrt(x);
  let sum = 2 * normalUpperTail(s);
  if (df > 1) {
    // φ(√x) · √x^(2k−1) / (1·3·…·(2k−1)), k = 1 … (df−1)/2
    let term = (Math.exp(-x / 2) / Math.sqrt(2 * Math.PI)) * s;
    let acc = term;
    for (let k = 2; k <= (df - 1) / 2; k++) {
      term *= x / (2 * k - 1);
      acc += term;
    }
    sum += 2 * acc;
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Shapiro–Wilk

export interface ShapiroWilkResult {
  w: number;
  p: number;
}

/** Polynomial c[0] + c[1]x + … (AS 181.2 `poly`, same evaluation order as swilk.c). */
function swPoly(c: readonly number[], x: number): number {
  const nord = c.length;
  let ret = c[0] as number;
  if (nord > 1) {
    let p = x * (c[nord - 1] as number);
    for (let j = nord - 2; j > 0; j--) p = (p + (c[j] as number)) * x;
    ret += p;
  }
  return ret;
}

/**
 * Shapiro–Wilk W and p-value, R `shapiro.test`: the sample (3 ≤ n ≤ 5000) is sorted, W is the
 * squared correlation of the sorted values with Royston's approximate normal-score coefficients,
 * and p comes from Royston's normalising transformation (n = 3: exact; 4 ≤ n ≤ 11:
 * −log(γ − log(1 − W)); n ≥ 12: log(1 − W)). Algorithm AS R94 (Royston 1995, Appl. Statist.
 * 44:547–551) as implemented in R's swilk.c.
 */
export function shapiroWilk(values: ArrayLike<number>): ShapiroWilkResult {
  assertFiniteSample(values, "Shapiro-Wilk");
  let x = sortedCopy(values);
  const n = x.length;
  if (n < 3 || n > 5000) {
    throw new Error(`Shapiro-Wilk: sample size must be between 3 and 5000, got ${n}`);
  }
  const rng0 = (x[n - 1] as number) - (x[0] as number);
  if (rng0 === 0) throw new Error("Shapiro-Wilk: all values are identical");
  if (rng0 < 1e-10) x = x.map((v) => v / rng0);

  const small = 1e-19;
  const g = [-2.273, 0.459];
  const c1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
  const c2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
  const c3 = [0.544, -0.39978, 0.025054, -6.714e-4];
  const c4 = [1.3822, -0.77857, 0.062767, -0.0020322];
  const c5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
  const c6 = [-0.4803, -0.082676, 0.0030302];

  const nn2 = Math.floor(n / 2);
  const a = new Float64Array(nn2 + 1); // 1-based
  const an = n;
  if (n === 3) {
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: swilk.c's literal, kept for parity
    a[1] = 0.70710678;
  } else {
    const an25 = an + 0.25;
    let summ2 = 0;
    for (let i = 1; i <= nn2; i++) {
      const v = normalQuantile((i - 0.375) / an25, 0, 1);
      a[i] = v;
      summ2 += v * v;
    }
    summ2 *= 2;
    const ssumm2 = Math.sqrt(summ2);
    const rsn = 1 / Math.sqrt(an);
    const a1 = swPoly(c1, rsn) - (a[1] as number) / ssumm2;
    let i1: number;
    let fac: number;
    if (n > 5) {
      i1 = 3;
      const a2 = -(a[2] as number) / ssumm2 + swPoly(c2, rsn);
      fac = Math.sqrt(
        (summ2 -
          2 * ((a[1] as number) * (a[1] as number)) -
          2 * ((a[2] as number) * (a[2] as number))) /
          (1 - 2 * (a1 * a1) - 2 * (a2 * a2)),
      );
      a[2] = a2;
    } else {
      i1 = 2;
      fac = Math.sqrt((summ2 - 2 * ((a[1] as number) * (a[1] as number))) / (1 - 2 * (a1 * a1)));
    }
    a[1] = a1;
    for (let i = i1; i <= nn2; i++) a[i] = (a[i] as number) / -fac;
  }

  const range = (x[n - 1] as number) - (x[0] as number);
  if (range < small) throw new Error("Shapiro-Wilk: range of the values is too small");

  let xx = (x[0] as number) / range;
  let sx = xx;
  let sa = -(a[1] as number);
  for (let i = 1, j = n - 1; i < n; j--) {
    const xi = (x[i] as number) / range;
    sx += xi;
    i++;
    if (i !== j) sa += Math.sign(i - j) * (a[Math.min(i, j)] as number);
    xx = xi;
  }
  sa /= n;
  sx /= n;
  let ssa = 0;
  let ssx = 0;
  let sax = 0;
  for (let i = 0, j = n - 1; i < n; i++, j--) {
    const asa = i !== j ? Math.sign(i - j) * (a[1 + Math.min(i, j)] as number) - sa : -sa;
    const xsx = (x[i] as number) / range - sx;
    ssa += asa * asa;
    ssx += xsx * xsx;
    sax += asa * xsx;
  }
  const ssassx = Math.sqrt(ssa * ssx);
  const w1 = ((ssassx - sax) * (ssassx + sax)) / (ssa * ssx);
  const w = 1 - w1;

  if (n === 3) {
    const pi6 = 1.90985931710274;
    const stqr = 1.0471975511966;
    let pw = pi6 * (Math.asin(Math.sqrt(w)) - stqr);
    if (pw < 0) pw = 0;
    return { w, p: pw };
  }
  let y = Math.log(w1);
  const lxx = Math.log(an);
  let m: number;
  let s: number;
  if (n <= 11) {
    const gamma = swPoly(g, an);
    if (y >= gamma) return { w, p: 1e-99 };
    y = -Math.log(gamma - y);
    m = swPoly(c3, an);
    s = Math.exp(swPoly(c4, an));
  } else {
    m = swPoly(c5, lxx);
    s = Math.exp(swPoly(c6, lxx));
  }
  return { w, p: normalUpperTail((y - m) / s) };
}

// ---------------------------------------------------------------------------------------------
// t tests

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

// ---------------------------------------------------------------------------------------------
// Wilcoxon–Mann–Whitney

/**
 * Frequencies of the Mann–Whitney statistic U = 0 … m·n for sample sizes m, n without ties
 * (R `cwilcox`), by the recursion f_{m,n}(u) = f_{m−1,n}(u − n) + f_{m,n−1}(u) (additions only).
 */
export function wilcoxonFrequencies(m: number, n: number): Float64Array {
  if (!(Number.isInteger(m) && Number.isInteger(n) && m >= 0 && n >= 0)) {
    throw new Error(`wilcoxonFrequencies: sizes must be non-negative integers, got ${m}, ${n}`);
  }
  // prev[j] = f_{i−1, j}, cur[j] = f_{i, j} (length i·j + 1)
  let prev: Float64Array[] = [];
  for (let j = 0; j <= n; j++) prev.push(Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const f = new Float64Array(i * j + 1);
      const a = prev[j] as Float64Array; // f_{i−1, j}, length (i−1)j + 1
      const b = cur[j - 1] as Float64Array; // f_{i, j−1}, length i(j−1) + 1
      for (let u = 0; u < b.length; u++) f[u] = b[u] as number;
      for (let u = 0; u < a.length; u++) f[u + j] = (f[u + j] as number) + (a[u] as number);
      cur.push(f);
    }
    prev = cur;
  }
  return prev[n] as Float64Array;
}

/** Binomial coefficient C(n, k) for integers as R's `choose`: a product for k < 30, rounded. */
function chooseInt(n: number, k0: number): number {
  const k = Math.min(k0, n - k0);
  if (k < 0) return 0;
  if (k < 30) {
    let r = n;
    if (k === 0) return 1;
    for (let j = 2; j <= k; j++) r *= (n - j + 1) / j;
    return Math.round(r);
  }
  let s = 0;
  for (let j = 0; j < k; j++) s += Math.log((n - j) / (j + 1));
  return Math.round(Math.exp(s));
}

/**
 * Distribution function of the Wilcoxon rank-sum statistic (R `pwilcox(q, m, n, lower.tail)`):
 * P(W ≤ q) (or P(W > q)), summing cwilcox(i)/choose(m+n, n) over the shorter side as R does.
 */
export function pwilcox(q: number, m: number, n: number, lowerTail = true): number {
  const freq = wilcoxonFrequencies(m, n);
  return pwilcoxFromFrequencies(q, m, n, lowerTail, freq);
}

function pwilcoxFromFrequencies(
  q0: number,
  m: number,
  n: number,
  lowerTail0: boolean,
  freq: Float64Array,
): number {
  let lowerTail = lowerTail0;
  let q = Math.floor(q0 + 1e-7);
  if (q < 0) return lowerTail ? 0 : 1;
  if (q >= m * n) return lowerTail ? 1 : 0;
  const c = chooseInt(m + n, n);
  let p = 0;
  if (q <= (m * n) / 2) {
    for (let i = 0; i <= q; i++) p += (freq[i] as number) / c;
  } else {
    q = m * n - q;
    for (let i = 0; i < q; i++) p += (freq[i] as number) / c;
    lowerTail = !lowerTail;
  }
  return lowerTail ? p : 0.5 - p + 0.5;
}

export interface WilcoxonOptions {
  /** true: exact distribution (only without ties); false: normal approximation; "auto" (R default
   * exact = NULL): exact when both samples have < 50 values and there are no ties. */
  exact?: boolean | "auto";
  /** Continuity correction 0.5 in the normal approximation (R default true). */
  correct?: boolean;
  alternative?: Alternative;
  mu?: number;
}

export interface WilcoxonResult {
  /** W = rank sum of x − n_x(n_x+1)/2 (the Mann–Whitney U of x). */
  W: number;
  p: number;
  /** true when the exact distribution gave p. */
  exact: boolean;
  tiesPresent: boolean;
  /** R's method string, e.g. "Wilcoxon rank sum exact test". */
  method: string;
  /** Normal approximation only: the z statistic (after continuity correction). */
  z?: number;
}

/**
 * Two-sample Wilcoxon rank-sum / Mann–Whitney test, R `wilcox.test(x, y)`: mid-ranks of
 * c(x − μ, y); W = Σ ranks(x) − n_x(n_x+1)/2. Exact (no ties): pwilcox; two-sided
 * p = min(1, 2·min tail). Normal: z = (W − n_x n_y/2 − CORRECTION)/σ with
 * σ² = n_x n_y/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))), CORRECTION = sign(z)·0.5 (two-sided),
 * ±0.5 (one-sided) or 0.
 */
export function wilcoxonRankSum(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: WilcoxonOptions = {},
): WilcoxonResult {
  const alternative = checkAlternative(options.alternative ?? "two.sided");
  const mu = options.mu ?? 0;
  const correct = options.correct ?? true;
  const exactOpt = options.exact ?? "auto";
  assertFiniteSample(x, "Wilcoxon test: x");
  assertFiniteSample(y, "Wilcoxon test: y");
  const nx = x.length;
  const ny = y.length;
  const all = new Float64Array(nx + ny);
  for (let i = 0; i < nx; i++) all[i] = (x[i] as number) - mu;
  for (let i = 0; i < ny; i++) all[nx + i] = y[i] as number;
  const { ranks, tieSizes } = averageRanks(all);
  let rx = 0;
  for (let i = 0; i < nx; i++) rx += ranks[i] as number;
  const W = rx - (nx * (nx + 1)) / 2;
  const ties = tieSizes.length > 0;
  const exact = exactOpt === "auto" ? nx < 50 && ny < 50 : exactOpt;
  if (exact && !ties) {
    const freq = wilcoxonFrequencies(nx, ny);
    let p: number;
    if (alternative === "two.sided") {
      const tail =
        W > (nx * ny) / 2
          ? pwilcoxFromFrequencies(W - 1, nx, ny, false, freq)
          : pwilcoxFromFrequencies(W, nx, ny, true, freq);
      p = Math.min(2 * tail, 1);
    } else if (alternative === "greater") {
      p = pwilcoxFromFrequencies(W - 1, nx, ny, false, freq);
    } else {
      p = pwilcoxFromFrequencies(W, nx, ny, true, freq);
    }
    return { W, p, exact: true, tiesPresent: ties, method: "Wilcoxon rank sum exact test" };
  }
  let z = W - (nx * ny) / 2;
  let tieSum = 0;
  for (const t of tieSizes) tieSum += t ** 3 - t;
  const sigma = Math.sqrt(((nx * ny) / 12) * (nx + ny + 1 - tieSum / ((nx + ny) * (nx + ny - 1))));
  let correction = 0;
  let method = "Wilcoxon rank sum test";
  if (correct) {
    correction =
      alternative === "two.sided" ? Math.sign(z) * 0.5 : alternative === "greater" ? 0.5 : -0.5;
    method += " with continuity correction";
  }
  z = (z - correction) / sigma;
  let p: number;
  if (alternative === "less") p = normalLowerTail(z);
  else if (alternative === "greater") p = normalUpperTail(z);
  else p = 2 * Math.min(normalLowerTail(z), normalUpperTail(z));
  return { W, p, exact: false, tiesPresent: ties, method, z };
}

// ---------------------------------------------------------------------------------------------
// Contingency tables

function checkTable(
  table: readonly (readonly number[])[],
  what: string,
): { nr: number; nc: number } {
  const nr = table.length;
  if (nr < 2) throw new Error(`${what}: the table needs at least 2 rows, got ${nr}`);
  const nc = (table[0] as readonly number[]).length;
  if (nc < 2) throw new Error(`${what}: the table needs at least 2 columns, got ${nc}`);
  table.forEach((row, i) => {
    if (row.length !== nc)
      throw new Error(`${what}: row ${i} has ${row.length} cells, row 0 has ${nc}`);
    row.forEach((v, j) => {
      if (!(Number.isInteger(v) && v >= 0)) {
        throw new Error(
          `${what}: cell [${i}][${j}] must be a non-negative integer count, got ${v}`,
        );
      }
    });
  });
  return { nr, nc };
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
  /** Expected counts under independence, E = outer(row sums, column sums)/n. */
  expected: number[][];
  /** true when the Yates correction was requested and the table is 2 x 2 (R's rule). */
  yatesApplied: boolean;
}

/**
 * Pearson χ² test of independence, R `chisq.test(table, correct)`: E_ij = r_i c_j / n,
 * X² = Σ (|O − E| − Y)² / E with Y = min(0.5, min|O − E|) for a 2 x 2 table when `correct`
 * (Yates), else Y = 0; df = (r − 1)(c − 1); p = P(χ²_df ≥ X²).
 */
export function chiSquareTest(
  table: readonly (readonly number[])[],
  correct = true,
): ChiSquareResult {
  const { nr, nc } = checkTable(table, "chi-square test");
  const sr = table.map((row) => row.reduce((a, b) => a + b, 0));
  const sc = Array.from({ length: nc }, (_, j) =>
    table.reduce((a, row) => a + (row[j] as number), 0),
  );
  const n = sr.reduce((a, b) => a + b, 0);
  if (n === 0) throw new Error("chi-square test: the table is empty (all counts are 0)");
  const expected = sr.map((r) => sc.map((c) => (r * c) / n));
  const yatesApplied = correct && nr === 2 && nc === 2;
  let yates = 0;
  if (yatesApplied) {
    yates = 0.5;
    for (let i = 0; i < nr; i++) {
      for (let j = 0; j < nc; j++) {
        yates = Math.min(yates, Math.abs((table[i]?.[j] as number) - (expected[i]?.[j] as number)));
      }
    }
  }
  let statistic = 0;
  for (let j = 0; j < nc; j++) {
    for (let i = 0; i < nr; i++) {
      const e = expected[i]?.[j] as number;
      const d = Math.abs((table[i]?.[j] as number) - e) - yates;
      statistic += (d * d) / e;
    }
  }
  const df = (nr - 1) * (nc - 1);
  return { statistic, df, p: chiSquareUpperTail(statistic, df), expected, yatesApplied };
}

export interface FisherOptions {
  /** Only for 2 x 2 tables (R ignores it otherwise); default "two.sided". */
  alternative?: Alternative;
  confLevel?: number;
  /** Limit on the number of network states of the r x c algorithm (default 2e7). */
  maxStates?: number;
}

export interface FisherResult {
  p: number;
  /** 2 x 2 only: conditional maximum-likelihood odds ratio (R `fisher.test()$estimate`). */
  oddsRatio?: number;
  /** 2 x 2 only: conditional exact CI of the odds ratio (R `fisher.test()$conf.int`). */
  confInt?: [number, number];
}

/** R's relative fuzz of the 2 x 2 two-sided p: d ≤ d_obs·(1 + 1e-7). */
export const FISHER_2X2_RELATIVE_TOLERANCE = 1e-7;
/** FEXACT's tolerance on the log probability of a table (R fexact.c `tol`): log d ≤ log d_obs + tol. */
export const FEXACT_LOG_TOLERANCE = 3.45254e-7;

/**
 * log C(r, x) for x = 0 … r by cumulative sums of log((r − j)/(j + 1)), symmetric halves filled from
 * the shorter side.
 */
function logChooseRow(r: number): Float64Array {
  const out = new Float64Array(r + 1);
  const half = Math.floor(r / 2);
  let s = 0;
  for (let x = 1; x <= half; x++) {
    s += Math.log((r - x + 1) / x);
    out[x] = s;
  }
  for (let x = half + 1; x <= r; x++) out[x] = out[r - x] as number;
  return out;
}

/**
 * R `uniroot(f, c(lower, upper))` with its defaults (tol = DBL_EPSILON^0.25, maxiter 1000):
 * Brent's zeroin as in R's zeroin.c (R_zeroin2, with f(lower), f(upper) given and non-finite
 * function values replaced by ±DBL_MAX).
 */
export function uniroot(
  f: (x: number) => number,
  lower: number,
  upper: number,
  tol = DBL_EPSILON ** 0.25,
  maxiter = 1000,
): number {
  const ff = (x: number): number => {
    const v = f(x);
    if (Number.isNaN(v)) throw new Error(`uniroot: function value is NaN at ${x}`);
    if (v === Number.NEGATIVE_INFINITY) return -DBL_MAX;
    if (v === Number.POSITIVE_INFINITY) return DBL_MAX;
    return v;
  };
  const fa = ff(lower);
  const fb = ff(upper);
  if (!(Math.sign(fa) * Math.sign(fb) <= 0)) {
    throw new Error(
      `uniroot: f() values at the end points ${lower}, ${upper} are not of opposite sign`,
    );
  }
  return zeroin(ff, lower, upper, fa, fb, tol, maxiter);
}

/**
 * 2 x 2 Fisher test as R's fisher.test: X = table[0][0] given the margins follows the
 * (non-central) hypergeometric distribution with odds ratio ψ; p (two-sided) = Σ d(x) over
 * d(x) ≤ d(x_obs)(1 + 1e-7) at ψ = 1; odds ratio = conditional MLE solving E_ψ(X) = x_obs;
 * CI from P_ψ(X ≥ x_obs) = α/2 and P_ψ(X ≤ x_obs) = α/2, all roots by R's uniroot.
 */
function fisher2x2(
  table: readonly (readonly number[])[],
  alternative: Alternative,
  confLevel: number,
): FisherResult {
  const x11 = table[0]?.[0] as number;
  const x12 = table[0]?.[1] as number;
  const x21 = table[1]?.[0] as number;
  const x22 = table[1]?.[1] as number;
  const m = x11 + x21;
  const n = x12 + x22;
  const k = x11 + x12;
  const x = x11;
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const len = hi - lo + 1;
  const support = new Float64Array(len);
  for (let i = 0; i < len; i++) support[i] = lo + i;
  // log central hypergeometric density, up to a constant (cancels in every normalised use)
  const lm = logChooseRow(m);
  const ln = logChooseRow(n);
  const logdc = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const s = lo + i;
    logdc[i] = (lm[s] as number) + (ln[k - s] as number);
  }
  const dnhyper = (ncp: number): Float64Array => {
    const d = new Float64Array(len);
    const lncp = Math.log(ncp);
    let mx = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < len; i++) {
      d[i] = (logdc[i] as number) + lncp * (support[i] as number);
      if ((d[i] as number) > mx) mx = d[i] as number;
    }
    let sum = 0;
    for (let i = 0; i < len; i++) {
      d[i] = Math.exp((d[i] as number) - mx);
      sum += d[i] as number;
    }
    for (let i = 0; i < len; i++) d[i] = (d[i] as number) / sum;
    return d;
  };
  const mnhyper = (ncp: number): number => {
    if (ncp === 0) return lo;
    if (ncp === Number.POSITIVE_INFINITY) return hi;
    const d = dnhyper(ncp);
    let s = 0;
    for (let i = 0; i < len; i++) s += (support[i] as number) * (d[i] as number);
    return s;
  };
  const pnhyper = (q: number, ncp: number, upperTail: boolean): number => {
    if (ncp === 0) return upperTail ? (q <= lo ? 1 : 0) : q >= lo ? 1 : 0;
    if (ncp === Number.POSITIVE_INFINITY) return upperTail ? (q <= hi ? 1 : 0) : q >= hi ? 1 : 0;
    const d = dnhyper(ncp);
    let s = 0;
    for (let i = 0; i < len; i++) {
      const v = support[i] as number;
      if (upperTail ? v >= q : v <= q) s += d[i] as number;
    }
    return s;
  };

  let p: number;
  if (alternative === "less") p = pnhyper(x, 1, false);
  else if (alternative === "greater") p = pnhyper(x, 1, true);
  else {
    const d = dnhyper(1);
    const dObs = (d[x - lo] as number) * (1 + FISHER_2X2_RELATIVE_TOLERANCE);
    p = 0;
    for (let i = 0; i < len; i++) if ((d[i] as number) <= dObs) p += d[i] as number;
  }

  const mle = (): number => {
    if (x === lo) return 0;
    if (x === hi) return Number.POSITIVE_INFINITY;
    const mu = mnhyper(1);
    if (mu > x) return uniroot((t) => mnhyper(t) - x, 0, 1);
    if (mu < x) return 1 / uniroot((t) => mnhyper(1 / t) - x, DBL_EPSILON, 1);
    return 1;
  };
  const ncpU = (alpha: number): number => {
    if (x === hi) return Number.POSITIVE_INFINITY;
    const p1 = pnhyper(x, 1, false);
    if (p1 < alpha) return uniroot((t) => pnhyper(x, t, false) - alpha, 0, 1);
    if (p1 > alpha) return 1 / uniroot((t) => pnhyper(x, 1 / t, false) - alpha, DBL_EPSILON, 1);
    return 1;
  };
  const ncpL = (alpha: number): number => {
    if (x === lo) return 0;
    const p1 = pnhyper(x, 1, true);
    if (p1 > alpha) return uniroot((t) => pnhyper(x, t, true) - alpha, 0, 1);
    if (p1 < alpha) return 1 / uniroot((t) => pnhyper(x, 1 / t, true) - alpha, DBL_EPSILON, 1);
    return 1;
  };
  let confInt: [number, number];
  if (alternative === "less") confInt = [0, ncpU(1 - confLevel)];
  else if (alternative === "greater") confInt = [ncpL(1 - confLevel), Number.POSITIVE_INFINITY];
  else {
    const alpha = (1 - confLevel) / 2;
    confInt = [ncpL(alpha), ncpU(alpha)];
  }
  return { p, oddsRatio: mle(), confInt };
}

/**
 * Two-sided exact p for an r x 2 table (rows × 2 columns): tables with the same margins are
 * (x_1 … x_r) with Σx_i = c_1, P = Π C(r_i, x_i) / C(n, c_1); p = Σ P over tables with
 * log P ≤ log P_obs + logTol. Depth-first over rows; a subtree is added whole (Vandermonde:
 * Σ Π C = C(R_rest, s)) when its most probable completion is below the threshold, and skipped when
 * its least probable one is above it (the network algorithm's bounds, Mehta & Patel 1983).
 */
function fisherRx2(rows: readonly number[], col1: readonly number[], logTol: number): number {
  const r = rows.length;
  const c1 = col1.reduce((a, b) => a + b, 0);
  const lc = rows.map((ri) => logChooseRow(ri));
  // rest[k] = Σ_{i ≥ k} rows[i]; lcRest[k] = log C(rest[k], ·)
  const rest = new Array<number>(r + 1).fill(0);
  for (let k = r - 1; k >= 0; k--) rest[k] = (rest[k + 1] as number) + (rows[k] as number);
  const lcRest = rest.map((R) => logChooseRow(R));
  const logTotal = (lcRest[0] as Float64Array)[c1] as number;
  // maxL[k][s], minL[k][s]: extreme Σ_{i ≥ k} log C(r_i, x_i) over completions with Σ x_i = s
  const maxL: Float64Array[] = [];
  const minL: Float64Array[] = [];
  for (let k = 0; k <= r; k++) {
    maxL.push(new Float64Array(c1 + 1).fill(Number.NEGATIVE_INFINITY));
    minL.push(new Float64Array(c1 + 1).fill(Number.POSITIVE_INFINITY));
  }
  (maxL[r] as Float64Array)[0] = 0;
  (minL[r] as Float64Array)[0] = 0;
  for (let k = r - 1; k >= 0; k--) {
    const rk = rows[k] as number;
    const lck = lc[k] as Float64Array;
    const mxNext = maxL[k + 1] as Float64Array;
    const mnNext = minL[k + 1] as Float64Array;
    const mx = maxL[k] as Float64Array;
    const mn = minL[k] as Float64Array;
    const sMax = Math.min(c1, rest[k] as number);
    for (let s = 0; s <= sMax; s++) {
      const xLo = Math.max(0, s - (rest[k + 1] as number));
      const xHi = Math.min(rk, s);
      let best = Number.NEGATIVE_INFINITY;
      let worst = Number.POSITIVE_INFINITY;
      for (let x = xLo; x <= xHi; x++) {
        const v1 = (lck[x] as number) + (mxNext[s - x] as number);
        const v2 = (lck[x] as number) + (mnNext[s - x] as number);
        if (v1 > best) best = v1;
        if (v2 < worst) worst = v2;
      }
      mx[s] = best;
      mn[s] = worst;
    }
  }
  let obs = 0;
  for (let i = 0; i < r; i++) obs += (lc[i] as Float64Array)[col1[i] as number] as number;
  const threshold = obs + logTol;
  let p = 0;
  const visit = (k: number, s: number, past: number): void => {
    if (past + ((maxL[k] as Float64Array)[s] as number) <= threshold) {
      p += Math.exp(past + ((lcRest[k] as Float64Array)[s] as number) - logTotal);
      return;
    }
    if (past + ((minL[k] as Float64Array)[s] as number) > threshold) return;
    if (k === r - 2) {
      // last two rows: count the completions below the threshold in the sorted list for s
      const t = lastTwo(s);
      const limit = threshold - past;
      let lo = 0;
      let hi = t.values.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((t.values[mid] as number) <= limit) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) p += (t.prefix[lo] as number) * Math.exp(past + t.top - logTotal);
      return;
    }
    const rk = rows[k] as number;
    const xLo = Math.max(0, s - (rest[k + 1] as number));
    const xHi = Math.min(rk, s);
    const lck = lc[k] as Float64Array;
    for (let x = xLo; x <= xHi; x++) visit(k + 1, s - x, past + (lck[x] as number));
  };
  // sorted values log C(r_{r−2}, x) + log C(r_{r−1}, s − x) with prefix sums of exp(value − top)
  const lastTwoCache = new Map<
    number,
    { values: Float64Array; prefix: Float64Array; top: number }
  >();
  const lastTwo = (s: number) => {
    let t = lastTwoCache.get(s);
    if (t) return t;
    const ra = rows[r - 2] as number;
    const rb = rows[r - 1] as number;
    const la = lc[r - 2] as Float64Array;
    const lb = lc[r - 1] as Float64Array;
    const xLo = Math.max(0, s - rb);
    const xHi = Math.min(ra, s);
    const values = new Float64Array(Math.max(0, xHi - xLo + 1));
    for (let x = xLo; x <= xHi; x++) values[x - xLo] = (la[x] as number) + (lb[s - x] as number);
    values.sort();
    const top = values.length > 0 ? (values[values.length - 1] as number) : 0;
    const prefix = new Float64Array(values.length + 1);
    for (let i = 0; i < values.length; i++) {
      prefix[i + 1] = (prefix[i] as number) + Math.exp((values[i] as number) - top);
    }
    t = { values, prefix, top };
    lastTwoCache.set(s, t);
    return t;
  };
  visit(0, c1, 0);
  return p;
}

/** log n! table 0 … N. */
function logFactorials(N: number): Float64Array {
  const f = new Float64Array(N + 1);
  for (let i = 2; i <= N; i++) f[i] = (f[i - 1] as number) + Math.log(i);
  return f;
}

/**
 * Bounds on the completion value −Σ log x_ij! over the tables with row sums `rows` and column sums
 * `cols`, from two relaxations (only column sums + row caps, only row sums + column caps): the
 * maximum spreads each line as evenly as its caps allow, the minimum concentrates it greedily in the
 * largest caps (log x! is superadditive). Both relaxations contain the feasible set, so the bounds hold.
 */
function completionBounds(
  rows: readonly number[],
  cols: readonly number[],
  lf: Float64Array,
): { maxValue: number; minValue: number } {
  const lineBounds = (totals: readonly number[], caps: readonly number[]) => {
    let mx = 0;
    let mn = 0;
    const sortedCaps = [...caps].sort((a, b) => a - b);
    for (const t of totals) {
      // even spread with caps (water filling), ascending caps
      let left = t;
      let k = sortedCaps.length;
      for (const cap of sortedCaps) {
        const share = Math.floor(left / k);
        const extra = left - share * k;
        if (cap <= share) {
          mx -= lf[cap] as number;
          left -= cap;
          k--;
          continue;
        }
        // all remaining caps exceed the share: split evenly (extra cells get share + 1)
        mx -= (k - extra) * (lf[share] as number) + extra * (lf[share + 1] as number);
        left = 0;
        break;
      }
      // greedy concentration in the largest caps
      left = t;
      for (let i = sortedCaps.length - 1; i >= 0 && left > 0; i--) {
        const v = Math.min(left, sortedCaps[i] as number);
        mn -= lf[v] as number;
        left -= v;
      }
    }
    return { mx, mn };
  };
  const byCols = lineBounds(cols, rows);
  const byRows = lineBounds(rows, cols);
  return { maxValue: Math.min(byCols.mx, byRows.mx), minValue: Math.max(byCols.mn, byRows.mn) };
}

/**
 * Exact two-sided p of a general r x c table. Tables with the observed margins have probability
 * P = (Π r_i! Π c_j!)/(n! Π x_ij!); they are built column by column as in a network (Mehta &
 * Patel 1983): a node is the multiset of remaining row sums after some columns (rows are
 * exchangeable, so the sorted vector is the key) and holds the distinct past values −Σ log x_ij!
 * reached so far with their multiplicities (merged within 1e-10 in log scale); the last column is
 * determined by the remaining row sums. p = Σ P over tables with log P ≤ log P_obs + logTol.
 */
function fisherRxC(
  table0: readonly (readonly number[])[],
  logTol: number,
  maxStates: number,
): number {
  // rows = the smaller dimension (fewer compositions per column)
  const transpose = table0.length > (table0[0] as readonly number[]).length;
  const table = transpose
    ? Array.from({ length: (table0[0] as readonly number[]).length }, (_, j) =>
        table0.map((row) => row[j] as number),
      )
    : table0.map((row) => [...row]);
  const nr = table.length;
  const nc = (table[0] as number[]).length;
  const sr = table.map((row) => row.reduce((a, b) => a + b, 0));
  const sc = Array.from({ length: nc }, (_, j) =>
    table.reduce((a, row) => a + (row[j] as number), 0),
  ).sort((a, b) => a - b);
  const n = sr.reduce((a, b) => a + b, 0);
  const lf = logFactorials(n);
  let constant = -(lf[n] as number);
  for (const v of sr) constant += lf[v] as number;
  for (const v of sc) constant += lf[v] as number;
  let obs = 0;
  for (const row of table) for (const v of row) obs -= lf[v] as number;
  const threshold = obs + logTol;

  interface Past {
    value: number;
    /** Σ exp(past − value) over the merged paths */
    weight: number;
  }
  type Node = { rows: number[]; pasts: Map<number, Past> };
  const keyOf = (rows: number[]) => rows.join(",");
  let nodes = new Map<string, Node>();
  const startRows = [...sr].sort((a, b) => b - a);
  nodes.set(keyOf(startRows), {
    rows: startRows,
    pasts: new Map([[0, { value: 0, weight: 1 }]]),
  });
  let states = 0;
  let p = 0;
  // Decide whole pasts of a node: those whose every completion is counted are added (Σ over
  // completions of Π 1/x! = N!/(Π r! Π c!)) and removed; those with none counted are removed.
  const prune = (node: Node, cols: readonly number[]): number => {
    const { maxValue, minValue } = completionBounds(node.rows, cols, lf);
    let nRem = 0;
    for (const r of node.rows) nRem += r;
    let logAll = lf[nRem] as number;
    for (const r of node.rows) logAll -= lf[r] as number;
    for (const c of cols) logAll -= lf[c] as number;
    let added = 0;
    for (const [k, past] of node.pasts) {
      if (past.value + maxValue <= threshold) {
        added += past.weight * Math.exp(past.value + logAll + constant);
        node.pasts.delete(k);
      } else if (past.value + minValue > threshold) node.pasts.delete(k);
    }
    return added;
  };
  for (let j = 0; j < nc - 2; j++) {
    const next = new Map<string, Node>();
    const cj = sc[j] as number;
    const cols = sc.slice(j);
    for (const node of nodes.values()) {
      const rem = node.rows;
      p += prune(node, cols);
      if (node.pasts.size === 0) continue;
      // enumerate compositions x of cj with x_i <= rem_i
      const x = new Array<number>(nr).fill(0);
      const capAfter = new Array<number>(nr + 1).fill(0);
      for (let i = nr - 1; i >= 0; i--)
        capAfter[i] = (capAfter[i + 1] as number) + (rem[i] as number);
      const emit = (contrib: number) => {
        const newRows = rem.map((r, i) => r - (x[i] as number)).sort((a, b) => b - a);
        const key = keyOf(newRows);
        let target = next.get(key);
        if (!target) {
          target = { rows: newRows, pasts: new Map() };
          next.set(key, target);
        }
        for (const past of node.pasts.values()) {
          const v = past.value + contrib;
          const k = Math.round(v * 1e10);
          const existing = target.pasts.get(k);
          if (existing) existing.weight += past.weight * Math.exp(v - existing.value);
          else {
            target.pasts.set(k, { value: v, weight: past.weight });
            if (++states > maxStates) {
              throw new Error(
                `Fisher exact test: more than ${maxStates} network states; the table is too large for the exact test`,
              );
            }
          }
        }
      };
      const rec = (i: number, left: number, contrib: number) => {
        if (i === nr - 1) {
          if (left > (rem[i] as number)) return;
          x[i] = left;
          emit(contrib - (lf[left] as number));
          return;
        }
        const lo = Math.max(0, left - (capAfter[i + 1] as number));
        const hi = Math.min(rem[i] as number, left);
        for (let v = lo; v <= hi; v++) {
          x[i] = v;
          rec(i + 1, left - v, contrib - (lf[v] as number));
        }
      };
      rec(0, cj, 0);
    }
    nodes = next;
  }
  // two columns left: list every completion value of a node once, sorted, with prefix sums of
  // exp(value); each past then adds the completions with past + value <= threshold
  const ca = sc[nc - 2] as number;
  for (const node of nodes.values()) {
    const rem = node.rows;
    p += prune(node, sc.slice(nc - 2));
    if (node.pasts.size === 0) continue;
    const values: number[] = [];
    const capAfter = new Array<number>(nr + 1).fill(0);
    for (let i = nr - 1; i >= 0; i--)
      capAfter[i] = (capAfter[i + 1] as number) + (rem[i] as number);
    const rec = (i: number, left: number, acc: number) => {
      const r = rem[i] as number;
      if (i === nr - 1) {
        if (left <= r) values.push(acc - (lf[left] as number) - (lf[r - left] as number));
        return;
      }
      const lo = Math.max(0, left - (capAfter[i + 1] as number));
      const hi = Math.min(r, left);
      for (let v = lo; v <= hi; v++)
        rec(i + 1, left - v, acc - (lf[v] as number) - (lf[r - v] as number));
    };
    rec(0, ca, 0);
    values.sort((a, b) => a - b);
    const top = values[values.length - 1] as number;
    const prefix = new Float64Array(values.length + 1);
    for (let k = 0; k < values.length; k++) {
      prefix[k + 1] = (prefix[k] as number) + Math.exp((values[k] as number) - top);
    }
    for (const past of node.pasts.values()) {
      const limit = threshold - past.value;
      let lo = 0;
      let hi = values.length; // first index with values[idx] > limit
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((values[mid] as number) <= limit) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) p += past.weight * (prefix[lo] as number) * Math.exp(past.value + top + constant);
    }
  }
  return p;
}

/**
 * Fisher's exact test, R `fisher.test(table)`. 2 x 2: as R's R code (p with d ≤ d_obs(1 + 1e-7),
 * conditional-MLE odds ratio of table[0][0]·table[1][1]/(table[0][1]·table[1][0]) and its exact CI).
 * Larger tables: exact two-sided p = Σ P(table) over tables with the observed margins and
 * log P ≤ log P_obs + 3.45254e-7 (the tolerance of R's FEXACT network algorithm, Mehta & Patel
 * 1986), clamped to [0, 1]; r x 2 / 2 x c tables use a bounded network search, others a network
 * of remaining row margins (limited by `maxStates`).
 */
export function fisherExactTest(
  table: readonly (readonly number[])[],
  options: FisherOptions = {},
): FisherResult {
  const { nr, nc } = checkTable(table, "Fisher exact test");
  const alternative = checkAlternative(options.alternative ?? "two.sided");
  const confLevel = options.confLevel ?? 0.95;
  checkConfLevel(confLevel);
  if (nr === 2 && nc === 2) return fisher2x2(table, alternative, confLevel);
  let p: number;
  if (nc === 2) {
    p = fisherRx2(
      table.map((row) => (row[0] as number) + (row[1] as number)),
      table.map((row) => row[0] as number),
      FEXACT_LOG_TOLERANCE,
    );
  } else if (nr === 2) {
    const t = Array.from({ length: nc }, (_, j) => [
      table[0]?.[j] as number,
      table[1]?.[j] as number,
    ]);
    p = fisherRx2(
      t.map((row) => (row[0] as number) + (row[1] as number)),
      t.map((row) => row[0] as number),
      FEXACT_LOG_TOLERANCE,
    );
  } else {
    p = fisherRxC(table, FEXACT_LOG_TOLERANCE, options.maxStates ?? 2e7);
  }
  return { p: Math.max(0, Math.min(1, p)) };
}
