/**
 * Calibration of predicted probabilities: rms `val.prob` statistics, the lowess calibration curve,
 * the Hosmer–Lemeshow test (ResourceSelection `hoslem.test`) and the bootstrap optimism-corrected
 * calibration curve of rms `calibrate(lrm(...), method = "boot", B)`.
 *
 * Sources (algorithms re-implemented, not copied): rms 6.5-0 `R/val.prob.s`, `R/lrm.fit.s`,
 * `src/lrmfit.f` (Newton–Raphson, 5001-bin rank correlation), `R/calibrate.default.s`,
 * `R/predab.resample.s`; ResourceSelection `R/hoslem.test.R`; R `quantile` type 7, `approx`,
 * `lowess` (see ./lowess.ts); Harrell, Regression Modeling Strategies (2015), ch. 10.
 * Pure TypeScript (no Node modules).
 */
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { quantileType7, valueRange } from "./descriptive.js";
import { approx, approxSorted, lowess, regularizeValues, rMean, type XYCurve } from "./lowess.js";
import { RRandom } from "./random.js";

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

function upperChiSquare(x: number, df: number): number {
  // R: 1 - pchisq(x, df)
  return 1 - chisquareCdf(x, df);
}

function checkProbabilitiesAndOutcome(
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

// ---------------------------------------------------------------------------------------------
// rms lrm.fit

export interface LrmFitOptions {
  /** Maximum Newton iterations (rms `maxit`, default 12; lrm() callers often pass 50). */
  maxit?: number;
  /** Convergence: stop when the −2 log-likelihood changes by at most `eps` (rms default 0.025). */
  eps?: number;
  /** Singularity tolerance of the information matrix (rms `tol`, default 1e-7). */
  tol?: number;
  /** Starting coefficients, intercept first (default: logit of the event rate, slopes 0). */
  initial?: ArrayLike<number>;
  /** Also compute the 5001-bin C index / Somers' Dxy of rms (default false). */
  rankCorrelation?: boolean;
}

export interface LrmFit {
  /** Intercept first, then one slope per column of X. */
  coefficients: Float64Array;
  /** b0 + Σ_j x_j b_j for every row. */
  linearPredictor: Float64Array;
  /** −2 log-likelihood of the intercept-only model and of the fitted model (rms `deviance`). */
  deviance: [number, number];
  /** Model likelihood-ratio χ² = deviance[0] − deviance[1]. */
  modelLR: number;
  /** Newton iterations run (including step-halving ones). */
  iterations: number;
  /** rms `fail`: divergence, non-convergence within maxit (when maxit > 2) or singularity. */
  fail: boolean;
  /** 5001-bin C index and Dxy (NaN unless `rankCorrelation`). */
  c: number;
  dxy: number;
  n: number;
}

/**
 * Binary logistic regression by rms `lrm.fit` (rms 6.5-0, Fortran `lrmfit`): Newton–Raphson from
 * `initial`; each iteration evaluates −2LL, U (score) and V (information); if −2LL rose it halves
 * the previous step, else solves V·δ = U and updates b += δ, stopping once the −2LL evaluated
 * before the update changed by <= eps from the previous one (so one more Newton step is taken),
 * or immediately when max|U| < 1e-9 and the −2LL change < 0.1·eps; `maxit − 1` iterations at most,
 * after which the fit fails if maxit > 2. maxit = 1 evaluates the likelihood at `initial` only.
 * Probabilities use plogis with the linear predictor clamped to ±30 (rms' `lprob`).
 * X: n rows of p predictors (no intercept column); y: 0/1.
 */
export function lrmFit(
  X: ArrayLike<ArrayLike<number>>,
  y: ArrayLike<number>,
  options: LrmFitOptions = {},
): LrmFit {
  const n = X.length;
  if (y.length !== n) throw new Error(`lrmFit: ${n} rows of X but ${y.length} outcomes`);
  const p = n > 0 ? X[0]!.length : 0;
  const flat = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const row = X[i]!;
    if (row.length !== p)
      throw new Error(`lrmFit: row ${i + 1} of X has ${row.length} values, row 1 has ${p}`);
    for (let j = 0; j < p; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) throw new Error(`lrmFit: X[${i + 1}, ${j + 1}] is ${v}`);
      flat[i * p + j] = v;
    }
  }
  return lrmFitFlat(flat, n, p, y, options);
}

