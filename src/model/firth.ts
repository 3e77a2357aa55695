/**
 * Firth's penalised-likelihood logistic regression (Firth 1993, Biometrika 80:27-38; Heinze &
 * Schemper 2002, Stat Med 21:2409-2419) as R's `logistf` 1.26 computes it (its C routine
 * `logistffit_revised` and R function `logistf`; read, not copied): the Jeffreys-prior penalty
 * l*(β) = l(β) + τ·log|I(β)| with τ = 1/2 and I(β) = X'WX, W = diag(w·π(1−π)); the modified score
 * U*(β) = X'(w·(y − π) + 2τ·h·(1/2 − π)) with h the diagonal of W^½X(X'WX)⁻¹X'W^½; Newton-Raphson
 * steps δ = (X'W*X)⁻¹U* with the "augmented" weights W* = diag((w + 2τh)·π(1−π)), each step
 * scaled so that max|δ| ≤ maxstep, stopping when max|δ| ≤ xconv, max|U*| < gconv and the change of
 * l* < lconv (`logistf.control()` defaults: maxit 25, maxhs 0, maxstep 5, lconv = gconv = xconv =
 * 1e-5). Standard errors are logistf's: the square roots of the diagonal of (X'W*X)⁻¹ from the last
 * iteration (logistf ≥ 1.24; `standardErrorsFisher` keeps (X'WX)⁻¹ at the estimate, as logistf <
 * 1.24 reported). Each coefficient's penalised likelihood-ratio test refits with that coefficient
 * fixed at 0 and the penalty still taken over the full design (logistf's `pl = TRUE` p-values); the
 * model test compares with the intercept-only fit, also penalised over the full design. Finite
 * estimates under complete or quasi-complete separation, where maximum likelihood diverges.
 * Where logistf gives up, this module goes on: log π and log(1 − π) are computed from exp(−|η|)
 * (logistf's 1/(1 + exp(−η)) rounds to 1 beyond η ≈ 37, and it then stops with the current
 * iterate), and a restricted fit that fails leaves a NaN test with a warning instead of an error.
 * Profile penalised-likelihood intervals are in firth-profile.ts.
 * Pure TypeScript: runs in the browser.
 */
import { chiSquareUpperTail } from "../stats/distribution-tails.js";
import { twoSidedNormalP } from "./logistic-distributions.js";
import { chol2inv, householderLeastSquares } from "./logistic-qr.js";

/** `logistf.control()`: Newton-Raphson settings of the penalised fit. */
export interface FirthControl {
  /** maxit, default 25. */
  maxIterations: number;
  /** maxhs: step halvings per iteration when l* decreases, default 0 (none). */
  maxHalfSteps: number;
  /** maxstep: largest |δ_j| of one step (negative: unlimited), default 5. */
  maxStep: number;
  /** lconv, gconv, xconv: convergence limits on Δl*, max|U*| and max|δ|, default 1e-5 each. */
  lconv: number;
  gconv: number;
  xconv: number;
  /**
   * collapse (default true): with unit weights and at most 10 distinct values in X and y, fit on
   * the distinct rows weighted by their counts (the same l*, fewer rows; logistf's iterates).
   */
  collapse: boolean;
}

export const FIRTH_CONTROL_DEFAULTS: Readonly<FirthControl> = {
  maxIterations: 25,
  maxHalfSteps: 0,
  maxStep: 5,
  lconv: 1e-5,
  gconv: 1e-5,
  xconv: 1e-5,
  collapse: true,
};

export interface FirthOptions {
  /** Fit an intercept (first coefficient). Default true. */
  intercept?: boolean;
  /** Case weights (logistf `weights`), finite and ≥ 0; default 1. */
  weights?: ArrayLike<number>;
  /** Offset added to the linear predictor; default 0. */
  offset?: ArrayLike<number>;
  /** Coefficient names without the intercept; default x1, x2, … */
  names?: readonly string[];
  /** Starting coefficients (logistf `init`), intercept first; default 0. */
  init?: ArrayLike<number>;
  /** Degree of penalisation τ (`logistf.mod.control(tau)`), default 0.5 (Firth); 0 gives ML. */
  tau?: number;
  control?: Partial<FirthControl>;
}

/** The data of a penalised fit (kept for the profile intervals). */
export interface FirthData {
  n: number;
  /** Number of coefficients, intercept included. */
  k: number;
  /** Column-major n × k design, the intercept's column of ones first when fitted. */
  columns: Float64Array;
  y: Float64Array;
  weights: Float64Array;
  offset: Float64Array;
  tau: number;
}

