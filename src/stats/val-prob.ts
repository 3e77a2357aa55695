/**
 * rms `val.prob` (rms 6.5-0 `R/val.prob.s`): discrimination and calibration statistics of
 * predicted probabilities against outcomes, with the lowess calibration curve.
 * Pure TypeScript (no Node modules).
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { checkProbabilitiesAndOutcome, qlogis, upperChiSquare } from "./calibration-common.js";
import { quantileType7, valueRange } from "./descriptive.js";
import { approx, lowess, type XYCurve } from "./lowess.js";
import { binnedRankCorrelation, lprob, lrmFitFlat } from "./lrm-fit.js";

// ---------------------------------------------------------------------------------------------
// val.prob

/** The 18 statistics of rms `val.prob`, under rms' names. */
export const VAL_PROB_STATISTICS = [
  "Dxy",
  "C (ROC)",
  "R2",
  "D",
  "D:Chi-sq",
  "D:p",
  "U",
  "U:Chi-sq",
  "U:p",
  "Q",
  "Brier",
  "Intercept",
  "Slope",
  "Emax",
  "E90",
  "Eavg",
  "S:z",
  "S:p",
] as const;
export type ValProbStatistic = (typeof VAL_PROB_STATISTICS)[number];

export interface ValProbOptions {
  /** lowess span (default 2/3), iterations (default 0) and delta as a fraction of range(p) (0.01). */
  lowessF?: number;
  lowessIter?: number;
  lowessDeltaFraction?: number;
  /** Quantile of |p − calibrated p| reported as E90 (default 0.9, type 7). */
  eQuantile?: number;
  /** C/Dxy bins per unit probability (rms: 5000, i.e. 5001 bins). */
  cBinMultiplier?: number;
}

export interface ValProbResult {
  /** The 18 rms statistics (`D:p` is NaN = R's NA, as in rms). */
  stats: Record<ValProbStatistic, number>;
  /** Exact (unbinned) C index = AUC, and Dxy = 2(C − ½). */
  cUnbinned: number;
  dxyUnbinned: number;
  /** R `lowess(p, y, iter = 0)`: x sorted, fitted y. */
  lowess: XYCurve;
  /** approx(lowess, xout = p, ties = mean): the smoothed observed probability at each p. */
  calibratedAtP: Float64Array;
}

/**
 * Exact C index (AUC) of scores for a 0/1 outcome: P(score_event > score_nonevent) + ½P(tie),
 * by midranks (Mann–Whitney).
 */