/** rms' `lprob`: plogis of the linear predictor clamped to [−30, 30]. */
function lprob(eta: number): number {
  return 1 / (1 + Math.exp(-Math.min(Math.max(eta, -30), 30)));
}

/** −2LL, score U and information V (packed full nv×nv) at beta; NaN −2LL on divergence. */
function logLikelihood(
  x: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  beta: Float64Array,
  u: Float64Array,
  v: Float64Array,
): number {
  const nv = p + 1;
  u.fill(0);
  v.fill(0);
  let loglik = 0;
  for (let i = 0; i < n; i++) {
    let bx = beta[0]!;
    const base = i * p;
    for (let j = 0; j < p; j++) bx += beta[j + 1]! * x[base + j]!;
    const cp = lprob(bx);
    const vi = cp * (1 - cp);
    let dy: number;
    if (y[i] === 0) {
      if (cp >= 1) return Number.NaN;
      loglik += Math.log(1 - cp);
      dy = 0;
    } else {
      if (cp <= 0) return Number.NaN;
      loglik += Math.log(cp);
      dy = 1;
    }
    const r = dy - cp;
    for (let a = 0; a < nv; a++) {
      const xa = a === 0 ? 1 : x[base + a - 1]!;
      u[a]! += r * xa;
      for (let b = 0; b <= a; b++) {
        const xb = b === 0 ? 1 : x[base + b - 1]!;
        v[a * nv + b]! += vi * xa * xb;
      }
    }
  }
  for (let a = 0; a < nv; a++) for (let b = 0; b < a; b++) v[b * nv + a] = v[a * nv + b]!;
  return -2 * loglik;
}

/** Solves V·d = U by Gaussian elimination with partial pivoting; false when V is singular. */
function solveSymmetric(
  v: Float64Array,
  u: Float64Array,
  nv: number,
  tol: number,
  d: Float64Array,
): boolean {
  const a = Float64Array.from(v);
  const b = Float64Array.from(u);
  let maxDiag = 0;
  for (let i = 0; i < nv; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * nv + i]!));
  const threshold = tol * (maxDiag > 0 ? maxDiag : 1);
  for (let k = 0; k < nv; k++) {
    let piv = k;
    for (let i = k + 1; i < nv; i++)
      if (Math.abs(a[i * nv + k]!) > Math.abs(a[piv * nv + k]!)) piv = i;
    if (!(Math.abs(a[piv * nv + k]!) > threshold)) return false;
    if (piv !== k) {
      for (let j = 0; j < nv; j++) {
        const t = a[k * nv + j]!;
        a[k * nv + j] = a[piv * nv + j]!;
        a[piv * nv + j] = t;
      }
      const t = b[k]!;
      b[k] = b[piv]!;
      b[piv] = t;
    }
    for (let i = k + 1; i < nv; i++) {
      const f = a[i * nv + k]! / a[k * nv + k]!;
      if (f === 0) continue;
      for (let j = k; j < nv; j++) a[i * nv + j]! -= f * a[k * nv + j]!;
      b[i]! -= f * b[k]!;
    }
  }
  for (let i = nv - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let j = i + 1; j < nv; j++) s -= a[i * nv + j]! * d[j]!;
    d[i] = s / a[i * nv + i]!;
  }
  return true;
}

/**
 * rms' rank correlation from the 5001-bin frequency table (Fortran `gcorr`): each probability goes
 * to bin floor(5000·q) + 1; concordant / discordant pairs counted across bins, pairs in the same
 * bin are ties (weight ½). C = (con + tie/2)/(con + dis + tie), Dxy = (con − dis)/(con + dis + tie).
 */
