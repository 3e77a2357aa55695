/**
 * The binomial family with logit link, as R's `binomial()` object (C `logit_linkinv`,
 * `logit_mu_eta` in R's family.c): the clamped inverse link (|eta| > 30), its derivative
 * `mu.eta`, the summed deviance residuals `dev.resids` and the `aic` term used by `logLik.glm`.
 * Pure TypeScript: runs in the browser.
 */

export const DBL_EPSILON = 2.220446049250313e-16;
const THRESH = 30;
const MTHRESH = -30;
const INVEPS = 1 / DBL_EPSILON;

/** R's `binomial()$linkinv` (C `logit_linkinv`): exp(eta)/(1 + exp(eta)) with eta clamped to ±30. */
export function logitLinkInverse(eta: number): number {
  const t = eta < MTHRESH ? DBL_EPSILON : eta > THRESH ? INVEPS : Math.exp(eta);
  return t / (1 + t);
}

/** R's `binomial()$mu.eta` (C `logit_mu_eta`): exp(eta)/(1 + exp(eta))², DBL_EPSILON beyond ±30. */
export function logitMuEta(eta: number): number {
  const opexp = 1 + Math.exp(eta);
  return eta > THRESH || eta < MTHRESH ? DBL_EPSILON : Math.exp(eta) / (opexp * opexp);
}

/** R's `binomial()$dev.resids` summed: 2·Σ w·(y·log(y/mu) + (1−y)·log((1−y)/(1−mu))). */
export function binomialDeviance(y: Float64Array, mu: ArrayLike<number>, w: Float64Array): number {
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
export function binomialAicPart(y: Float64Array, mu: Float64Array, w: Float64Array): number {
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
