/**
 * Exact two-sided p of Fisher's test for r x 2 (and, transposed, 2 x c) tables, R `fisher.test`
 * (FEXACT's result and tolerance, fexact.c), by a bounded depth-first search over the rows.
 */
import { logChooseRow } from "./fisher-common.js";

/**
 * Two-sided exact p for an r x 2 table (rows × 2 columns): tables with the same margins are
 * (x_1 … x_r) with Σx_i = c_1, P = Π C(r_i, x_i) / C(n, c_1); p = Σ P over tables with
 * log P ≤ log P_obs + logTol. Depth-first over rows; a subtree is added whole (Vandermonde:
 * Σ Π C = C(R_rest, s)) when its most probable completion is below the threshold, and skipped when
 * its least probable one is above it (the network algorithm's bounds, Mehta & Patel 1983).
 */
export function fisherRx2(
  rows: readonly number[],
  col1: readonly number[],
  logTol: number,
): number {
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
