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
export function lprob(eta: number): number {
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

export function lrmFitFlat(
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
