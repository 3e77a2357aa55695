/**
 * The logistic model's options and result types: `LogisticOptions` (R `glm(weights, offset,
 * etastart)` and `glm.control`), `LogisticFit` (what R's `glm` / `summary.glm` / `vcov` /
 * `logLik` / `AIC` / `BIC` report, plus statsmodels `Logit`'s Hessian standard errors) and
 * `LogisticData` (the data kept for profiling and nested refits).
 * Pure TypeScript: runs in the browser.
 */
import type { SeparationKind } from "./logistic-separation.js";

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