export interface FirthTest {
  statistic: number;
  df: number;
  p: number;
}

export interface FirthFit {
  method: "firth";
  terms: string[];
  coefficients: Float64Array;
  /** logistf `sqrt(diag(vcov))`: from (X'W*X)⁻¹ of the last iteration. */
  standardErrors: Float64Array;
  covariance: Float64Array[];
  /** (X'WX)⁻¹ at the estimate (the inverse Fisher information; logistf < 1.24's `var`). */
  standardErrorsFisher: Float64Array;
  covarianceFisher: Float64Array[];
  /** Wald z = estimate / SE; χ² = z² and P = 1 − pchisq(z², 1), as logistf's Wald option. */
  zValues: Float64Array;
  waldPValues: Float64Array;
  /** Penalised LR statistic 2·(l* − l*_j) with coefficient j fixed at 0, and its P (χ²₁). */
  penalizedLrStatistics: Float64Array;
  penalizedLrPValues: Float64Array;
  /** Maximised penalised log-likelihood of each restricted fit. */
  restrictedLogLik: Float64Array;
  oddsRatios: Float64Array;
  /** Penalised log-likelihood l* of the full and of the intercept-only model (logistf `loglik`). */
  logLik: number;
  logLikNull: number;
  /** Penalised LR test of all coefficients but the intercept (logistf's "Likelihood ratio test"). */
  likelihoodRatioTest: FirthTest;
  /** β'V⁻¹β over every coefficient, intercept included, on df = k − 1 (logistf `summary`). */
  waldTest: FirthTest;
  linearPredictor: Float64Array;
  fitted: Float64Array;
  /** Diagonal of the weighted hat matrix at the estimate (logistf `hat.diag`). */
  hatDiagonal: Float64Array;
  /** Σ weights (logistf `n`). */
  nObs: number;
  /** Degrees of freedom of the model test: coefficients minus the intercept. */
  df: number;
  intercept: boolean;
  /** Newton steps taken (logistf's `iter` counts one fewer). */
  iterations: number;
  converged: boolean;
  /** logistf `conv`: last change of l*, max |U*|, max |δ|. */
  convergence: { logLikChange: number; maxAbsScore: number; maxAbsStep: number };
  warnings: string[];
  data: FirthData;
  control: FirthControl;
}

/** Cholesky factor of the symmetric k × k matrix A (column-major): log|A| and A⁻¹. */
function choleskyLogDetInverse(
  A: Float64Array,
  k: number,
): { logDet: number; inverse: Float64Array[] } | null {
  const R = new Float64Array(k * k); // upper triangular, column-major: A = R'R
  let logDet = 0;
  for (let j = 0; j < k; j++) {
    for (let i = 0; i <= j; i++) {
      let s = A[j * k + i]!;
      for (let m = 0; m < i; m++) s -= R[i * k + m]! * R[j * k + m]!;
      if (i === j) {
        if (!(s > 0)) return null;
        R[j * k + j] = Math.sqrt(s);
        logDet += Math.log(s);
      } else R[j * k + i] = s / R[i * k + i]!;
    }
  }
  return { logDet, inverse: chol2inv(R, k) };
}

/** X'·diag(v)·X over the columns `cols` (column-major result, |cols| × |cols|). */
function crossProduct(d: FirthData, v: Float64Array, cols: readonly number[]): Float64Array {
  const { n, columns } = d;
  const m = cols.length;
  const A = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    const ca = cols[a]! * n;
    for (let b = 0; b <= a; b++) {
      const cb = cols[b]! * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += columns[ca + i]! * v[i]! * columns[cb + i]!;
      A[b * m + a] = s;
      A[a * m + b] = s;
    }
  }
  return A;
}

/** π, π(1 − π), h, l* and U* at β (log|X'WX| by Cholesky, as logistf's C code). */
export interface FirthState {
  pi: Float64Array;
  /** π(1 − π), from exp(−|η|) (positive where π rounds to 0 or 1). */
  piVariance: Float64Array;
  hat: Float64Array;
  logLik: number;
  /** false when l* is not finite (an infinite linear predictor). */
  finite: boolean;
  score: Float64Array;
  /** (X'WX)⁻¹ at β. */
  fisherInverse: Float64Array[];
}

const ALL = (k: number) => Array.from({ length: k }, (_, j) => j);

