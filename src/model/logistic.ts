/**
 * Binary logistic regression exactly as R's `glm(family = binomial)`: iteratively reweighted least
 * squares as `stats::glm.fit` (start mu = (w·y + 0.5)/(w + 1), Householder-QR weighted least
 * squares per step, stop when |dev − dev_old| / (|dev| + 0.1) < epsilon, step halving on divergence),
 * R's clamped logit link (|eta| > 30), and the `summary.glm` / `logLik.glm` / `AIC` / `BIC`
 * quantities; plus Hessian-at-the-MLE standard errors (as statsmodels `Logit`), Wald and profile
 * likelihood confidence intervals (exact root of the profile deviance, and MASS `confint.glm`'s
 * spline approximation), likelihood-ratio tests, separation diagnostics and a univariable screen
 * followed by a multivariable model.
 * Pure TypeScript: runs in the browser.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { chiSquareUpperTail } from "../stats/hypothesis-tests.js";
import { zeroin } from "../stats/zeroin.js";
import chisquareQuantile from "@stdlib/stats-base-dists-chisquare-quantile";

const DBL_EPSILON = 2.220446049250313e-16;
const THRESH = 30;
const MTHRESH = -30;
const INVEPS = 1 / DBL_EPSILON;

/** Options of `fitLogistic` (R `glm.control` defaults: epsilon 1e-8, maxit 25). */
export interface LogisticOptions {
  /** Fit an intercept (first coefficient). Default true. */
  intercept?: boolean;
  /** Prior weights (R `weights`), non-negative; default 1. */
  weights?: ArrayLike<number>;
  /** Offset added to the linear predictor; default 0. */
  offset?: ArrayLike<number>;
  /** R `glm.control(maxit)`, default 25. */
  maxIterations?: number;
  /** R `glm.control(epsilon)`, default 1e-8. */
  epsilon?: number;
  /** Starting linear predictor (R `etastart`); default logit((w·y + 0.5)/(w + 1)). */
  etaStart?: ArrayLike<number>;
  /** Coefficient names for messages and results (without the intercept); default x1, x2, … */
  names?: readonly string[];
}

/** Separation diagnosis (Albert & Anderson 1984): none, quasi-complete or complete. */
export type SeparationKind = "none" | "quasi-complete" | "complete";

/** The data a fit was computed from (kept for profiling and nested refits). */
export interface LogisticData {
  n: number;
  /** Number of coefficients (columns of the full design, intercept included). */
  p: number;
  /** Column-major n × p design including the intercept column of ones when fitted. */
  columns: Float64Array;
  y: Float64Array;
  weights: Float64Array;
  offset: Float64Array;
  epsilon: number;
  maxIterations: number;
}

export interface LogisticFit {
  /** Coefficient names, `(Intercept)` first when fitted. */
  terms: string[];
  /** Estimates, intercept first when fitted. */
  coefficients: Float64Array;
  /** R `summary.glm` standard errors: from the weights of the last IRLS iteration. */
  standardErrors: Float64Array;
  /** R `vcov(glm)`: (X'WX)⁻¹ with the last IRLS weights, p × p. */
  covariance: Float64Array[];
  /** Wald z = estimate / standardErrors. */
  zValues: Float64Array;
  /** Two-sided Wald P = 2·Φ(−|z|). */
  pValues: Float64Array;
  /** Standard errors from the observed information (Hessian) at the final estimate (statsmodels `bse`). */
  standardErrorsHessian: Float64Array;
  /** Inverse Hessian at the final estimate (statsmodels `cov_params()`). */
  covarianceHessian: Float64Array[];
  zValuesHessian: Float64Array;
  pValuesHessian: Float64Array;
  /** exp(coefficients). */
  oddsRatios: Float64Array;
  /** Linear predictor (offset included). */
  linearPredictor: Float64Array;
  /** Fitted probabilities. */
  fitted: Float64Array;
  deviance: number;
  nullDeviance: number;
  dfResidual: number;
  dfNull: number;
  logLik: number;
  aic: number;
  bic: number;
  /** Number of observations with non-zero weight (R `nobs`). */
  nObs: number;
  /** Number of coefficients (= rank; a rank-deficient design is an error). */
  rank: number;
  intercept: boolean;
  iterations: number;
  converged: boolean;
  /** R's `boundary` flag: a step had to be halved. */
  boundary: boolean;
  separation: SeparationKind;
  warnings: string[];
  /** The data, for profile intervals and nested tests. */
  data: LogisticData;
}

/** R's `binomial()$linkinv` (C `logit_linkinv`): exp(eta)/(1 + exp(eta)) with eta clamped to ±30. */
export function logitLinkInverse(eta: number): number {
  const t = eta < MTHRESH ? DBL_EPSILON : eta > THRESH ? INVEPS : Math.exp(eta);
  return t / (1 + t);
}

/** R's `binomial()$mu.eta` (C `logit_mu_eta`): exp(eta)/(1 + exp(eta))², DBL_EPSILON beyond ±30. */
function logitMuEta(eta: number): number {
  const opexp = 1 + Math.exp(eta);
  return eta > THRESH || eta < MTHRESH ? DBL_EPSILON : Math.exp(eta) / (opexp * opexp);
}

