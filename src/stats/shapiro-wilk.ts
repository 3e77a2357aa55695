/**
 * Shapiro–Wilk normality test, R `shapiro.test` (swilk.c, Royston's algorithm AS R94).
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { assertFiniteSample, sortedCopy } from "./descriptive.js";
import { normalUpperTail } from "./distribution-tails.js";

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
