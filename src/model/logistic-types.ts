/**
 * The logistic model's options and result types: `LogisticOptions` (R `glm(weights, offset,
 * etastart)` and `glm.control`, plus the covariance behind the reported standard errors),
 * `LogisticFit` (what R's `glm` / `summary.glm` / `vcov` / `logLik` / `AIC` / `BIC` report, plus
 * statsmodels `Logit`'s Hessian standard errors), `WaldInference` (one covariance with its SE, z
 * and P) and `LogisticData` (the data kept for profiling and nested refits).
 * Pure TypeScript: runs in the browser.
 */
import type { SeparationKind } from "./logistic-separation.js";

/**
 * The covariance behind a fit's standard errors, z and P.
 * - `"irls"`: R `summary.glm` / `vcov.glm`, (X'WX)⁻¹ from the QR of the last IRLS iteration,
 *   whose weights W are those of the previous estimate (what R prints).
 * - `"hessian"`: the inverse observed information X' diag(w·μ(1−μ)) X at the final estimate
 *   (statsmodels `Logit` `bse` / `cov_params()`, Stata, SAS).
 * The two differ by about the last IRLS step (≈1e-8 to 1e-6 relative in P at glm's epsilon).
 */
export type LogisticCovariance = "irls" | "hessian";

/** Wald inference from one covariance matrix: SE = √diag, z = estimate / SE, P = 2·Φ(−|z|). */
export interface WaldInference {
  /** p × p covariance of the coefficients. */
  covariance: Float64Array[];
  standardErrors: Float64Array;
  zValues: Float64Array;
  /** Two-sided Wald P = 2·Φ(−|z|) (R `2 * pnorm(-abs(z))`). */
  pValues: Float64Array;
}

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
  /**
   * Covariance behind `standardErrors`, `covariance`, `zValues`, `pValues` (and the default of
   * `waldIntervals`): `"irls"` (default, R's `summary.glm` printout) or `"hessian"` (inverse
   * Hessian at the final estimate). Both are always available in `LogisticFit.inference`.
   */
  covariance?: LogisticCovariance;
}

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
  /** Which covariance the reported `standardErrors` / `covariance` / `zValues` / `pValues` use. */
  covarianceMethod: LogisticCovariance;
  /** Standard errors of the chosen covariance (default `"irls"`: R `summary.glm`). */
  standardErrors: Float64Array;
  /** The chosen covariance, p × p (default `"irls"`: R `vcov(glm)`). */
  covariance: Float64Array[];
  /** Wald z = estimate / standardErrors. */
  zValues: Float64Array;
  /** Two-sided Wald P = 2·Φ(−|z|). */
  pValues: Float64Array;
  /** Both covariances with their SE, z and P, whatever `covarianceMethod` is. */
  inference: Record<LogisticCovariance, WaldInference>;
  /** = `inference.hessian.standardErrors` (statsmodels `bse`), kept for existing callers. */
  standardErrorsHessian: Float64Array;
  /** = `inference.hessian.covariance` (statsmodels `cov_params()`). */
  covarianceHessian: Float64Array[];
  /** = `inference.hessian.zValues`. */
  zValuesHessian: Float64Array;
  /** = `inference.hessian.pValues`. */
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