/** R's `binomial()$dev.resids` summed: 2·Σ w·(y·log(y/mu) + (1−y)·log((1−y)/(1−mu))). */
function binomialDeviance(y: Float64Array, mu: ArrayLike<number>, w: Float64Array): number {
  let dev = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const m = mu[i]!;
    const a = yi !== 0 ? yi * Math.log(yi / m) : 0;
    const b = 1 - yi !== 0 ? (1 - yi) * Math.log((1 - yi) / (1 - m)) : 0;
    dev += 2 * w[i]! * (a + b);
  }
  return dev;
}

function lchoose(n: number, k: number): number {
  if (k === 0 || k === n) return 0;
  let s = 0;
  for (let j = 1; j <= k; j++) s += Math.log((n - k + j) / j);
  return s;
}

/** R's `binomial()$aic` for 0/1 data with prior weights m: −2·Σ (log dbinom(round(m·y), round(m), mu)). */
function binomialAicPart(y: Float64Array, mu: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const m = w[i]!;
    if (!(m > 0)) continue;
    const size = Math.round(m);
    const k = Math.round(m * y[i]!);
    const p = mu[i]!;
    const q = 1 - p;
    let ld: number;
    if (size === 1) ld = k === 1 ? Math.log(p) : Math.log(q);
    else
      ld =
        lchoose(size, k) +
        (k > 0 ? k * Math.log(p) : 0) +
        (size - k > 0 ? (size - k) * Math.log(q) : 0);
    s += ld;
  }
  return -2 * s;
}

/** Two-sided normal P value 2·Φ(−|z|). */
export function twoSidedNormalP(z: number): number {
  return 2 * normalCdf(-Math.abs(z), 0, 1);
}

/** Standard normal quantile Φ⁻¹(p). */
export function normalQuantileStd(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** χ² quantile (R `qchisq`); for df = 1, Φ⁻¹((1+p)/2)². */
export function chiSquareQuantile(p: number, df: number): number {
  return chisquareQuantile(p, df);
}

// ---------------------------------------------------------------------------------------------
// Weighted least squares by Householder QR (LINPACK dqrdc2/dqrsl without pivoting).

interface WlsResult {
  coef: Float64Array;
  /** Upper-triangular R, column-major p × p. */
  R: Float64Array;
}

/** Solves min ||b − A·c|| for column-major n × p `A` (overwritten) by Householder QR; throws on rank deficiency (column norm below tol × original norm). */
function householderLeastSquares(
  A: Float64Array,
  b: Float64Array,
  n: number,
  p: number,
  tol: number,
  names: readonly string[],
): WlsResult {
  const original = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += A[j * n + i]! * A[j * n + i]!;
    original[j] = Math.sqrt(s);
  }
  if (n < p)
    throw new Error(`logistic: ${p} coefficients but only ${n} observations with non-zero weight`);
  for (let l = 0; l < p; l++) {
    const cl = l * n;
    let s = 0;
    for (let i = l; i < n; i++) s += A[cl + i]! * A[cl + i]!;
    let nrmxl = Math.sqrt(s);
    if (!(nrmxl > (original[l]! === 0 ? 1 : original[l]!) * tol) || original[l] === 0) {
      throw new Error(
        `logistic: design matrix is rank deficient: column '${names[l] ?? l}' is (numerically) a linear combination of the columns before it`,
      );
    }
    if (l === n - 1 && l === p - 1) {
      // last row: nothing to reflect (dqrdc2 skips l == n)
      break;
    }
    if (A[cl + l] !== 0) nrmxl = A[cl + l]! < 0 ? -Math.abs(nrmxl) : Math.abs(nrmxl);
    for (let i = l; i < n; i++) A[cl + i] = A[cl + i]! / nrmxl;
    A[cl + l] = 1 + A[cl + l]!;
    const all = A[cl + l]!;
    for (let j = l + 1; j < p; j++) {
      const cj = j * n;
      let t = 0;
      for (let i = l; i < n; i++) t -= A[cl + i]! * A[cj + i]!;
      t /= all;
      for (let i = l; i < n; i++) A[cj + i] = A[cj + i]! + t * A[cl + i]!;
    }
    let t = 0;
    for (let i = l; i < n; i++) t -= A[cl + i]! * b[i]!;
    t /= all;
    for (let i = l; i < n; i++) b[i] = b[i]! + t * A[cl + i]!;
    A[cl + l] = -nrmxl;
  }
  const R = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let i = 0; i <= j; i++) R[j * p + i] = A[j * n + i]!;
  const coef = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < p; k++) s -= R[k * p + i]! * coef[k]!;
    coef[i] = s / R[i * p + i]!;
  }
  return { coef, R };
}

/** (R'R)⁻¹ from upper-triangular column-major R (R's `chol2inv`). */
function chol2inv(R: Float64Array, p: number): Float64Array[] {
  const Rinv = new Float64Array(p * p); // upper triangular, column-major
  for (let j = 0; j < p; j++) {
    Rinv[j * p + j] = 1 / R[j * p + j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += R[k * p + i]! * Rinv[j * p + k]!;
      Rinv[j * p + i] = -s / R[i * p + i]!;
    }
  }
  const out: Float64Array[] = [];
  for (let i = 0; i < p; i++) out.push(new Float64Array(p));
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let s = 0;
      for (let k = j; k < p; k++) s += Rinv[k * p + i]! * Rinv[k * p + j]!;
      out[i]![j] = s;
      out[j]![i] = s;
    }
  }
  return out;
}

