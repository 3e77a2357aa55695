/**
 * Profile penalised-likelihood confidence intervals of Firth's logistic regression as R's
 * `logistf` computes them (its C routine `logistplfit`, called by `logistpl` for each coefficient
 * and each side; read, not copied): the method of Venzon & Moolgavkar (1988, Appl Stat 37:87-94)
 * applied to the penalised log-likelihood l*. Starting at the penalised estimate, each iteration
 * takes U* (the modified score) and V = (X'W*X)⁻¹ (the inverse augmented information), sets
 * λ = ±√((2·(l* − l₀) + U*'VU*) / V_jj) (0 when the root is negative) with the cut-off
 * l₀ = l*(β̂) − χ²₁(level)/2, and moves β by δ = V·(U* + λ·e_j), scaled so that max|δ| ≤ maxstep;
 * it stops when |l* − l₀| ≤ lconv and max|δ| < xconv (`logistpl.control()`: maxit 100, maxhs 0,
 * maxstep 5, lconv = xconv = 1e-5). At the fixed point every other coefficient maximises l* and
 * l* = l₀, so the bound is the root of the profile penalised likelihood. A bound whose iteration
 * fails (the information becomes singular far out) is ±Infinity with a warning, where logistf stops
 * with an error. Also `fitFirthLogistic`, the whole of `logistf(..., pl = TRUE)`: fit, penalised
 * LR tests and these intervals.
 * Pure TypeScript: runs in the browser.
 */
import { type FirthFit, type FirthOptions, fitFirth } from "./firth.js";
import {
  augmentedCovariance,
  type FirthData,
  type FirthState,
  firthState,
} from "./firth-newton.js";
import { chiSquareQuantile, normalQuantileStd } from "./logistic-distributions.js";
import { type ConfidenceIntervals, withOddsRatios } from "./logistic-wald.js";

/** `logistpl.control()`: settings of the profile-interval iteration (firth-profile.ts). */
export interface FirthProfileControl {
  maxIterations: number;
  maxHalfSteps: number;
  maxStep: number;
  lconv: number;
  xconv: number;
}

export const FIRTH_PROFILE_CONTROL_DEFAULTS: Readonly<FirthProfileControl> = {
  maxIterations: 100,
  maxHalfSteps: 0,
  maxStep: 5,
  lconv: 1e-5,
  xconv: 1e-5,
};

/** Options of `fitFirthLogistic`: `fitFirth`'s and logistf's `alpha`, `pl`, `plcontrol`. */
export interface FirthLogisticOptions extends FirthOptions {
  /** Confidence level 1 − alpha of the intervals, default 0.95 (logistf `alpha = 0.05`). */
  level?: number;
  /** logistf `pl`: profile intervals and penalised LR P values (default true), or Wald. */
  profile?: boolean;
  profileControl?: Partial<FirthProfileControl>;
}

/** Wald interval β ± Φ⁻¹(1 − α/2)·SE with logistf's standard errors. */
export function firthWaldIntervals(
  fit: FirthFit,
  level = 0.95,
): { lower: Float64Array; upper: Float64Array } {
  const q = normalQuantileStd(1 - (1 - level) / 2);
  return {
    lower: fit.coefficients.map((b, j) => b - q * fit.standardErrors[j]!),
    upper: fit.coefficients.map((b, j) => b + q * fit.standardErrors[j]!),
  };
}

export interface FirthProfileBound {
  bound: number;
  /** Iterations (logistf `pl.iter`). */
  iterations: number;
  converged: boolean;
  /** logistf `pl.conv`: |l* − l₀| and max |δ| at the end. */
  logLikGap: number;
  maxAbsStep: number;
}

/**
 * One profile bound of coefficient `j` (`which` −1: lower, +1: upper), starting from `start`
 * (the penalised estimate), for the cut-off `target` = l₀.
 */
export function firthProfileBound(
  d: FirthData,
  start: ArrayLike<number>,
  j: number,
  target: number,
  which: -1 | 1,
  control: FirthProfileControl,
  name: string,
): FirthProfileBound {
  const { k } = d;
  const where = `profile ${which < 0 ? "lower" : "upper"} bound of '${name}'`;
  const beta = Float64Array.from(start);
  let state: FirthState = firthState(d, beta, where);
  let logLik = state.finite ? state.logLik : 0;
  // As logistf, once l* is not finite (an infinite linear predictor) it keeps its last finite
  // value and V is no longer refreshed.
  let stuck = false;
  const all = Array.from({ length: k }, (_, c) => c);
  let V = augmentedCovariance(d, state, all, where);
  const delta = new Float64Array(k);
  let iterations = 0;
  for (;;) {
    const U = Float64Array.from(state.score);
    let q = 0;
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += V[a]![b]! * U[b]!;
      q += U[a]! * s;
    }
    const underRoot = (2 * (logLik - target) + q) / V[j]![j]!;
    const lambda = underRoot < 0 ? 0 : which * Math.sqrt(underRoot);
    U[j] = U[j]! + lambda;
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += V[a]![b]! * U[b]!;
      delta[a] = s;
    }
    if (control.maxStep >= 0) {
      const mx = delta.reduce((m, x) => Math.max(m, Math.abs(x)), 0) / control.maxStep;
      if (mx > 1) for (let a = 0; a < k; a++) delta[a] = delta[a]! / mx;
    }
    for (let a = 0; a < k; a++) beta[a] = beta[a]! + delta[a]!;
    const logLikOld = logLik;
    for (let halves = 0; ; ) {
      const next = firthState(d, beta, where);
      state = next;
      if (!next.finite) {
        stuck = true;
        logLik = logLikOld;
      } else logLik = next.logLik;
      if (stuck) break;
      V = augmentedCovariance(d, state, all, where);
      halves++;
      if (
        halves >= control.maxHalfSteps ||
        (Math.abs(logLik - target) < Math.abs(logLikOld - target) && logLik > target)
      )
        break;
      for (let a = 0; a < k; a++) {
        delta[a] = delta[a]! / 2;
        beta[a] = beta[a]! - delta[a]!;
      }
    }
    iterations++;
    const maxAbsStep = delta.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    const gap = Math.abs(logLik - target);
    const converged = gap <= control.lconv && maxAbsStep < control.xconv;
    if (iterations >= control.maxIterations || converged) {
      return { bound: beta[j]!, iterations, converged, logLikGap: gap, maxAbsStep };
    }
  }
}