/**
 * Evaluates the penalised fit at β; throws (as logistf) when X'WX is singular or its log
 * determinant is below −200 (fitted probabilities at 0 or 1 for nearly every row).
 */
export function firthState(d: FirthData, beta: ArrayLike<number>, where: string): FirthState {
  const { n, k, columns, y, weights, offset, tau } = d;
  const pi = new Float64Array(n);
  const logPi = new Float64Array(n);
  const log1mPi = new Float64Array(n);
  const piVariance = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = offset[i]!;
    for (let j = 0; j < k; j++) eta += columns[j * n + i]! * beta[j]!;
    // π, log π, log(1 − π) and π(1 − π) from e = exp(−|η|): finite for every finite η, where
    // logistf's 1/(1 + exp(−η)) rounds to 1 beyond η ≈ 37 and it then stops iterating.
    const e = Math.exp(-Math.abs(eta));
    const l1p = Math.log1p(e);
    pi[i] = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
    logPi[i] = eta >= 0 ? -l1p : eta - l1p;
    log1mPi[i] = eta >= 0 ? -eta - l1p : -l1p;
    piVariance[i] = e / ((1 + e) * (1 + e));
    v[i] = weights[i]! * piVariance[i]!;
  }
  const chol = choleskyLogDetInverse(crossProduct(d, v, ALL(k)), k);
  if (chol === null || chol.logDet < -200)
    throw new Error(
      `firth: ${where}: the Fisher information X'WX is numerically singular (log-determinant ${chol ? chol.logDet.toFixed(1) : "-Inf"}); fitted probabilities are 0 or 1 for nearly every patient`,
    );
  const Finv = chol.inverse;
  const hat = new Float64Array(n);
  const x = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) x[j] = columns[j * n + i]!;
    let q = 0;
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += Finv[a]![b]! * x[b]!;
      q += x[a]! * s;
    }
    hat[i] = v[i]! * q;
  }
  let logLik = 0;
  for (let i = 0; i < n; i++) {
    if (weights[i] === 0) continue;
    logLik += weights[i]! * (y[i]! === 1 ? logPi[i]! : log1mPi[i]!);
  }
  logLik += tau * chol.logDet;
  const finite = Number.isFinite(logLik);
  const score = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const r = weights[i]! * (y[i]! - pi[i]!) + 2 * tau * hat[i]! * (0.5 - pi[i]!);
    for (let j = 0; j < k; j++) score[j] = score[j]! + columns[j * n + i]! * r;
  }
  return { pi, piVariance, hat, logLik, finite, score, fisherInverse: Finv };
}

/** (X'W*X)⁻¹ over `cols` with the augmented weights (w + 2τh)·π(1−π), embedded in k × k. */
export function augmentedCovariance(
  d: FirthData,
  s: FirthState,
  cols: readonly number[],
  where: string,
): Float64Array[] {
  const { n, k, weights, tau } = d;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = (weights[i]! + 2 * tau * s.hat[i]!) * s.piVariance[i]!;
  const chol = choleskyLogDetInverse(crossProduct(d, v, cols), cols.length);
  if (chol === null)
    throw new Error(`firth: ${where}: the penalised information matrix is not positive definite`);
  const out = Array.from({ length: k }, () => new Float64Array(k));
  cols.forEach((a, ia) => {
    cols.forEach((b, ib) => {
      out[a]![b] = chol.inverse[ia]![ib]!;
    });
  });
  return out;
}

const maxAbsOf = (x: ArrayLike<number>, cols: readonly number[]) =>
  cols.reduce((m, j) => Math.max(m, Math.abs(x[j]!)), 0);

export interface FirthNewtonResult {
  beta: Float64Array;
  covariance: Float64Array[];
  state: FirthState;
  logLik: number;
  steps: number;
  converged: boolean;
  /** l* stopped being finite (an infinite linear predictor), which ends the iteration. */
  stoppedNotFinite: boolean;
  convergence: { logLikChange: number; maxAbsScore: number; maxAbsStep: number };
}

/**
 * logistf's Newton-Raphson (`logistffit_revised`) over the coefficients `fit` (the others stay at
 * `init`; none: l* is only evaluated). With maxHalfSteps > 0 a step whose l* falls by more than
 * lconv is halved up to maxHalfSteps times; unlike logistf 1.26's C code, the score is then
 * recomputed at the accepted point (logistf keeps the rejected point's score; the default
 * maxHalfSteps = 0 is unaffected).
 */