export function exactCIndex(score: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]!);
  let rankSumEvents = 0;
  let n1 = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && score[order[j]!] === score[order[i]!]) j++;
    const midrank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (y[order[k]!] === 1) {
        rankSumEvents += midrank;
        n1++;
      }
    }
    i = j;
  }
  const n0 = n - n1;
  return (rankSumEvents - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/**
 * rms `val.prob(p, y)` (rms 6.5-0): with logit = qlogis(p),
 * - C (ROC), Dxy: 5001-bin rank correlation of plogis(clamp(logit, ±30)) (rms' lrm.fit at b = (0, 1));
 * - D:Chi-sq = LR = −2LL(null) − (−2LL of the fixed model logit(p), intercept 0, slope 1);
 *   D = (LR − 1)/n; R2 = (1 − exp(−LR/n)) / (1 − exp(−2LL(null)/n)) (Nagelkerke); D:p = NA;
 * - Intercept, Slope: lrm.fit(logit, y) with rms defaults (maxit 12, eps 0.025);
 *   U:Chi-sq = −2Σ[y·logit − log(1 + e^logit)] − (−2LL of that fit); U = (U:Chi-sq − 2)/n;
 *   U:p = 1 − pchisq(U:Chi-sq, 2); Q = D − U;
 * - Brier = mean((p − y)²);
 * - Emax, E90, Eavg: max, 0.9 quantile (type 7) and mean of |p − approx(lowess(p, y, iter = 0),
 *   xout = p, ties = mean)| (rms >= 4.5-1 uses the lowess curve);
 * - S:z = Σ(y − p)(1 − 2p) / sqrt(Σ(1 − 2p)²p(1 − p)), S:p = 2Φ(−|S:z|) (Spiegelhalter 1986).
 * Probabilities of exactly 0 or 1 are left out of the logistic fits, as rms does.
 */
export function valProb(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  options: ValProbOptions = {},
): ValProbResult {
  checkProbabilitiesAndOutcome(p, y, "valProb");
  const n = p.length;
  if (n < 3) throw new Error(`valProb: need at least 3 observations, got ${n}`);
  const logit = new Float64Array(n);
  for (let i = 0; i < n; i++) logit[i] = qlogis(p[i]!);
  const spiegelhalter = (): [number, number] => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const pi = p[i]!;
      num += (y[i]! - pi) * (1 - 2 * pi);
      den += (1 - 2 * pi) * (1 - 2 * pi) * pi * (1 - pi);
    }
    const z = num / Math.sqrt(den);
    return [z, 2 * normalCdf(-Math.abs(z), 0, 1)];
  };
  let brierSum = 0;
  for (let i = 0; i < n; i++) brierSum += (p[i]! - y[i]!) ** 2;
  const brier = brierSum / n;
  const sm = lowess(p, y, {
    f: options.lowessF ?? 2 / 3,
    iter: options.lowessIter ?? 0,
    delta: (options.lowessDeltaFraction ?? 0.01) * valueRange(p),
  });
  const calibratedAtP = approx(sm.x, sm.y, p, "mean");
  const cUnbinned = exactCIndex(p, y);
  const dxyUnbinned = 2 * (cUnbinned - 0.5);

  let allSame = true;
  for (let i = 1; i < n; i++) if (p[i] !== p[0]) allSame = false;
  const stats = {} as Record<ValProbStatistic, number>;
  const [sz, sp] = spiegelhalter();
  if (allSame) {
    // rms' branch for a constant prediction
    let ySum = 0;
    for (let i = 0; i < n; i++) ySum += y[i]!;
    const P = ySum / n;
    const intc = qlogis(P);
    const D = -1 / n;
    let l01 = 0;
    let lcal = 0;
    for (let i = 0; i < n; i++) {
      const t01 = y[i]! * logit[i]! - Math.log(1 + Math.exp(logit[i]!));
      if (!Number.isNaN(t01)) l01 += t01;
      const tc = y[i]! * intc - Math.log(1 + Math.exp(intc));
      if (!Number.isNaN(tc)) lcal += tc;
    }
    const uChisq = -2 * l01 - -2 * lcal;
    const U = (uChisq - 1) / n;
    Object.assign(stats, {
      Dxy: 0,
      "C (ROC)": 0.5,
      R2: 0,
      D,
      "D:Chi-sq": 0,
      "D:p": 1,
      U,
      "U:Chi-sq": uChisq,
      "U:p": upperChiSquare(uChisq, 1),
      Q: D - U,
      Brier: brier,
      Intercept: intc,
      Slope: 0,
      Emax: 0,
      E90: Math.abs(p[0]! - P),
      Eavg: Math.abs(p[0]! - P),
      "S:z": sz,
      "S:p": sp,
    });
    return { stats, cUnbinned, dxyUnbinned, lowess: sm, calibratedAtP };
  }

  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(logit[i]!)) keep.push(i);
  const lx = new Float64Array(keep.length);
  const ly = new Float64Array(keep.length);
  keep.forEach((i, k) => {
    lx[k] = logit[i]!;
    ly[k] = y[i]!;
  });
  const fixed = lrmFitFlat(lx, keep.length, 1, ly, {
    initial: [0, 1],
    maxit: 1,
    rankCorrelation: false,
  });
  const q = new Float64Array(keep.length);
  for (let k = 0; k < keep.length; k++) q[k] = lprob(0 + 1 * lx[k]!);
  const rank = binnedRankCorrelation(q, ly, options.cBinMultiplier ?? 5000);
  const recal = lrmFitFlat(lx, keep.length, 1, ly, {});
  if (recal.fail) throw new Error("valProb: the logistic recalibration fit (lrm.fit) failed");
  const nObs = keep.length;
  const lr = fixed.modelLR;
  const r2 = (1 - Math.exp(-lr / nObs)) / (1 - Math.exp(-fixed.deviance[0] / nObs));
  const D = (lr - 1) / nObs;
  let l01 = 0;
  for (let i = 0; i < n; i++) {
    const t = y[i]! * logit[i]! - Math.log(1 + Math.exp(logit[i]!));
    if (!Number.isNaN(t)) l01 += t;
  }
  const uChisq = -2 * l01 - recal.deviance[1];
  const U = (uChisq - 2) / nObs;
  const er = new Float64Array(n);
  let eSum = 0;
  let eMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    er[i] = Math.abs(p[i]! - calibratedAtP[i]!);
    eSum += er[i]!;
    eMax = Math.max(eMax, er[i]!);
  }
  const e90 = quantileType7(er, [options.eQuantile ?? 0.9])[0]!;
  Object.assign(stats, {
    Dxy: rank.dxy,
    "C (ROC)": rank.c,
    R2: r2,
    D,
    "D:Chi-sq": lr,
    "D:p": Number.NaN,
    U,
    "U:Chi-sq": uChisq,
    "U:p": upperChiSquare(uChisq, 2),
    Q: D - U,
    Brier: brier,
    Intercept: recal.coefficients[0]!,
    Slope: recal.coefficients[1]!,
    Emax: eMax,
    E90: e90,
    Eavg: eSum / n,
    "S:z": sz,
    "S:p": sp,
  });
  return { stats, cUnbinned, dxyUnbinned, lowess: sm, calibratedAtP };
}