/** Inverse of a symmetric positive-definite matrix by Cholesky; throws if not positive definite. */
function invertSpd(H: Float64Array[], p: number): Float64Array[] {
  const L = new Float64Array(p * p); // row-major lower
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i * p + k]! * L[j * p + k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error("logistic: information matrix is not positive definite");
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j]!;
    }
  }
  // R = L' (upper, column-major R[j*p+i] = L[j][i])
  const R = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) R[i * p + j] = L[i * p + j]!;
  return chol2inv(R, p);
}

// ---------------------------------------------------------------------------------------------
// IRLS core (R glm.fit for the binomial family with logit link).

interface IrlsResult {
  coef: Float64Array;
  eta: Float64Array;
  mu: Float64Array;
  deviance: number;
  iterations: number;
  converged: boolean;
  boundary: boolean;
  /** (X'WX)⁻¹ with the weights of the last iteration. */
  covUnscaled: Float64Array[];
  warnings: string[];
}

function irls(
  cols: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  weights: Float64Array,
  offset: Float64Array,
  epsilon: number,
  maxit: number,
  etaStart: ArrayLike<number> | undefined,
  names: readonly string[],
): IrlsResult {
  const warnings: string[] = [];
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  if (etaStart) {
    for (let i = 0; i < n; i++) eta[i] = etaStart[i]!;
  } else {
    for (let i = 0; i < n; i++) {
      const m = (weights[i]! * y[i]! + 0.5) / (weights[i]! + 1);
      eta[i] = Math.log(m / (1 - m));
    }
  }
  for (let i = 0; i < n; i++) mu[i] = logitLinkInverse(eta[i]!);
  if (p === 0) {
    for (let i = 0; i < n; i++) {
      eta[i] = offset[i]!;
      mu[i] = logitLinkInverse(eta[i]!);
    }
    return {
      coef: new Float64Array(0),
      eta,
      mu,
      deviance: binomialDeviance(y, mu, weights),
      iterations: 0,
      converged: true,
      boundary: false,
      covUnscaled: [],
      warnings,
    };
  }
  let devold = binomialDeviance(y, mu, weights);
  let dev = devold;
  let coef: Float64Array = new Float64Array(p);
  let coefold: Float64Array | null = null;
  let start: Float64Array = new Float64Array(p);
  let converged = false;
  let boundary = false;
  let iter = 0;
  let lastR: Float64Array | null = null;
  const tol = Math.min(1e-7, epsilon / 1000);
  const good: number[] = [];
  const recompute = (s: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < p; j++) e += cols[j * n + i]! * s[j]!;
      eta[i] = e + offset[i]!;
      mu[i] = logitLinkInverse(eta[i]!);
    }
  };
  for (iter = 1; iter <= maxit; iter++) {
    good.length = 0;
    for (let i = 0; i < n; i++) {
      if (weights[i]! > 0 && logitMuEta(eta[i]!) !== 0) good.push(i);
    }
    if (good.length === 0) {
      warnings.push(`no observations informative at iteration ${iter}`);
      converged = false;
      break;
    }
    const ng = good.length;
    const A = new Float64Array(ng * p);
    const b = new Float64Array(ng);
    for (let k = 0; k < ng; k++) {
      const i = good[k]!;
      const me = logitMuEta(eta[i]!);
      const m = mu[i]!;
      const z = eta[i]! - offset[i]! + (y[i]! - m) / me;
      const w = Math.sqrt((weights[i]! * me * me) / (m * (1 - m)));
      for (let j = 0; j < p; j++) A[j * ng + k] = cols[j * n + i]! * w;
      b[k] = z * w;
    }
    const fit = householderLeastSquares(A, b, ng, p, tol, names);
    lastR = fit.R;
    if (fit.coef.some((c) => !Number.isFinite(c))) {
      warnings.push(`non-finite coefficients at iteration ${iter}`);
      converged = false;
      break;
    }
    start = fit.coef;
    recompute(start);
    dev = binomialDeviance(y, mu, weights);
    boundary = false;
    if (!Number.isFinite(dev)) {
      if (coefold === null)
        throw new Error(
          "logistic: no valid set of coefficients has been found: please supply starting values",
        );
      warnings.push("step size truncated due to divergence");
      let ii = 1;
      while (!Number.isFinite(dev)) {
        if (ii > maxit) throw new Error("logistic: inner loop 1; cannot correct step size");
        ii++;
        for (let j = 0; j < p; j++) start[j] = (start[j]! + coefold[j]!) / 2;
        recompute(start);
        dev = binomialDeviance(y, mu, weights);
      }
      boundary = true;
    }
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) {
      converged = true;
      coef = start;
      break;
    }
    devold = dev;
    coef = Float64Array.from(start);
    coefold = Float64Array.from(start);
  }
  if (iter > maxit) iter = maxit;
  if (!converged) warnings.push("glm.fit: algorithm did not converge");
  if (boundary) warnings.push("glm.fit: algorithm stopped at boundary value");
  return {
    coef,
    eta,
    mu,
    deviance: dev,
    iterations: iter,
    converged,
    boundary,
    covUnscaled: lastR ? chol2inv(lastR, p) : [],
    warnings,
  };
}

