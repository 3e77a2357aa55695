/**
 * Fisher's exact test for 2 x 2 tables as R `fisher.test`'s R code: p from the central
 * hypergeometric distribution (two-sided with R's relative fuzz), conditional-MLE odds ratio and
 * its exact CI from the non-central hypergeometric (dnhyper / mnhyper / pnhyper), roots by uniroot.
 */
import { FISHER_2X2_RELATIVE_TOLERANCE, type FisherResult, logChooseRow } from "./fisher-common.js";
import { type Alternative, DBL_EPSILON } from "./hypothesis-common.js";
import { uniroot } from "./uniroot.js";

/**
 * 2 x 2 Fisher test as R's fisher.test: X = table[0][0] given the margins follows the
 * (non-central) hypergeometric distribution with odds ratio ψ; p (two-sided) = Σ d(x) over
 * d(x) ≤ d(x_obs)(1 + 1e-7) at ψ = 1; odds ratio = conditional MLE solving E_ψ(X) = x_obs;
 * CI from P_ψ(X ≥ x_obs) = α/2 and P_ψ(X ≤ x_obs) = α/2, all roots by R's uniroot.
 */
export function fisher2x2(
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
