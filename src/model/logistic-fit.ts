/**
 * Fitting: R's `glm(family = binomial)` from the caller's rows (`fitLogistic`: validation and the
 * model matrix) to the fitted object (`fitFromData`: IRLS as `glm.fit`, the null deviance, the
 * `summary.glm` Wald standard errors / z / P from the last IRLS iteration's QR, `logLik.glm`,
 * `AIC`, `BIC`, Hessian-at-the-final-estimate standard errors as statsmodels `Logit` `bse` (the
 * `covariance` option says which of the two the reported SE / z / P use), odds ratios and
 * separation warnings).
 * Pure TypeScript: runs in the browser.
 */
import {
  binomialAicPart,
  binomialDeviance,
  DBL_EPSILON,
  logitLinkInverse,
} from "./logistic-family.js";
import { irls } from "./logistic-irls.js";
import { diagnoseSeparation, hasBoundaryFit } from "./logistic-separation.js";
import type {
  LogisticCovariance,
  LogisticData,
  LogisticFit,
  LogisticOptions,
} from "./logistic-types.js";
import { covarianceMethodOf, hessianCovariance, waldInference } from "./logistic-wald.js";

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

/**
 * Fits a logistic regression by R's glm.fit IRLS (see the module comment). `X` holds n rows of p
 * predictor values without an intercept column; `y` is 0/1. Returns estimates, standard errors /
 * z / P of `options.covariance` (default `"irls"`: R's summary.glm printout, from the last IRLS
 * iteration; `"hessian"`: inverse Hessian at the final estimate), both in `inference`, deviances, df, logLik,
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
  const covarianceMethod = covarianceMethodOf(options.covariance);
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
  return fitFromData(data, intercept, terms, covarianceMethod, options.etaStart);
}

function fitFromData(
  data: LogisticData,
  intercept: boolean,
  terms: string[],
  covarianceMethod: LogisticCovariance,
  etaStart?: ArrayLike<number>,
): LogisticFit {
  const { n, p, columns: cols, y, weights, offset, epsilon, maxIterations } = data;
  const r = irls(cols, n, p, y, weights, offset, epsilon, maxIterations, etaStart, terms);
  const warnings = [...r.warnings];
  const eps10 = 10 * DBL_EPSILON;
  if (r.mu.some((m) => m > 1 - eps10 || m < eps10))
    warnings.push("glm.fit: fitted probabilities numerically 0 or 1 occurred");
  const separation = diagnoseSeparation(cols, n, p, y, r.mu, weights, r.converged);
  if (separation !== "none") {
    warnings.push(
      `${separation} separation: the outcome is (partly) perfectly predicted; estimates diverge and fitted probabilities reach 0 or 1, so coefficients, standard errors and Wald tests are not meaningful`,
    );
  } else if (hasBoundaryFit(y, r.mu, weights)) {
    warnings.push(
      "no separation (exact linear-programming check), but some fitted probabilities are within 1e-8 of the outcome: the estimates are finite but extreme and unstable",
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
  // R summary.glm: chol2inv of the R factor of the last IRLS iteration's QR (logistic-irls.ts)
  const irlsInference = waldInference(r.coef, r.covUnscaled);
  let covH = hessianCovariance(data, r.mu);
  if (covH === null) {
    covH = Array.from({ length: p }, () => new Float64Array(p).fill(Number.NaN));
    warnings.push(
      "the information matrix at the final estimate is singular (fitted probabilities at 0 or 1): Hessian standard errors, z and P are NaN",
    );
  }
  const hessianInference = waldInference(r.coef, covH);
  const chosen = covarianceMethod === "irls" ? irlsInference : hessianInference;
  return {
    terms,
    coefficients: r.coef,
    covarianceMethod,
    standardErrors: chosen.standardErrors,
    covariance: chosen.covariance,
    zValues: chosen.zValues,
    pValues: chosen.pValues,
    inference: { irls: irlsInference, hessian: hessianInference },
    standardErrorsHessian: hessianInference.standardErrors,
    covarianceHessian: hessianInference.covariance,
    zValuesHessian: hessianInference.zValues,
    pValuesHessian: hessianInference.pValues,
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