export function binnedRankCorrelation(
  q: ArrayLike<number>,
  y: ArrayLike<number>,
  multiplier = 5000,
): { c: number; dxy: number } {
  const nb = multiplier + 1;
  const f0 = new Float64Array(nb + 1);
  const f1 = new Float64Array(nb + 1);
  let n1 = 0;
  for (let i = 0; i < q.length; i++) {
    const bin = Math.trunc(multiplier * q[i]! + 1);
    if (y[i] === 0) f0[bin]!++;
    else {
      f1[bin]!++;
      n1++;
    }
  }
  let con = 0;
  let dis = 0;
  let tie = 0;
  // events in bins above the current one
  let above = n1;
  for (let b = 1; b <= nb; b++) {
    above -= f1[b]!;
    const k = f0[b]!;
    if (k > 0) {
      con += k * above;
      dis += k * (n1 - above - f1[b]!);
      tie += k * f1[b]!;
    }
  }
  const fn = con + dis + tie;
  return { c: (con + tie * 0.5) / fn, dxy: (con - dis) / fn };
}

function lrmFitFlat(
  x: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  options: LrmFitOptions,
): LrmFit {
  const maxit = options.maxit ?? 12;
  const eps = options.eps ?? 0.025;
  const tol = options.tol ?? 1e-7;
  if (n < 3) throw new Error(`lrmFit: must have >= 3 observations, got ${n}`);
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    if (yi === 1) n1++;
    else if (yi !== 0) throw new Error(`lrmFit: outcome ${i + 1} is ${yi}, not 0 or 1`);
  }
  const n0 = n - n1;
  if (n1 === 0 || n0 === 0)
    throw new Error("lrmFit: the outcome has a single value (all events or all non-events)");
  const nv = p + 1;
  const beta = new Float64Array(nv);
  if (options.initial) {
    for (let j = 0; j < Math.min(nv, options.initial.length); j++) beta[j] = options.initial[j]!;
  } else {
    const pp = n1 / n;
    beta[0] = Math.log(pp / (1 - pp));
  }
  const nullDeviance = -2 * (n0 * Math.log(n0 / n) + n1 * Math.log(n1 / n));
  const u = new Float64Array(nv);
  const v = new Float64Array(nv * nv);
  const delta = new Float64Array(nv);
  let fail = false;
  let iterations = 0;
  let loglik = Number.NaN;
  let converged = maxit < 2;
  if (!converged) {
    let oldl = 1e30;
    let step = 1;
    for (let iter = 1; iter <= maxit - 1; iter++) {
      iterations = iter;
      loglik = logLikelihood(x, n, p, y, beta, u, v);
      const diverged = Number.isNaN(loglik);
      let dmax = 0;
      for (let j = 0; j < nv; j++) dmax = Math.max(dmax, Math.abs(u[j]!));
      if (!diverged && dmax < 1e-9 && Math.abs(loglik - oldl) < 0.1 * eps) {
        converged = true;
        break;
      }
      if (diverged || loglik > oldl) {
        if (iter === 1) {
          fail = true;
          break;
        }
        step /= 2;
        for (let j = 0; j < nv; j++) beta[j]! -= step * delta[j]!;
        continue;
      }
      step = 1;
      if (!solveSymmetric(v, u, nv, tol, delta)) {
        fail = true;
        break;
      }
      for (let j = 0; j < nv; j++) beta[j]! += delta[j]!;
      if (Math.abs(oldl - loglik) <= eps) {
        converged = true;
        break;
      }
      oldl = loglik;
    }
    if (!converged && !fail && maxit > 2) fail = true;
  }
  if (!fail) {
    loglik = logLikelihood(x, n, p, y, beta, u, v);
    if (Number.isNaN(loglik)) fail = true;
  }
  const lp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += x[i * p + j]! * beta[j + 1]!;
    lp[i] = beta[0]! + s;
  }
  let c = Number.NaN;
  let dxy = Number.NaN;
  if (options.rankCorrelation && !fail) {
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let bx = beta[0]!;
      for (let j = 0; j < p; j++) bx += beta[j + 1]! * x[i * p + j]!;
      q[i] = lprob(bx);
    }
    ({ c, dxy } = binnedRankCorrelation(q, y));
  }
  return {
    coefficients: beta,
    linearPredictor: lp,
    deviance: [nullDeviance, loglik],
    modelLR: nullDeviance - loglik,
    iterations,
    fail,
    c,
    dxy,
    n,
  };
}

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

