/**
 * The engine of Firth's penalised-likelihood logistic regression (firth.ts) as R's `logistf` 1.26
 * computes it (its C routine `logistffit_revised` and R function `logistf.fit`; read, not copied):
 * the data of a fit (`FirthData`), the penalised log-likelihood l*(β) = l(β) + τ·log|X'WX| with
 * its modified score U* and hat diagonal h at β (`firthState`), the inverse augmented
 * information (X'W*X)⁻¹ with W* = diag((w + 2τh)·π(1−π)) (`augmentedCovariance`), logistf's
 * Newton-Raphson over a subset of the coefficients with `logistf.control()`'s settings
 * (`firthNewtonRaphson`), and logistf.fit's row collapsing (`collapseRows`). Firth 1993,
 * Biometrika 80:27-38; Heinze & Schemper 2002, Stat Med 21:2409-2419.
 * Pure TypeScript: runs in the browser.
 */
import { chol2inv } from "./logistic-qr.js";

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

/** Cholesky factor of the symmetric k × k matrix A (column-major): log|A| and A⁻¹. */
export function choleskyLogDetInverse(
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

/** 0, 1, …, k − 1: every coefficient. */
export const allCoefficients = (k: number): number[] => Array.from({ length: k }, (_, j) => j);

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
  const chol = choleskyLogDetInverse(crossProduct(d, v, allCoefficients(k)), k);
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