function toColumns(
  X: ArrayLike<number>[],
  n: number,
  intercept: boolean,
): { cols: Float64Array; p: number } {
  const k = n > 0 ? X[0]!.length : 0;
  const p = k + (intercept ? 1 : 0);
  const cols = new Float64Array(n * p);
  const off = intercept ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const row = X[i]!;
    if (row.length !== k)
      throw new Error(`logistic: row ${i + 1} of X has ${row.length} values, row 1 has ${k}`);
    if (intercept) cols[i] = 1;
    for (let j = 0; j < k; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v))
        throw new Error(
          `logistic: X[${i + 1}][${j + 1}] is ${v} (predictors must be finite numbers)`,
        );
      cols[(j + off) * n + i] = v;
    }
  }
  return { cols, p };
}

/** Diagnoses separation from a converged-or-not fit (fitted probabilities numerically 0 or 1). */
function diagnoseSeparation(y: Float64Array, mu: Float64Array, w: Float64Array): SeparationKind {
  const eps = 1e-8;
  let perfect = 0;
  let used = 0;
  for (let i = 0; i < y.length; i++) {
    if (!(w[i]! > 0)) continue;
    used++;
    const m = mu[i]!;
    if ((y[i] === 1 && m > 1 - eps) || (y[i] === 0 && m < eps)) perfect++;
  }
  if (used > 0 && perfect === used) return "complete";
  return perfect > 0 ? "quasi-complete" : "none";
}

/**
 * Fits a logistic regression by R's glm.fit IRLS (see the module comment). `X` holds n rows of p
 * predictor values without an intercept column; `y` is 0/1. Returns estimates, R's summary.glm
 * standard errors (last IRLS weights) and Hessian-at-the-MLE ones, deviances, df, logLik,
 * AIC = −2·logLik + 2·rank, BIC = −2·logLik + log(nobs)·rank, and separation warnings.
 */
export function fitLogistic(
  X: ArrayLike<number>[],
  y: ArrayLike<number>,
  options: LogisticOptions = {},
): LogisticFit {
  const n = X.length;
  if (y.length !== n) throw new Error(`logistic: X has ${n} rows but y has ${y.length} values`);
  if (n === 0) throw new Error("logistic: no observations");
  const intercept = options.intercept ?? true;
  const epsilon = options.epsilon ?? 1e-8;
  const maxIterations = options.maxIterations ?? 25;
  if (!(epsilon > 0)) throw new Error(`logistic: epsilon must be > 0, got ${epsilon}`);
  if (!(maxIterations >= 1))
    throw new Error(`logistic: maxIterations must be >= 1, got ${maxIterations}`);
  const yy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1)
      throw new Error(`logistic: y[${i + 1}] = ${v}; the outcome must be 0 or 1`);
    yy[i] = v;
  }
  const weights = new Float64Array(n).fill(1);
  if (options.weights) {
    if (options.weights.length !== n)
      throw new Error(`logistic: weights has ${options.weights.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) {
      const w = options.weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w))
        throw new Error(`logistic: weights[${i + 1}] = ${w} must be a finite number >= 0`);
      weights[i] = w;
    }
  }
  const offset = new Float64Array(n);
  if (options.offset) {
    if (options.offset.length !== n)
      throw new Error(`logistic: offset has ${options.offset.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) {
      const o = options.offset[i]!;
      if (!Number.isFinite(o)) throw new Error(`logistic: offset[${i + 1}] = ${o} is not finite`);
      offset[i] = o;
    }
  }
  const { cols, p } = toColumns(X, n, intercept);
  const k = p - (intercept ? 1 : 0);
  const names = options.names
    ? [...options.names]
    : Array.from({ length: k }, (_, j) => `x${j + 1}`);
  if (names.length !== k) throw new Error(`logistic: ${names.length} names for ${k} predictors`);
  const terms = intercept ? ["(Intercept)", ...names] : names;
  const data: LogisticData = {
    n,
    p,
    columns: cols,
    y: yy,
    weights,
    offset,
    epsilon,
    maxIterations,
  };
  return fitFromData(data, intercept, terms, options.etaStart);
}