export function firthNewtonRaphson(
  d: FirthData,
  init: ArrayLike<number>,
  fit: readonly number[],
  control: FirthControl,
  where: string,
): FirthNewtonResult {
  const { k } = d;
  const beta = Float64Array.from(init);
  let state = firthState(d, beta, where);
  let logLik = state.finite ? state.logLik : 0;
  let atBoundary = !state.finite;
  let stop = !state.finite;
  // logistf's C code starts from Σ x·(w·y − π + 2τh(½ − π)), not w·(y − π): with unit weights
  // these agree; kept so that weighted fits follow logistf's iterates.
  const score = Float64Array.from(state.score);
  if (fit.length > 0) {
    score.fill(0);
    const { n, columns, y, weights, tau } = d;
    for (let i = 0; i < n; i++) {
      const p = state.pi[i]!;
      const r = weights[i]! * y[i]! - p + 2 * tau * state.hat[i]! * (0.5 - p);
      for (let j = 0; j < k; j++) score[j] = score[j]! + columns[j * n + i]! * r;
    }
  }
  let covariance: Float64Array[] = Array.from({ length: k }, () => new Float64Array(k));
  const delta = new Float64Array(k);
  let steps = 0;
  let converged = fit.length === 0;
  let change = 0;
  const maxit = fit.length === 0 ? 0 : control.maxIterations;
  if (maxit > 0) {
    for (;;) {
      const logLikOld = logLik;
      covariance = augmentedCovariance(d, state, fit, where);
      delta.fill(0);
      for (const a of fit) {
        let s = 0;
        for (const b of fit) s += covariance[a]![b]! * score[b]!;
        delta[a] = s;
      }
      if (control.maxStep >= 0) {
        const mx = maxAbsOf(delta, fit) / control.maxStep;
        if (mx > 1) for (const a of fit) delta[a] = delta[a]! / mx;
      }
      for (const a of fit) beta[a] = beta[a]! + delta[a]!;
      steps++;
      state = firthState(d, beta, where);
      for (let h = 0; h < control.maxHalfSteps; h++) {
        if (state.finite && state.logLik >= logLikOld - control.lconv) break;
        for (const a of fit) {
          delta[a] = delta[a]! / 2;
          beta[a] = beta[a]! - delta[a]!;
        }
        state = firthState(d, beta, where);
      }
      if (state.finite) logLik = state.logLik;
      else {
        atBoundary = true;
        stop = true;
        logLik = logLikOld;
      }
      score.set(state.score);
      change = logLik - logLikOld;
      if (
        maxAbsOf(delta, fit) <= control.xconv &&
        maxAbsOf(score, fit) < control.gconv &&
        change < control.lconv
      ) {
        converged = true;
        break;
      }
      if (steps > maxit || stop) break;
    }
  }
  return {
    beta,
    covariance,
    state,
    logLik,
    steps,
    converged,
    stoppedNotFinite: atBoundary,
    convergence: {
      logLikChange: change,
      maxAbsScore: maxAbsOf(score, fit),
      maxAbsStep: maxAbsOf(delta, fit),
    },
  };
}

/**
 * logistf.fit's `collapse`: with unit weights and at most 10 distinct values over the columns of
 * X and y, the distinct (x, y, offset) rows with their counts as weights; otherwise null.
 */
export function collapseRows(d: FirthData): FirthData | null {
  const { n, k, columns, y, weights, offset } = d;
  if (weights.some((w) => w !== 1)) return null;
  const distinct = new Set<number>(y);
  for (let i = 0; i < columns.length && distinct.size <= 10; i++) distinct.add(columns[i]!);
  if (distinct.size > 10) return null;
  const count = new Map<string, number>();
  const first = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = [
      ...Array.from({ length: k }, (_, j) => columns[j * n + i]!),
      y[i]!,
      offset[i]!,
    ].join(",");
    count.set(key, (count.get(key) ?? 0) + 1);
    if (!first.has(key)) first.set(key, i);
  }
  const rows = [...first.values()];
  const m = rows.length;
  const out: FirthData = {
    n: m,
    k,
    columns: new Float64Array(m * k),
    y: Float64Array.from(rows, (i) => y[i]!),
    weights: new Float64Array(m),
    offset: Float64Array.from(rows, (i) => offset[i]!),
    tau: d.tau,
  };
  [...first.keys()].forEach((key, r) => {
    out.weights[r] = count.get(key)!;
    for (let j = 0; j < k; j++) out.columns[j * m + r] = columns[j * n + rows[r]!]!;
  });
  return out;
}

