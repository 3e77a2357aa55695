/**
 * Wilcoxon–Mann–Whitney rank-sum test, R `wilcox.test(x, y)`: the exact null distribution of W
 * (R `cwilcox` frequencies and `pwilcox`, with R's `choose`) used without ties, otherwise the normal
 * approximation with tie-corrected variance and continuity correction.
 */
import { assertFiniteSample, averageRanks } from "./descriptive.js";
import { normalLowerTail, normalUpperTail } from "./distribution-tails.js";
import { type Alternative, checkAlternative } from "./hypothesis-common.js";

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