function fitFromData(
  data: LogisticData,
  intercept: boolean,
  terms: string[],
  etaStart?: ArrayLike<number>,
): LogisticFit {
  const { n, p, columns: cols, y, weights, offset, epsilon, maxIterations } = data;
  const r = irls(cols, n, p, y, weights, offset, epsilon, maxIterations, etaStart, terms);
  const warnings = [...r.warnings];
  const eps10 = 10 * DBL_EPSILON;
  if (r.mu.some((m) => m > 1 - eps10 || m < eps10))
    warnings.push("glm.fit: fitted probabilities numerically 0 or 1 occurred");
  const separation = diagnoseSeparation(y, r.mu, weights);
  if (separation !== "none") {
    warnings.push(
      `${separation} separation: the outcome is (partly) perfectly predicted; estimates diverge and fitted probabilities reach 0 or 1, so coefficients, standard errors and Wald tests are not meaningful`,
    );
  }
  // null deviance (R glm.fit; with offset and intercept R's glm() refits the intercept-only model)
  let nullDeviance: number;
  let hasOffset = false;
  for (let i = 0; i < n; i++) if (offset[i] !== 0) hasOffset = true;
  if (intercept && hasOffset) {
    const ones = new Float64Array(n).fill(1);
    nullDeviance = irls(ones, n, 1, y, weights, offset, epsilon, maxIterations, undefined, [
      "(Intercept)",
    ]).deviance;
  } else if (intercept) {
    let sw = 0;
    let swy = 0;
    for (let i = 0; i < n; i++) {
      sw += weights[i]!;
      swy += weights[i]! * y[i]!;
    }
    const wtdmu = swy / sw;
    nullDeviance = binomialDeviance(y, new Float64Array(n).fill(wtdmu), weights);
  } else {
    const mu0 = new Float64Array(n);
    for (let i = 0; i < n; i++) mu0[i] = logitLinkInverse(offset[i]!);
    nullDeviance = binomialDeviance(y, mu0, weights);
  }
  let nOk = 0;
  for (let i = 0; i < n; i++) if (weights[i] !== 0) nOk++;
  const rank = p;
  const aic = binomialAicPart(y, r.mu, weights) + 2 * rank;
  const logLik = rank - aic / 2;
  const bic = -2 * logLik + Math.log(nOk) * rank;
  const se = new Float64Array(p);
  const z = new Float64Array(p);
  const pv = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    se[j] = Math.sqrt(r.covUnscaled[j]![j]!);
    z[j] = r.coef[j]! / se[j]!;
    pv[j] = twoSidedNormalP(z[j]!);
  }
  // Hessian at the final estimate: X' diag(w·mu(1−mu)) X
  let covH: Float64Array[];
  const H: Float64Array[] = Array.from({ length: p }, () => new Float64Array(p));
  for (let i = 0; i < n; i++) {
    const m = r.mu[i]!;
    const wi = weights[i]! * m * (1 - m);
    if (wi === 0) continue;
    for (let a = 0; a < p; a++) {
      const xa = cols[a * n + i]! * wi;
      for (let b = 0; b <= a; b++) H[a]![b] = H[a]![b]! + xa * cols[b * n + i]!;
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) H[b]![a] = H[a]![b]!;
  try {
    covH = invertSpd(H, p);
  } catch {
    covH = Array.from({ length: p }, () => new Float64Array(p).fill(Number.NaN));
    warnings.push("the Hessian at the final estimate is singular: Hessian standard errors are NaN");
  }
  const seH = new Float64Array(p);
  const zH = new Float64Array(p);
  const pH = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    seH[j] = Math.sqrt(covH[j]![j]!);
    zH[j] = r.coef[j]! / seH[j]!;
    pH[j] = twoSidedNormalP(zH[j]!);
  }
  return {
    terms,
    coefficients: r.coef,
    standardErrors: se,
    covariance: r.covUnscaled,
    zValues: z,
    pValues: pv,
    standardErrorsHessian: seH,
    covarianceHessian: covH,
    zValuesHessian: zH,
    pValuesHessian: pH,
    oddsRatios: r.coef.map(Math.exp),
    linearPredictor: r.eta,
    fitted: r.mu,
    deviance: r.deviance,
    nullDeviance,
    dfResidual: nOk - rank,
    dfNull: nOk - (intercept ? 1 : 0),
    logLik,
    aic,
    bic,
    nObs: nOk,
    rank,
    intercept,
    iterations: r.iterations,
    converged: r.converged,
    boundary: r.boundary,
    separation,
    warnings,
    data,
  };
}

// ---------------------------------------------------------------------------------------------
// Intervals and tests.

export interface ConfidenceIntervals {
  /** Lower / upper bounds on the coefficient (log-odds) scale. */
  lower: Float64Array;
  upper: Float64Array;
  /** exp() of the bounds: odds-ratio scale. */
  oddsRatioLower: Float64Array;
  oddsRatioUpper: Float64Array;
}

function withOddsRatios(lower: Float64Array, upper: Float64Array): ConfidenceIntervals {
  return { lower, upper, oddsRatioLower: lower.map(Math.exp), oddsRatioUpper: upper.map(Math.exp) };
}

/**
 * Wald intervals estimate ± Φ⁻¹((1+level)/2)·SE (R `confint.default`), with the R summary.glm SE
 * (`useHessian` false, default) or the Hessian-at-the-MLE SE (statsmodels `conf_int`).
 */
export function waldIntervals(
  fit: LogisticFit,
  level = 0.95,
  useHessian = false,
): ConfidenceIntervals {
  const q = normalQuantileStd(1 - (1 - level) / 2);
  const se = useHessian ? fit.standardErrorsHessian : fit.standardErrors;
  const lower = fit.coefficients.map((b, j) => b - q * se[j]!);
  const upper = fit.coefficients.map((b, j) => b + q * se[j]!);
  return withOddsRatios(lower, upper);
}