export interface FirthProfileIntervals extends ConfidenceIntervals {
  lowerDetails: FirthProfileBound[];
  upperDetails: FirthProfileBound[];
  warnings: string[];
}

/**
 * Profile penalised-likelihood intervals of every coefficient (logistf `ci.lower` / `ci.upper`
 * with `pl = TRUE`), at confidence `level`.
 */
export function firthProfileIntervals(
  fit: FirthFit,
  level = 0.95,
  control: Partial<FirthProfileControl> = {},
): FirthProfileIntervals {
  const ctl: FirthProfileControl = { ...FIRTH_PROFILE_CONTROL_DEFAULTS, ...control };
  if (!(level > 0 && level < 1)) throw new Error(`firth: level must be in (0, 1), got ${level}`);
  const target = fit.logLik - chiSquareQuantile(level, 1) / 2;
  const k = fit.coefficients.length;
  const lower = new Float64Array(k);
  const upper = new Float64Array(k);
  const lowerDetails: FirthProfileBound[] = [];
  const upperDetails: FirthProfileBound[] = [];
  const warnings: string[] = [];
  for (let j = 0; j < k; j++) {
    for (const which of [-1, 1] as const) {
      let b: FirthProfileBound;
      try {
        b = firthProfileBound(fit.data, fit.coefficients, j, target, which, ctl, fit.terms[j]!);
      } catch (err) {
        // logistf stops with this error; the other bounds stay usable here.
        const side = which < 0 ? "lower" : "upper";
        warnings.push(
          `firth: no profile ${side} bound of '${fit.terms[j]}' was found (${(err as Error).message}); it is reported as ${which < 0 ? "-" : ""}Infinity`,
        );
        b = {
          bound: which * Number.POSITIVE_INFINITY,
          iterations: 0,
          converged: false,
          logLikGap: Number.NaN,
          maxAbsStep: Number.NaN,
        };
      }
      if (!b.converged && Number.isFinite(b.bound))
        warnings.push(
          `firth: the profile ${which < 0 ? "lower" : "upper"} bound of '${fit.terms[j]}' did not converge in ${ctl.maxIterations} iterations (|l* - l0| = ${b.logLikGap.toExponential(2)})`,
        );
      if (which < 0) {
        lower[j] = b.bound;
        lowerDetails.push(b);
      } else {
        upper[j] = b.bound;
        upperDetails.push(b);
      }
    }
  }
  return { ...withOddsRatios(lower, upper), lowerDetails, upperDetails, warnings };
}

/** `logistf(...)`'s result: the penalised fit with its intervals and the P values it prints. */
export interface FirthLogisticFit extends FirthFit {
  level: number;
  /** Profile penalised-likelihood intervals (`profile` true, the default) or Wald intervals. */
  confidenceIntervals: ConfidenceIntervals;
  intervalMethod: "profile penalized likelihood" | "Wald";
  /** logistf `summary`'s Chisq: the penalised LR statistic (profile) or z² (Wald). */
  chiSquare: Float64Array;
  /** logistf `prob`: penalised LR P (profile) or Wald P. */
  pValues: Float64Array;
  profile: FirthProfileIntervals | null;
}

/**
 * The whole of R's `logistf(y ~ x, pl = TRUE)`: Firth's penalised fit (`fitFirth`), each
 * coefficient's penalised likelihood-ratio test, and profile penalised-likelihood intervals
 * (`options.profile` false: Wald intervals and P values, as `pl = FALSE`).
 */
export function fitFirthLogistic(
  X: ArrayLike<number>[],
  y: ArrayLike<number>,
  options: FirthLogisticOptions = {},
): FirthLogisticFit {
  const fit = fitFirth(X, y, options);
  const level = options.level ?? 0.95;
  const usePl = options.profile ?? true;
  if (usePl) {
    const profile = firthProfileIntervals(fit, level, options.profileControl);
    fit.warnings.push(...profile.warnings);
    return {
      ...fit,
      level,
      confidenceIntervals: profile,
      intervalMethod: "profile penalized likelihood",
      chiSquare: fit.penalizedLrStatistics,
      pValues: fit.penalizedLrPValues,
      profile,
    };
  }
  const w = firthWaldIntervals(fit, level);
  return {
    ...fit,
    level,
    confidenceIntervals: withOddsRatios(w.lower, w.upper),
    intervalMethod: "Wald",
    chiSquare: fit.zValues.map((z) => z * z),
    pValues: fit.waldPValues,
    profile: null,
  };
}