// ---------------------------------------------------------------------------------------------
// rms calibrate (bootstrap)

export interface CalibrateBootstrapOptions {
  /** Bootstrap repetitions (rms `B`). */
  B: number;
  /** R `set.seed` value: with it the resamples are R's `sample(n, replace = TRUE)` draws. */
  seed: number;
  /** Apparent-model fit settings (rms lrm(eps = 1e-10, maxit = 50) in the reference). */
  apparentFit?: { eps?: number; maxit?: number };
  /** Bootstrap-model fits (rms calibrate: lrm.fit defaults maxit 12, eps 0.025, tol 1e-13). */
  bootstrapFit?: { eps?: number; maxit?: number; tol?: number };
  /** predy grid: count, first rank, last rank from the end (rms: 50, 5, 5), or explicit values. */
  predy?: ArrayLike<number>;
  gridCount?: number;
  gridFirstRank?: number;
  gridLastRankFromEnd?: number;
  lowessF?: number;
  lowessIter?: number;
  lowessDeltaFraction?: number;
  /** Quantile of |error| in the error summary (default 0.9). */
  errorQuantile?: number;
  /**
   * The model's own fitting method, used for the apparent fit and every bootstrap refit instead
   * of lrm (e.g. Firth's penalised likelihood: the bootstrap must repeat the whole fitting
   * procedure to estimate its optimism, Harrell 2015 §5.3.4). Takes the rows (no intercept) and
   * outcomes; returns the coefficients, intercept first, or null when the fit fails (the
   * resample is then skipped, as a failed lrm fit is).
   */
  refit?: (X: Float64Array[], y: Float64Array) => Float64Array | null;
}

export interface CalibrateBootstrapResult {
  n: number;
  /** Bootstrap fits that succeeded (rms: those without `fail`). */
  bUsed: number;
  apparentCoefficients: Float64Array;
  /** Apparent probabilities plogis(lp) of the fitted rows. */
  predicted: Float64Array;
  predy: Float64Array;
  /** Apparent calibration: lowess of (apparent p, y) at predy (ties = first). */
  calibratedOrig: Float64Array;
  /** calibratedOrig − optimism. */
  calibratedCorrected: Float64Array;
  /** mean over resamples of (training − test) calibration error at predy. */
  optimism: Float64Array;
  /** Resamples with both errors defined at each predy. */
  nUsedPerPoint: Int32Array;
  /** As print(calibrate): err = predicted − approx(predy, corrected, predicted, ties = mean). */
  errorSummary: {
    meanAbsError: number;
    meanSquaredError: number;
    quantileAbsError: number;
    nOutsidePredyRange: number;
  };
}

/**
 * A model's own fitting function in lrmFitFlat's shape (coefficients, linear predictor, fail);
 * only those three fields are read by calibrateBootstrap.
 */
function refitAdapter(
  refit: NonNullable<CalibrateBootstrapOptions["refit"]>,
  p: number,
): (x: Float64Array, n: number, y: Float64Array) => LrmFit {
  return (x, n, y) => {
    const rows = Array.from({ length: n }, (_, i) => x.subarray(i * p, (i + 1) * p));
    let coefficients: Float64Array | null = null;
    try {
      coefficients = refit(rows, y);
    } catch {
      coefficients = null;
    }
    const linearPredictor = new Float64Array(n);
    const fail = coefficients === null || !coefficients.every(Number.isFinite);
    if (!fail) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += x[i * p + j]! * coefficients![j + 1]!;
        linearPredictor[i] = coefficients![0]! + s;
      }
    }
    return {
      coefficients: coefficients ?? new Float64Array(p + 1).fill(Number.NaN),
      linearPredictor,
      deviance: [Number.NaN, Number.NaN],
      modelLR: Number.NaN,
      iterations: 0,
      fail,
      c: Number.NaN,
      dxy: Number.NaN,
      n,
    };
  };
}