/** Refit with coefficient `j` fixed at `value` (its column moved into the offset). */
function constrainedFit(fit: LogisticFit, j: number, value: number, etaStart?: ArrayLike<number>) {
  const d = fit.data;
  const { n, p } = d;
  const cols = new Float64Array(n * (p - 1));
  let c = 0;
  for (let k = 0; k < p; k++) {
    if (k === j) continue;
    cols.set(d.columns.subarray(k * n, (k + 1) * n), c * n);
    c++;
  }
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) offset[i] = d.offset[i]! + d.columns[j * n + i]! * value;
  const names = fit.terms.filter((_, k) => k !== j);
  return irls(cols, n, p - 1, d.y, d.weights, offset, d.epsilon, d.maxIterations, etaStart, names);
}

/**
 * Exact profile-likelihood intervals: for each coefficient j, the two roots of
 * D(β_j = b) − D̂ = χ²₁(level), where D(β_j = b) is the deviance with β_j fixed at b and every other
 * coefficient re-estimated (glm.fit with offset x_j·b), found by Brent's method to `tolerance`
 * (Venzon & Moolgavkar 1988). A bound that does not exist (separation, the profile deviance never
 * reaches the cut-off) is ±Infinity and a warning is added to the fit.
 */
export function profileLikelihoodIntervals(
  fit: LogisticFit,
  level = 0.95,
  tolerance = 1e-13,
): ConfidenceIntervals {
  const p = fit.coefficients.length;
  const cutoff = chiSquareQuantile(level, 1);
  const lower = new Float64Array(p);
  const upper = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const bhat = fit.coefficients[j]!;
    const se = fit.standardErrors[j]!;
    const f = (b: number) => constrainedFit(fit, j, b).deviance - fit.deviance - cutoff;
    for (const sgn of [-1, 1]) {
      let inner = bhat;
      let fInner = -cutoff;
      let step = Number.isFinite(se) && se > 0 ? se * Math.sqrt(cutoff) : 1;
      let outer = bhat + sgn * step;
      let fOuter = f(outer);
      let tries = 0;
      while (!(fOuter > 0) && tries < 60) {
        inner = outer;
        fInner = fOuter;
        step *= 2;
        outer = bhat + sgn * step;
        fOuter = f(outer);
        tries++;
      }
      let bound: number;
      if (!(fOuter > 0)) {
        bound = sgn * Number.POSITIVE_INFINITY;
        fit.warnings.push(
          `profile likelihood ${sgn < 0 ? "lower" : "upper"} bound of '${fit.terms[j]}' does not exist (separation?)`,
        );
      } else bound = zeroin(f, inner, outer, fInner, fOuter, tolerance);
      if (sgn < 0) lower[j] = bound;
      else upper[j] = bound;
    }
  }
  return withOddsRatios(lower, upper);
}

/** R `regularize.values(x, y, mean)`: sort by x, average y over tied x. */
function regularize(x: ArrayLike<number>, y: ArrayLike<number>): { x: number[]; y: number[] } {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  const xs: number[] = [];
  const ys: number[] = [];
  let k = 0;
  while (k < idx.length) {
    const xv = x[idx[k]!]!;
    let s = 0;
    let m = 0;
    while (k < idx.length && x[idx[k]!] === xv) {
      s += y[idx[k]!]!;
      m++;
      k++;
    }
    xs.push(xv);
    ys.push(s / m);
  }
  return { x: xs, y: ys };
}

/** R's Forsythe–Malcolm–Moler interpolating cubic spline (C `fmm_spline`): coefficients b, c, d. */
function fmmSpline(
  x: number[],
  y: number[],
): { b: Float64Array; c: Float64Array; d: Float64Array } {
  const n = x.length;
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  if (n < 2) return { b, c, d };
  if (n < 3) {
    b[0] = (y[1]! - y[0]!) / (x[1]! - x[0]!);
    b[1] = b[0];
    return { b, c, d };
  }
  // 1-based helpers
  const X = (i: number) => x[i - 1]!;
  const Y = (i: number) => y[i - 1]!;
  const B = (i: number) => b[i - 1]!;
  const C = (i: number) => c[i - 1]!;
  const D = (i: number) => d[i - 1]!;
  const nm1 = n - 1;
  d[0] = X(2) - X(1);
  c[1] = (Y(2) - Y(1)) / D(1);
  for (let i = 2; i < n; i++) {
    d[i - 1] = X(i + 1) - X(i);
    b[i - 1] = 2 * (D(i - 1) + D(i));
    c[i] = (Y(i + 1) - Y(i)) / D(i);
    c[i - 1] = C(i + 1) - C(i);
  }
  b[0] = -D(1);
  b[n - 1] = -D(nm1);
  c[0] = 0;
  c[n - 1] = 0;
  if (n > 3) {
    c[0] = C(3) / (X(4) - X(2)) - C(2) / (X(3) - X(1));
    c[n - 1] = C(nm1) / (X(n) - X(n - 2)) - C(n - 2) / (X(nm1) - X(n - 3));
    c[0] = (C(1) * D(1) * D(1)) / (X(4) - X(1));
    c[n - 1] = (-C(n) * D(nm1) * D(nm1)) / (X(n) - X(n - 3));
  }
  for (let i = 2; i <= n; i++) {
    const t = D(i - 1) / B(i - 1);
    b[i - 1] = B(i) - t * D(i - 1);
    c[i - 1] = C(i) - t * C(i - 1);
  }
  c[n - 1] = C(n) / B(n);
  for (let i = nm1; i >= 1; i--) c[i - 1] = (C(i) - D(i) * C(i + 1)) / B(i);
  b[n - 1] = (Y(n) - Y(n - 1)) / D(n - 1) + D(n - 1) * (C(n - 1) + 2 * C(n));
  for (let i = 1; i <= nm1; i++) {
    b[i - 1] = (Y(i + 1) - Y(i)) / D(i) - D(i) * (C(i + 1) + 2 * C(i));
    d[i - 1] = (C(i + 1) - C(i)) / D(i);
    c[i - 1] = 3 * C(i);
  }
  c[n - 1] = 3 * C(n);
  d[n - 1] = D(nm1);
  return { b, c, d };
}

