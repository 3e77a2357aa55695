/**
 * The IRLS core: R's `stats::glm.fit` for the binomial family with logit link (start
 * mu = (w·y + 0.5)/(w + 1), Householder-QR weighted least squares per step, stop when
 * |dev − dev_old| / (|dev| + 0.1) < epsilon, step halving on divergence, R's warnings), and the
 * unscaled covariance R's `summary.glm` prints from it.
 *
 * Covariance (R src/library/stats/R/glm.R): every iteration forms the working weights
 * W = w·μ'(η)²/V(μ) from the current estimate, takes the QR of √W·X and solves for the next
 * estimate; glm.fit returns the QR of the iteration at which the deviance criterion was met, and
 * summary.glm computes `covmat.unscaled = chol2inv(Qr$qr[p1, p1])` = (X'WX)⁻¹ from its R factor.
 * So the printed SEs use the weights of the estimate BEFORE the final one (a Newton step behind),
 * not the Hessian at the final estimate (logistic-wald.ts `hessianCovariance`).
 * Pure TypeScript: runs in the browser.
 */
import { binomialDeviance, logitLinkInverse, logitMuEta } from "./logistic-family.js";
import { chol2inv, householderLeastSquares } from "./logistic-qr.js";

export interface IrlsResult {
  coef: Float64Array;
  eta: Float64Array;
  mu: Float64Array;
  deviance: number;
  iterations: number;
  converged: boolean;
  boundary: boolean;
  /**
   * R `summary.glm` `covmat.unscaled`: chol2inv of the last iteration's QR, i.e. (X'WX)⁻¹ with
   * the working weights of the previous estimate (those the last step started from).
   */
  covUnscaled: Float64Array[];
  warnings: string[];
}

export function irls(
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
    // R factor of √W·X with W from the estimate this step starts from (glm.fit keeps this QR)
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