/** cal − predy of rms calibrate's `cal.error`: lowess(plogis(lp), y) at predy (ties = first). */
function calibrationError(
  lp: ArrayLike<number>,
  y: ArrayLike<number>,
  predy: Float64Array,
  f: number,
  iter: number,
  deltaFraction: number,
  out: Float64Array,
): Float64Array {
  const n = lp.length;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = plogis(lp[i]!);
  const sm = lowess(x, y, { f, iter, delta: deltaFraction * valueRange(x) });
  const reg = regularizeValues(sm.x, sm.y, "first");
  if (reg.x.length < 2) {
    out.fill(Number.NaN);
    return out;
  }
  const cal = approxSorted(reg.x, reg.y, predy);
  for (let k = 0; k < predy.length; k++) out[k] = cal[k]! - predy[k]!;
  return out;
}

/**
 * rms `calibrate(fit, method = "boot", B)` for a binary logistic model (rms 6.5-0
 * calibrate.default + predab.resample): fit the apparent model (lrm); predy = seq(sort(p)[5],
 * sort(p)[n−4], length = 50) of its probabilities; calibrated.orig = lowess(p, y, iter = 0) at
 * predy (approx, ties = first). For each of B resamples (R's `sample(n, replace = TRUE)` after
 * `set.seed(seed)`): refit with lrm.fit (maxit 12, eps 0.025), evaluate the calibration error
 * (smoothed observed − predy) of its linear predictor on the resample (training) and on all rows
 * (test); a fit that fails is skipped; errors undefined at a predy (outside the smoothed range)
 * count as missing there. optimism = mean training error − mean test error at each predy;
 * calibrated.corrected = calibrated.orig − optimism.
 * X: n rows of predictors (no intercept); y: 0/1.
 */