function toFirthData(
  X: ArrayLike<number>[],
  y: ArrayLike<number>,
  options: FirthOptions,
): { data: FirthData; terms: string[]; intercept: boolean } {
  const n = X.length;
  if (n === 0) throw new Error("firth: no observations");
  if (y.length !== n) throw new Error(`firth: X has ${n} rows but y has ${y.length} values`);
  const intercept = options.intercept ?? true;
  const p = X[0]!.length;
  const k = p + (intercept ? 1 : 0);
  if (k === 0) throw new Error("firth: the model has no coefficients");
  const columns = new Float64Array(n * k);
  const off = intercept ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const row = X[i]!;
    if (row.length !== p)
      throw new Error(`firth: row ${i + 1} of X has ${row.length} values, row 1 has ${p}`);
    if (intercept) columns[i] = 1;
    for (let j = 0; j < p; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) throw new Error(`firth: X[${i + 1}][${j + 1}] is ${v}, not finite`);
      columns[(j + off) * n + i] = v;
    }
  }
  const yy = Float64Array.from({ length: n }, (_, i) => {
    const v = y[i]!;
    if (v !== 0 && v !== 1)
      throw new Error(`firth: y[${i + 1}] = ${v}; the outcome must be 0 or 1`);
    return v;
  });
  const vector = (what: string, v: ArrayLike<number> | undefined, fill: number, min: number) => {
    if (!v) return new Float64Array(n).fill(fill);
    if (v.length !== n) throw new Error(`firth: ${what} has ${v.length} values, expected ${n}`);
    return Float64Array.from({ length: n }, (_, i) => {
      const x = v[i]!;
      if (!Number.isFinite(x) || x < min)
        throw new Error(
          `firth: ${what}[${i + 1}] = ${x} must be a finite number${min === 0 ? " >= 0" : ""}`,
        );
      return x;
    });
  };
  const weights = vector("weights", options.weights, 1, 0);
  const offset = vector("offset", options.offset, 0, Number.NEGATIVE_INFINITY);
  const names = options.names
    ? [...options.names]
    : Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (names.length !== p) throw new Error(`firth: ${names.length} names for ${p} predictors`);
  const terms = intercept ? ["(Intercept)", ...names] : names;
  const tau = options.tau ?? 0.5;
  if (!(tau >= 0)) throw new Error(`firth: tau must be >= 0, got ${tau}`);
  // Rank check on the rows with weight > 0 (names the column that is a combination of others).
  const used = Array.from(weights.keys()).filter((i) => weights[i]! > 0);
  const A = new Float64Array(used.length * k);
  for (let j = 0; j < k; j++)
    used.forEach((i, r) => {
      A[j * used.length + r] = columns[j * n + i]!;
    });
  try {
    householderLeastSquares(A, new Float64Array(used.length), used.length, k, 1e-7, terms);
  } catch (err) {
    throw new Error(`firth: ${(err as Error).message.replace(/^logistic: /, "")}`);
  }
  return { data: { n, k, columns, y: yy, weights, offset, tau }, terms, intercept };
}

/**
 * Firth's penalised-likelihood logistic regression as R's `logistf(y ~ x, pl = TRUE)` without the
 * profile intervals (those: `firthProfileIntervals` / `fitFirthLogistic` in firth-profile.ts).
 * `X` holds n rows of predictor values without an intercept column; `y` is 0/1.
 */