/** R `spline(x, y, n = 3·length(x), method = "fmm")`: the interpolated points. */
export function fmmSplinePoints(
  xIn: ArrayLike<number>,
  yIn: ArrayLike<number>,
): { x: Float64Array; y: Float64Array } {
  const { x, y } = regularize(xIn, yIn);
  const nx = x.length;
  const nout = 3 * nx;
  const { b, c, d } = fmmSpline(x, y);
  const xmin = x[0]!;
  const xmax = x[nx - 1]!;
  // R seq.int(from, to, length.out = n)
  const u = new Float64Array(nout);
  if (nout > 0) u[0] = xmin;
  if (nout > 1) u[nout - 1] = xmax;
  if (nout > 2) {
    const by = (xmax - xmin) / (nout - 1);
    for (let i = 1; i < nout - 1; i++)
      u[i] = i < nout / 2 ? xmin + i * by : xmax - (nout - 1 - i) * by;
  }
  const v = new Float64Array(nout);
  let i = 0;
  for (let l = 0; l < nout; l++) {
    const ul = u[l]!;
    if (ul < x[i]! || (i < nx - 1 && x[i + 1]! < ul)) {
      i = 0;
      let j = nx;
      do {
        const k = Math.floor((i + j) / 2);
        if (ul < x[k]!) j = k;
        else i = k;
      } while (j > i + 1);
    }
    const dx = ul - x[i]!;
    v[l] = y[i]! + dx * (b[i]! + dx * (c[i]! + dx * d[i]!));
  }
  return { x: u, y: v };
}

/** R `approx(x, y, xout)` (linear, rule 1: NaN outside the range, ties averaged). */
export function approxLinear(xIn: ArrayLike<number>, yIn: ArrayLike<number>, xout: number): number {
  const { x, y } = regularize(xIn, yIn);
  const n = x.length;
  if (n === 0 || !(xout >= x[0]!) || !(xout <= x[n - 1]!)) return Number.NaN;
  let i = 0;
  let j = n - 1;
  while (i < j - 1) {
    const ij = Math.floor((i + j) / 2);
    if (xout < x[ij]!) j = ij;
    else i = ij;
  }
  if (xout === x[j]) return y[j]!;
  if (xout === x[i]) return y[i]!;
  return y[i]! + (y[j]! - y[i]!) * ((xout - x[i]!) / (x[j]! - x[i]!));
}

export interface MassProfileOptions {
  /** Confidence level, default 0.95. */
  level?: number;
  /** MASS `profile.glm(alpha)`; `confint.glm` uses (1 − level)/4. */
  alpha?: number;
  /** MASS `maxsteps`, default 10. */
  maxSteps?: number;
  /** Step `del` as a fraction of zmax = √χ²₁(1 − alpha); MASS default 1/5. */
  delFractionOfZmax?: number;
}

/**
 * MASS `confint.glm` (MASS 7.3, Venables & Ripley): profile the signed root deviance
 * z(b) = sign(b − β̂)·√(D(b) − D̂) at b = β̂ ± k·del·SE, k = 1, 2, … (< maxsteps, until |z| ≥ zmax),
 * each constrained fit warm-started from the previous linear predictor; interpolate b(z) by R's fmm
 * `spline` through the grid and linear `approx` at z = Φ⁻¹(α/2), Φ⁻¹(1 − α/2). An approximation
 * of `profileLikelihoodIntervals` (≈1e-4 off).
 */