export function calibrateBootstrap(
  X: ArrayLike<ArrayLike<number>>,
  y: ArrayLike<number>,
  options: CalibrateBootstrapOptions,
): CalibrateBootstrapResult {
  const n = X.length;
  if (y.length !== n)
    throw new Error(`calibrateBootstrap: ${n} rows of X but ${y.length} outcomes`);
  const B = options.B;
  if (!Number.isInteger(B) || B < 1)
    throw new Error(`calibrateBootstrap: B must be a positive integer, got ${B}`);
  const p = n > 0 ? X[0]!.length : 0;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const row = X[i]!;
    if (row.length !== p)
      throw new Error(
        `calibrateBootstrap: row ${i + 1} of X has ${row.length} values, row 1 has ${p}`,
      );
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(row[j]!))
        throw new Error(`calibrateBootstrap: X[${i + 1}, ${j + 1}] is ${row[j]}`);
      x[i * p + j] = row[j]!;
    }
  }
  const f = options.lowessF ?? 2 / 3;
  const iter = options.lowessIter ?? 0;
  const deltaFraction = options.lowessDeltaFraction ?? 0.01;
  const refit = options.refit ? refitAdapter(options.refit, p) : null;
  const apparent = refit
    ? refit(x, n, Float64Array.from(y))
    : lrmFitFlat(x, n, p, y, {
        eps: options.apparentFit?.eps ?? 1e-10,
        maxit: options.apparentFit?.maxit ?? 50,
      });
  if (apparent.fail) throw new Error("calibrateBootstrap: the apparent fit failed");
  const b0 = apparent.coefficients[0]!;
  const predicted = new Float64Array(n);
  for (let i = 0; i < n; i++) predicted[i] = plogis(apparent.linearPredictor[i]! - b0 + b0);
  const predy = options.predy
    ? Float64Array.from(options.predy)
    : calibrationGrid(
        predicted,
        options.gridCount ?? 50,
        options.gridFirstRank ?? 5,
        options.gridLastRankFromEnd ?? 5,
      );
  const m = predy.length;
  const calibratedOrig = calibrationError(
    apparent.linearPredictor,
    y,
    predy,
    f,
    iter,
    deltaFraction,
    new Float64Array(m),
  );
  for (let k = 0; k < m; k++) calibratedOrig[k]! += predy[k]!;

  const rng = new RRandom(options.seed);
  const trainSum = new Float64Array(m);
  const testSum = new Float64Array(m);
  const num = new Int32Array(m);
  const xb = new Float64Array(n * p);
  const yb = new Float64Array(n);
  const lpAll = new Float64Array(n);
  const lpTrain = new Float64Array(n);
  const trainErr = new Float64Array(m);
  const testErr = new Float64Array(m);
  const fitOptions: LrmFitOptions = {
    eps: options.bootstrapFit?.eps ?? 0.025,
    maxit: options.bootstrapFit?.maxit ?? 12,
    tol: options.bootstrapFit?.tol ?? 1e-13,
  };
  let bUsed = 0;
  for (let b = 0; b < B; b++) {
    const train = rng.sampleWithReplacement(n, n);
    for (let i = 0; i < n; i++) {
      const src = train[i]! - 1;
      yb[i] = y[src]!;
      for (let j = 0; j < p; j++) xb[i * p + j] = x[src * p + j]!;
    }
    let fit: LrmFit;
    try {
      fit = refit ? refit(xb, n, yb) : lrmFitFlat(xb, n, p, yb, fitOptions);
    } catch {
      continue;
    }
    if (fit.fail) continue;
    bUsed++;
    const beta = fit.coefficients;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += x[i * p + j]! * beta[j + 1]!;
      lpAll[i] = beta[0]! + s;
    }
    for (let i = 0; i < n; i++) lpTrain[i] = lpAll[train[i]! - 1]!;
    calibrationError(lpTrain, yb, predy, f, iter, deltaFraction, trainErr);
    calibrationError(lpAll, y, predy, f, iter, deltaFraction, testErr);
    for (let k = 0; k < m; k++) {
      const a = trainErr[k]!;
      const t = testErr[k]!;
      if (Number.isNaN(a + t)) continue;
      num[k]!++;
      trainSum[k]! += a;
      testSum[k]! += t;
    }
  }
  const optimism = new Float64Array(m);
  const calibratedCorrected = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    optimism[k] = trainSum[k]! / num[k]! - testSum[k]! / num[k]!;
    calibratedCorrected[k] = calibratedOrig[k]! - optimism[k]!;
  }
  // print.calibrate's error summary
  const okX: number[] = [];
  const okY: number[] = [];
  for (let k = 0; k < m; k++) {
    if (!Number.isNaN(predy[k]! + calibratedCorrected[k]!)) {
      okX.push(predy[k]!);
      okY.push(calibratedCorrected[k]!);
    }
  }
  const absErr: number[] = [];
  let sqSum = 0;
  let outside = 0;
  if (okX.length >= 2) {
    const atP = approx(okX, okY, predicted, "mean");
    for (let i = 0; i < n; i++) {
      const e = predicted[i]! - atP[i]!;
      if (Number.isNaN(e)) outside++;
      else {
        absErr.push(Math.abs(e));
        sqSum += e * e;
      }
    }
  } else outside = n;
  return {
    n,
    bUsed,
    apparentCoefficients: apparent.coefficients,
    predicted,
    predy,
    calibratedOrig,
    calibratedCorrected,
    optimism,
    nUsedPerPoint: num,
    errorSummary: {
      meanAbsError: absErr.length ? rMean(absErr) : Number.NaN,
      meanSquaredError: absErr.length ? sqSum / absErr.length : Number.NaN,
      quantileAbsError: absErr.length
        ? quantileType7(absErr, [options.errorQuantile ?? 0.9])[0]!
        : Number.NaN,
      nOutsidePredyRange: outside,
    },
  };
}