export function fitFirth(
  X: ArrayLike<number>[],
  y: ArrayLike<number>,
  options: FirthOptions = {},
): FirthFit {
  const { data, terms, intercept } = toFirthData(X, y, options);
  const { k, n } = data;
  const control: FirthControl = { ...FIRTH_CONTROL_DEFAULTS, ...options.control };
  if (!(control.maxIterations >= 1))
    throw new Error(`firth: maxIterations must be >= 1, got ${control.maxIterations}`);
  const init = options.init ? Float64Array.from(options.init) : new Float64Array(k);
  if (init.length !== k) throw new Error(`firth: init has ${init.length} values, expected ${k}`);
  const warnings: string[] = [];
  // The Newton-Raphson fits run on the collapsed rows when logistf would collapse them.
  const nr = (control.collapse ? collapseRows(data) : null) ?? data;
  const full = firthNewtonRaphson(nr, init, ALL(k), control, "full model");
  if (!full.converged)
    warnings.push(
      `firth: the full model did not converge in ${control.maxIterations} iterations (max |step| ${full.convergence.maxAbsStep.toExponential(2)}); increase maxIterations or lower maxStep`,
    );
  if (full.stoppedNotFinite)
    warnings.push("firth: the penalised log-likelihood became infinite; the iteration stopped");
  // Null model: the intercept alone (logistf fits column 1 whatever it is; without an intercept
  // every coefficient is 0 here), penalised over the full design.
  const nullFit = firthNewtonRaphson(
    nr,
    new Float64Array(k),
    intercept ? [0] : [],
    control,
    "null model",
  );
  const restricted = new Float64Array(k);
  const lr = new Float64Array(k);
  const lrP = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const others = ALL(k).filter((c) => c !== j);
    let r: FirthNewtonResult;
    try {
      r = firthNewtonRaphson(nr, new Float64Array(k), others, control, `test of '${terms[j]}'`);
    } catch (err) {
      // logistf stops with this error; the fit and the other tests stay usable here.
      warnings.push(
        `firth: no penalised LR test of '${terms[j]}' (${(err as Error).message}); its statistic and P are NaN`,
      );
      restricted[j] = lr[j] = lrP[j] = Number.NaN;
      continue;
    }
    if (!r.converged)
      warnings.push(
        `firth: the fit with '${terms[j]}' = 0 did not converge in ${control.maxIterations} iterations; its P may be inaccurate`,
      );
    restricted[j] = r.logLik;
    lr[j] = 2 * (full.logLik - r.logLik);
    lrP[j] = chiSquareUpperTail(lr[j]!, 1);
  }
  // π, h and (X'WX)⁻¹ of the original rows at the estimate.
  const atEstimate = nr === data ? full.state : firthState(data, full.beta, "full model");
  // As glm.fit (10·DBL_EPSILON): finite estimates, but some patients' probabilities are 0 or 1.
  if (atEstimate.pi.some((p) => p > 1 - 2.220446049250313e-15 || p < 2.220446049250313e-15))
    warnings.push("firth: fitted probabilities numerically 0 or 1 occurred");
  const se = new Float64Array(k);
  const z = new Float64Array(k);
  const waldP = new Float64Array(k);
  const seF = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    se[j] = Math.sqrt(full.covariance[j]![j]!);
    z[j] = full.beta[j]! / se[j]!;
    waldP[j] = twoSidedNormalP(z[j]!);
    seF[j] = Math.sqrt(atEstimate.fisherInverse[j]![j]!);
  }
  const df = k - (intercept ? 1 : 0);
  const lrStat = -2 * (nullFit.logLik - full.logLik);
  // Wald test as logistf's summary: β'V⁻¹β over all k coefficients, on df.
  const vInv = choleskyLogDetInverse(
    Float64Array.from({ length: k * k }, (_, i) => full.covariance[i % k]![Math.floor(i / k)]!),
    k,
  );
  let wald = Number.NaN;
  if (vInv) {
    wald = 0;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) wald += full.beta[a]! * vInv.inverse[a]![b]! * full.beta[b]!;
  }
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let e = data.offset[i]!;
    for (let j = 0; j < k; j++) e += data.columns[j * n + i]! * full.beta[j]!;
    eta[i] = e;
  }
  let nObs = 0;
  for (let i = 0; i < n; i++) nObs += data.weights[i]!;
  return {
    method: "firth",
    terms,
    coefficients: full.beta,
    standardErrors: se,
    covariance: full.covariance,
    standardErrorsFisher: seF,
    covarianceFisher: atEstimate.fisherInverse,
    zValues: z,
    waldPValues: waldP,
    penalizedLrStatistics: lr,
    penalizedLrPValues: lrP,
    restrictedLogLik: restricted,
    oddsRatios: full.beta.map(Math.exp),
    logLik: full.logLik,
    logLikNull: nullFit.logLik,
    likelihoodRatioTest: {
      statistic: lrStat,
      df,
      p: df > 0 ? chiSquareUpperTail(lrStat, df) : Number.NaN,
    },
    waldTest: { statistic: wald, df, p: df > 0 ? chiSquareUpperTail(wald, df) : Number.NaN },
    linearPredictor: eta,
    fitted: atEstimate.pi,
    hatDiagonal: atEstimate.hat,
    nObs,
    df,
    intercept,
    iterations: full.steps,
    converged: full.converged,
    convergence: full.convergence,
    warnings,
    data,
    control,
  };
}