export function massProfileIntervals(
  fit: LogisticFit,
  options: MassProfileOptions = {},
): ConfidenceIntervals {
  const level = options.level ?? 0.95;
  const alpha = options.alpha ?? (1 - level) / 4;
  const maxSteps = options.maxSteps ?? 10;
  const zmax = Math.sqrt(chiSquareQuantile(1 - alpha, 1));
  const del = zmax * (options.delFractionOfZmax ?? 0.2);
  const p = fit.coefficients.length;
  const a = (1 - level) / 2;
  const cut = [normalQuantileStd(a), normalQuantileStd(1 - a)];
  const lower = new Float64Array(p);
  const upper = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const zi: number[] = [0];
    const bi: number[] = [fit.coefficients[j]!];
    for (const sgn of [-1, 1]) {
      let step = 0;
      let z = 0;
      let lp: Float64Array = Float64Array.from(fit.linearPredictor);
      while (++step < maxSteps && Math.abs(z) < zmax) {
        const b = fit.coefficients[j]! + sgn * step * del * fit.standardErrors[j]!;
        const fm = constrainedFit(fit, j, b, lp);
        lp = fm.eta;
        let zz = fm.deviance - fit.deviance;
        if (zz > -1e-3) zz = Math.max(zz, 0);
        else
          throw new Error(
            `logistic: profiling '${fit.terms[j]}' found a better fit: the original fit had not converged`,
          );
        z = sgn * Math.sqrt(zz);
        zi.push(z);
        bi.push(b);
      }
    }
    const order = zi.map((_, k) => k).sort((u, v) => zi[u]! - zi[v]! || u - v);
    const sp = fmmSplinePoints(
      order.map((k) => bi[k]!),
      order.map((k) => zi[k]!),
    );
    lower[j] = approxLinear(sp.y, sp.x, cut[0]!);
    upper[j] = approxLinear(sp.y, sp.x, cut[1]!);
  }
  return withOddsRatios(lower, upper);
}

export interface LikelihoodRatioTest {
  deviance0: number;
  deviance1: number;
  statistic: number;
  df: number;
  p: number;
}

/**
 * Likelihood-ratio test of nested fits on the same rows (R `anova(m0, m1, test = "LRT")`):
 * statistic = D₀ − D₁, df = rank₁ − rank₀, P = P(χ²_df > statistic).
 */
export function likelihoodRatioTest(fit0: LogisticFit, fit1: LogisticFit): LikelihoodRatioTest {
  if (fit0.data.n !== fit1.data.n || fit0.nObs !== fit1.nObs)
    throw new Error(
      `likelihood-ratio test: the models use different observations (${fit0.nObs} vs ${fit1.nObs}); fit both on the same rows`,
    );
  const df = fit1.rank - fit0.rank;
  if (df <= 0)
    throw new Error(
      `likelihood-ratio test: model 1 (${fit1.rank} coefficients) must extend model 0 (${fit0.rank})`,
    );
  const statistic = fit0.deviance - fit1.deviance;
  return {
    deviance0: fit0.deviance,
    deviance1: fit1.deviance,
    statistic,
    df,
    p: chiSquareUpperTail(statistic, df),
  };
}

/** Likelihood-ratio test against the intercept-only model: null deviance − deviance on dfNull − dfResidual. */
export function likelihoodRatioTestVsNull(fit: LogisticFit): {
  statistic: number;
  df: number;
  p: number;
} {
  const statistic = fit.nullDeviance - fit.deviance;
  const df = fit.dfNull - fit.dfResidual;
  return { statistic, df, p: chiSquareUpperTail(statistic, df) };
}

// ---------------------------------------------------------------------------------------------
// Univariable screen then multivariable model.

/** A candidate predictor: its name and its design columns (one per coefficient, n values each). */
export interface ScreenVariable {
  name: string;
  /** Term names of its coefficients (e.g. factor dummies). */
  terms: string[];
  /** n rows × terms.length values. */
  X: ArrayLike<number>[];
}

export interface ScreenOptions extends LogisticOptions {
  /** Keep a variable when its univariable P < threshold (default 0.05). */
  pThreshold?: number;
  /** Per-variable P: likelihood-ratio test vs the null model (default; one test for all dummies of a factor) or the smallest Wald P of its terms. */
  pMethod?: "lrt" | "wald";
}

export interface ScreenResult {
  univariable: { name: string; fit: LogisticFit; p: number; selected: boolean }[];
  selected: string[];
  /** Multivariable fit on the selected variables (null when none is selected). */
  multivariable: LogisticFit | null;
}

/**
 * Univariable screen (one logistic model per variable) followed by a multivariable model of the
 * variables with P < pThreshold (the usual "univariable then multivariable" clinical-model
 * workflow). All fits use the same rows; give complete cases.
 */
export function univariableScreen(
  variables: readonly ScreenVariable[],
  y: ArrayLike<number>,
  options: ScreenOptions = {},
): ScreenResult {
  const threshold = options.pThreshold ?? 0.05;
  const method = options.pMethod ?? "lrt";
  const univariable = variables.map((v) => {
    const fit = fitLogistic(v.X, y, { ...options, names: v.terms });
    let p: number;
    if (method === "lrt") p = likelihoodRatioTestVsNull(fit).p;
    else {
      const off = fit.intercept ? 1 : 0;
      p = Math.min(...Array.from(fit.pValues.subarray(off)));
    }
    return { name: v.name, fit, p, selected: p < threshold };
  });
  const chosen = variables.filter((_, k) => univariable[k]!.selected);
  let multivariable: LogisticFit | null = null;
  if (chosen.length > 0) {
    const n = y.length;
    const X = Array.from({ length: n }, (_, i) => {
      const row: number[] = [];
      for (const v of chosen) for (let t = 0; t < v.terms.length; t++) row.push(v.X[i]![t]!);
      return row;
    });
    multivariable = fitLogistic(X, y, { ...options, names: chosen.flatMap((v) => v.terms) });
  }
  return { univariable, selected: chosen.map((v) => v.name), multivariable };
}
