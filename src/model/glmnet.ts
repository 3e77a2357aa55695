/**
 * Binomial LASSO / elastic net as R glmnet 4.1-6 fits it (`glmnet(family = "binomial")`, the
 * two-class "lognet" solver), and `cv.glmnet` with a given `foldid`.
 *
 * The solver is a re-implementation of glmnet's published algorithm (Friedman, Hastie & Tibshirani
 * 2010, J Stat Softw 33(1); the Fortran routine `lognet2n` and its C++ port in glmnetpp):
 * - observation weights 1/n; columns centred and scaled by their weighted (1/n) sd when
 *   `standardize = TRUE`, coefficients mapped back at the end;
 * - lambda sequence: lambda[1] = +big (all-zero fit), lambda[2] = lambda_max * r,
 *   lambda[m] = lambda[m-1] * r with r = max(1e-6, lambda.min.ratio)^(1/(nlambda-1)); R then
 *   replaces lambda[1] by the geometric extrapolation exp(2 log lambda[2] - log lambda[3]);
 * - per lambda: sequential strong rule, IRLS outer loop (quadratic approximation of the log
 *   likelihood with weights w p (1-p)), cyclic coordinate descent over the strong set then over
 *   the active set until the largest weighted squared coefficient change `xv_j d_j^2` falls below
 *   `thresh * dev0` (dev0 = null deviance / (2 n)), KKT check of the remaining variables;
 * - path truncation (computed lambdas only, after the 5th): stop when the fraction of deviance
 *   explained exceeds 0.999, or grows by less than 1e-5, or the fitted variance vanishes.
 * Pure TypeScript on column-major Float64Arrays.
 */

/** glmnet.control() factory defaults (glmnet 4.1-6). */
export const GLMNET_CONTROL = {
  fdev: 1e-5,
  devmax: 0.999,
  eps: 1e-6,
  big: 9.9e35,
  mnlam: 5,
  pmin: 1e-9,
  exmx: 250,
} as const;

export interface GlmnetBinomialOptions {
  /** Elastic-net mixing (1 = lasso). Default 1. */
  alpha?: number;
  /** Number of lambda values. Default 100. */
  nlambda?: number;
  /** lambda.min.ratio; default as glmnet: 0.01 when n < p, else 1e-4. */
  lambdaMinRatio?: number;
  /** User lambda sequence (sorted decreasing internally); overrides nlambda / lambdaMinRatio. */
  lambda?: ArrayLike<number>;
  /** Standardize columns (default true). */
  standardize?: boolean;
  /** Fit an intercept (default true). */
  intercept?: boolean;
  /** Convergence threshold (default 1e-7). */
  thresh?: number;
  /** Maximum total coordinate-descent passes over all lambdas (default 1e5). */
  maxit?: number;
  /** Penalty factors per variable (default all 1). */
  penaltyFactor?: ArrayLike<number>;
}

/** A fitted glmnet binomial path (R's `glmnet` object, class "lognet"). */
export interface GlmnetBinomialPath {
  nObs: number;
  nVars: number;
  /** lambda values actually fitted (length = path length), lambda[0] already extrapolated (fix.lam). */
  lambda: Float64Array;
  /** Intercept per lambda. */
  a0: Float64Array;
  /** Coefficients on the input scale, column-major: beta[l * nVars + j]. */
  beta: Float64Array;
  /** Number of non-zero coefficients per lambda. */
  df: Int32Array;
  /** Fraction of null deviance explained per lambda. */
  devRatio: Float64Array;
  /** Null deviance (2 * sum of -loglik of the intercept-only model). */
  nullDeviance: number;
  /** Total coordinate-descent passes. */
  nPasses: number;
  /** glmnet's error code: 0, or -k when maxit was reached at the k-th lambda (path truncated). */
  jerr: number;
  /** Human-readable warning when jerr != 0. */
  warning?: string;
}

/** Column-major copy of feature columns (n x p). */
function packColumns(
  columns: readonly ArrayLike<number>[],
  what: string,
): { x: Float64Array; n: number; p: number } {
  const p = columns.length;
  if (p === 0) throw new Error(`${what}: no feature columns`);
  const n = columns[0]!.length;
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const c = columns[j]!;
    if (c.length !== n)
      throw new Error(`${what}: feature column ${j} has ${c.length} rows, expected ${n}`);
    for (let i = 0; i < n; i++) {
      const v = c[i]!;
      if (!Number.isFinite(v))
        throw new Error(`${what}: feature column ${j}, row ${i} is not finite (${v})`);
      x[j * n + i] = v;
    }
  }
  return { x, n, p };
}

function checkBinary(y: ArrayLike<number>, n: number, what: string): Float64Array {
  if (y.length !== n)
    throw new Error(`${what}: outcome has ${y.length} values, features have ${n} rows`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) throw new Error(`${what}: outcome row ${i} is ${v}, expected 0 or 1`);
    out[i] = v;
  }
  return out;
}

/**
 * Fit the binomial elastic-net path (glmnet(x, y, family = "binomial"), unit weights, no offset).
 * `columns[j]` is feature j (length n); `y` is 0/1 (1 = event, modelled class).
 */
export function glmnetBinomial(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  options: GlmnetBinomialOptions = {},
): GlmnetBinomialPath {
  const { x, n, p } = packColumns(columns, "glmnetBinomial");
  return glmnetBinomialPacked(x, n, p, checkBinary(y, n, "glmnetBinomial"), options);
}

/** As glmnetBinomial, on a column-major n x p matrix (not modified). */
export function glmnetBinomialPacked(
  xIn: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  options: GlmnetBinomialOptions = {},
): GlmnetBinomialPath {
  const parm = options.alpha ?? 1;
  const isd = options.standardize ?? true;
  const intr = options.intercept ?? true;
  const thr = options.thresh ?? 1e-7;
  const maxit = options.maxit ?? 100000;
  if (!(parm >= 0 && parm <= 1)) throw new Error(`glmnet: alpha must be in [0, 1], got ${parm}`);
  let nlam: number;
  let flmin: number;
  let ulam: Float64Array;
  if (options.lambda !== undefined) {
    const lam = Array.from(options.lambda);
    if (lam.length === 0) throw new Error("glmnet: empty lambda sequence");
    if (lam.some((v) => !(v >= 0))) throw new Error("glmnet: lambdas should be non-negative");
    lam.sort((a, b) => b - a);
    ulam = Float64Array.from(lam);
    nlam = lam.length;
    flmin = 1;
  } else {
    nlam = options.nlambda ?? 100;
    flmin = options.lambdaMinRatio ?? (n < p ? 1e-2 : 1e-4);
    if (!(flmin < 1)) throw new Error("glmnet: lambda.min.ratio should be less than 1");
    ulam = new Float64Array(1);
  }
  // penalty factors, normalised to sum to p
  const vq = new Float64Array(p);
  let vsum = 0;
  let vmax = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < p; j++) {
    const v = options.penaltyFactor ? options.penaltyFactor[j]! : 1;
    vmax = Math.max(vmax, v);
    vq[j] = Math.max(0, v);
    vsum += vq[j]!;
  }
  if (!(vmax > 0)) throw new Error("glmnet: all penalty factors are <= 0");
  for (let j = 0; j < p; j++) vq[j] = (vq[j]! * p) / vsum;

  const x = Float64Array.from(xIn);
  // chkvars: a column is usable when not constant
  const ju = new Uint8Array(p);
  let anyUsable = false;
  for (let j = 0; j < p; j++) {
    const off = j * n;
    const t = x[off]!;
    for (let i = 1; i < n; i++) {
      if (x[off + i] !== t) {
        ju[j] = 1;
        anyUsable = true;
        break;
      }
    }
  }
  if (!anyUsable) throw new Error("glmnet: all variables are constant (nothing to fit)");
  // class counts (lognet's R-level check)
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += y[i]!;
  if (Math.min(n1, n - n1) <= 1)
    throw new Error("glmnet: one binomial class has 1 or 0 observations; not allowed");
  // weights 1/n (unit observation weights, normalised)
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 1 / n;
  const sw = n;
  // lstandard1
  const xm = new Float64Array(p);
  const xs = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    if (!ju[j]) continue;
    const off = j * n;
    if (intr) {
      let m = 0;
      for (let i = 0; i < n; i++) m += w[i]! * x[off + i]!;
      xm[j] = m;
      for (let i = 0; i < n; i++) x[off + i] = x[off + i]! - m;
      if (isd) {
        let s = 0;
        for (let i = 0; i < n; i++) s += w[i]! * x[off + i]! * x[off + i]!;
        const sd = Math.sqrt(s);
        xs[j] = sd;
        for (let i = 0; i < n; i++) x[off + i] = x[off + i]! / sd;
      }
    } else if (isd) {
      let m = 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        m += w[i]! * x[off + i]!;
        s += w[i]! * x[off + i]! * x[off + i]!;
      }
      const sd = Math.sqrt(s - m * m);
      xs[j] = sd;
      for (let i = 0; i < n; i++) x[off + i] = x[off + i]! / sd;
    }
  }
  const fit = lognet2n(x, n, p, y, w, ju, vq, parm, nlam, flmin, ulam, thr, intr, maxit);
  if (fit.jerr > 0) {
    throw new Error(
      fit.jerr === 8001 || fit.jerr === 9001
        ? `glmnet: the mean outcome is too close to 0 or 1 (jerr ${fit.jerr})`
        : `glmnet: error code ${fit.jerr}`,
    );
  }
  const lmu = fit.lmu;
  const beta = new Float64Array(lmu * p);
  const a0 = new Float64Array(lmu);
  const df = new Int32Array(lmu);
  for (let k = 0; k < lmu; k++) {
    const nk = fit.kin[k]!;
    let b0 = fit.a0[k]!;
    for (let l = 0; l < nk; l++) {
      const j = fit.ia[l]!;
      let c = fit.ca[k * p + l]!;
      if (isd) c = c / xs[j]!;
      beta[k * p + j] = c;
      if (intr) b0 -= c * xm[j]!;
      if (c !== 0) df[k]!++;
    }
    a0[k] = intr ? b0 : 0;
  }
  const lambda = Float64Array.from(fit.alm.subarray(0, lmu));
  if (flmin < 1) fixLambda(lambda);
  const out: GlmnetBinomialPath = {
    nObs: n,
    nVars: p,
    lambda,
    a0,
    beta,
    df,
    devRatio: Float64Array.from(fit.dev.subarray(0, lmu)),
    nullDeviance: 2 * sw * fit.dev0,
    nPasses: fit.nlp,
    jerr: fit.jerr,
  };
  if (fit.jerr < 0) {
    out.warning = `convergence for ${-fit.jerr}th lambda value not reached after maxit=${maxit} iterations; solutions for larger lambdas returned`;
  }
  return out;
}

/** R glmnet's fix.lam: lambda[1] = exp(2 log lambda[2] - log lambda[3]) when the path has > 2 values. */
function fixLambda(lam: Float64Array): void {
  if (lam.length > 2) lam[0] = Math.exp(2 * Math.log(lam[1]!) - Math.log(lam[2]!));
}

interface LognetResult {
  lmu: number;
  a0: Float64Array;
  ca: Float64Array; // ca[k * p + l]: l-th active coefficient at lambda k
  ia: Int32Array; // active variables in order of entry
  kin: Int32Array;
  alm: Float64Array;
  dev: Float64Array;
  dev0: number;
  nlp: number;
  jerr: number;
}

/** glmnet's two-class lognet path solver on standardized columns (Newton IRLS, kopt = 0). */
function lognet2n(
  x: Float64Array,
  no: number,
  ni: number,
  y: Float64Array,
  w: Float64Array,
  ju: Uint8Array,
  vp: Float64Array,
  parm: number,
  nlam: number,
  flmin: number,
  ulam: Float64Array,
  shri: number,
  intr: boolean,
  maxit: number,
): LognetResult {
  const { fdev: sml, devmax, eps, big, mnlam, pmin } = GLMNET_CONTROL;
  const res: LognetResult = {
    lmu: 0,
    a0: new Float64Array(nlam),
    ca: new Float64Array(nlam * ni),
    ia: new Int32Array(ni),
    kin: new Int32Array(nlam),
    alm: new Float64Array(nlam),
    dev: new Float64Array(nlam),
    dev0: 0,
    nlp: 0,
    jerr: 0,
  };
  const b = new Float64Array(ni);
  const bs = new Float64Array(ni);
  const xv = new Float64Array(ni);
  const ga = new Float64Array(ni);
  const mm = new Int32Array(ni); // position (1-based) in the active list, 0 = never active
  const m = res.ia;
  const ixx = new Uint8Array(ni); // strong set
  const r = new Float64Array(no);
  const v = new Float64Array(no);
  const q = new Float64Array(no);
  const eta = new Float64Array(no);
  const fmax = Math.log(1.0 / pmin - 1.0);
  const fmin = -fmax;
  const vmin = (1.0 + pmin) * pmin * (1.0 - pmin);
  const bta = parm;
  const omb = 1.0 - bta;
  let q0 = 0;
  for (let i = 0; i < no; i++) q0 += w[i]! * y[i]!;
  if (q0 <= pmin) {
    res.jerr = 8001;
    return res;
  }
  if (q0 >= 1.0 - pmin) {
    res.jerr = 9001;
    return res;
  }
  if (!intr) q0 = 0.5;
  const bz = intr ? Math.log(q0 / (1.0 - q0)) : 0;
  const vi = q0 * (1.0 - q0);
  let b0 = bz;
  for (let i = 0; i < no; i++) {
    v[i] = vi * w[i]!;
    r[i] = w[i]! * (y[i]! - q0);
    q[i] = q0;
  }
  let xmz = vi;
  const dev1 = -(bz * q0 + Math.log(1.0 - q0));
  let dev0 = dev1;
  for (let i = 0; i < no; i++) {
    const yi = y[i]!;
    if (yi > 0) dev0 += w[i]! * yi * Math.log(yi);
    if (yi < 1) dev0 += w[i]! * (1.0 - yi) * Math.log(1.0 - yi);
  }
  res.dev0 = dev0;
  let alf = 1.0;
  if (flmin < 1.0) {
    const eqs = Math.max(eps, flmin);
    alf = eqs ** (1.0 / (nlam - 1));
  }
  let nin = 0;
  let nlp = 0;
  const mnl = Math.min(mnlam, nlam);
  const shr = shri * dev0;
  for (let j = 0; j < ni; j++) {
    if (!ju[j]) continue;
    ga[j] = Math.abs(dotCol(r, x, j * no, no));
  }
  let al = 0.0;
  let bs0 = 0;
  for (let ilm = 0; ilm < nlam; ilm++) {
    let al0 = al;
    if (flmin >= 1.0) al = ulam[ilm]!;
    else if (ilm > 1) al *= alf;
    else if (ilm === 0) al = big;
    else {
      al0 = 0.0;
      for (let j = 0; j < ni; j++) {
        if (!ju[j] || !(vp[j]! > 0)) continue;
        al0 = Math.max(al0, ga[j]! / vp[j]!);
      }
      al0 /= Math.max(bta, 1e-3);
      al = al0 * alf;
    }
    const al2 = al * omb;
    const al1 = al * bta;
    const tlam = bta * (2.0 * al - al0);
    for (let k = 0; k < ni; k++) {
      if (ixx[k] || !ju[k]) continue;
      if (ga[k]! > tlam * vp[k]!) ixx[k] = 1;
    }
    // IRLS outer loop
    for (;;) {
      if (nlp > maxit) {
        res.jerr = -(ilm + 1);
        res.nlp = nlp;
        return res;
      }
      bs0 = b0;
      for (let l = 0; l < nin; l++) bs[m[l]!] = b[m[l]!]!;
      for (let j = 0; j < ni; j++) {
        if (!ixx[j]) continue;
        const off = j * no;
        let s = 0;
        for (let i = 0; i < no; i++) {
          const xi = x[off + i]!;
          s += v[i]! * (xi * xi);
        }
        xv[j] = s;
      }
      // weighted least squares by coordinate descent
      for (;;) {
        nlp++;
        let dlx = 0.0;
        for (let k = 0; k < ni; k++) {
          if (!ixx[k]) continue;
          const off = k * no;
          const bk = b[k]!;
          const gk = dotCol(r, x, off, no);
          const u = gk + xv[k]! * bk;
          const au = Math.abs(u) - vp[k]! * al1;
          const bnew = au > 0.0 ? (u < 0 ? -au : au) / (xv[k]! + vp[k]! * al2) : 0.0;
          b[k] = bnew;
          const d = bnew - bk;
          if (Math.abs(d) <= 0.0) continue;
          dlx = Math.max(dlx, xv[k]! * d * d);
          for (let i = 0; i < no; i++) r[i] = r[i]! - d * v[i]! * x[off + i]!;
          if (mm[k] === 0) {
            m[nin] = k;
            nin++;
            mm[k] = nin;
          }
        }
        let d = 0.0;
        if (intr) d = sumArr(r) / xmz;
        if (d !== 0.0) {
          b0 += d;
          dlx = Math.max(dlx, xmz * d * d);
          for (let i = 0; i < no; i++) r[i] = r[i]! - d * v[i]!;
        }
        if (dlx < shr) break;
        if (nlp > maxit) {
          res.jerr = -(ilm + 1);
          res.nlp = nlp;
          return res;
        }
        // active-set passes
        for (;;) {
          nlp++;
          let dlx2 = 0.0;
          for (let l = 0; l < nin; l++) {
            const k = m[l]!;
            const off = k * no;
            const bk = b[k]!;
            const gk = dotCol(r, x, off, no);
            const u = gk + xv[k]! * bk;
            const au = Math.abs(u) - vp[k]! * al1;
            const bnew = au > 0.0 ? (u < 0 ? -au : au) / (xv[k]! + vp[k]! * al2) : 0.0;
            b[k] = bnew;
            const dd = bnew - bk;
            if (Math.abs(dd) <= 0.0) continue;
            dlx2 = Math.max(dlx2, xv[k]! * dd * dd);
            for (let i = 0; i < no; i++) r[i] = r[i]! - dd * v[i]! * x[off + i]!;
          }
          let d2 = 0.0;
          if (intr) d2 = sumArr(r) / xmz;
          if (d2 !== 0.0) {
            b0 += d2;
            dlx2 = Math.max(dlx2, xmz * d2 * d2);
            for (let i = 0; i < no; i++) r[i] = r[i]! - d2 * v[i]!;
          }
          if (dlx2 < shr) break;
          if (nlp > maxit) {
            res.jerr = -(ilm + 1);
            res.nlp = nlp;
            return res;
          }
        }
      }
      // new quadratic approximation
      eta.fill(b0);
      for (let l = 0; l < nin; l++) {
        const k = m[l]!;
        const bk = b[k]!;
        const off = k * no;
        for (let i = 0; i < no; i++) eta[i] = eta[i]! + bk * x[off + i]!;
      }
      let sv = 0;
      for (let i = 0; i < no; i++) {
        const fi = eta[i]!;
        const qi = fi < fmin ? 0.0 : fi > fmax ? 1.0 : 1.0 / (1.0 + Math.exp(-fi));
        q[i] = qi;
        const vv = w[i]! * qi * (1.0 - qi);
        v[i] = vv;
        sv += vv;
      }
      xmz = sv;
      if (xmz <= vmin) break;
      for (let i = 0; i < no; i++) r[i] = w[i]! * (y[i]! - q[i]!);
      if (xmz * (b0 - bs0) * (b0 - bs0) >= shr) continue;
      let ix = false;
      for (let l = 0; l < nin; l++) {
        const k = m[l]!;
        const dk = b[k]! - bs[k]!;
        if (xv[k]! * dk * dk >= shr) {
          ix = true;
          break;
        }
      }
      if (ix) continue;
      for (let k = 0; k < ni; k++) {
        if (ixx[k] || !ju[k]) continue;
        ga[k] = Math.abs(dotCol(r, x, k * no, no));
        if (ga[k]! > al1 * vp[k]!) {
          ixx[k] = 1;
          ix = true;
        }
      }
      if (ix) continue;
      break;
    }
    // store the solution at this lambda
    for (let l = 0; l < nin; l++) res.ca[ilm * ni + l] = b[m[l]!]!;
    res.kin[ilm] = nin;
    res.a0[ilm] = b0;
    res.alm[ilm] = al;
    res.lmu = ilm + 1;
    const devi = dev2(w, y, q, pmin);
    res.dev[ilm] = (dev1 - devi) / dev0;
    // glmnetpp: no stopping rule before the mnlam-th lambda or for user lambdas
    if (ilm + 1 < mnl || flmin >= 1.0) continue;
    let me = 0;
    for (let l = 0; l < nin; l++) if (res.ca[ilm * ni + l] !== 0.0) me++;
    const prev = ilm === 0 ? 0 : res.dev[ilm - 1]!;
    if (me > ni + 1 || res.dev[ilm]! - prev < sml || res.dev[ilm]! > devmax) break;
    if (xmz <= vmin) break;
  }
  res.nlp = nlp;
  return res;
}

function dotCol(r: Float64Array, x: Float64Array, off: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += r[i]! * x[off + i]!;
  return s;
}

function sumArr(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

function dev2(w: Float64Array, y: Float64Array, p: Float64Array, pmin: number): number {
  const pmax = 1.0 - pmin;
  let s = 0.0;
  for (let i = 0; i < w.length; i++) {
    const pi = Math.min(Math.max(pmin, p[i]!), pmax);
    s -= w[i]! * (y[i]! * Math.log(pi) + (1.0 - y[i]!) * Math.log(1.0 - pi));
  }
  return s;
}

/**
 * R's approx(x, y, xout) (linear, x strictly increasing) for a single point, as approx1 in
 * R's src/library/stats/src/approx.c: bisection, exact hits return y, else linear interpolation.
 */
function approxLinear(x: ArrayLike<number>, yv: ArrayLike<number>, v: number): number {
  let i = 0;
  let j = x.length - 1;
  if (v < x[i]!) return Number.NaN;
  if (v > x[j]!) return Number.NaN;
  while (i < j - 1) {
    const ij = Math.floor((i + j) / 2);
    if (v < x[ij]!) j = ij;
    else i = ij;
  }
  if (v === x[j]) return yv[j]!;
  if (v === x[i]) return yv[i]!;
  return yv[i]! + (yv[j]! - yv[i]!) * ((v - x[i]!) / (x[j]! - x[i]!));
}

/**
 * glmnet's lambda.interp: for each s, the bracketing path indices (0-based) and the weight of the
 * left one; coefficients at s = frac * coef[left] + (1 - frac) * coef[right]. s beyond the path is
 * clamped to its ends.
 */
export function lambdaInterp(
  lambda: ArrayLike<number>,
  s: ArrayLike<number>,
): { left: Int32Array; right: Int32Array; frac: Float64Array } {
  const ns = s.length;
  const left = new Int32Array(ns);
  const right = new Int32Array(ns);
  const frac = new Float64Array(ns).fill(1);
  const k = lambda.length;
  if (k === 1) return { left, right, frac };
  const l1 = lambda[0]!;
  const span = l1 - lambda[k - 1]!;
  const lnorm = new Float64Array(k);
  const idx = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    lnorm[i] = (l1 - lambda[i]!) / span;
    idx[i] = i + 1;
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    lo = Math.min(lo, lnorm[i]!);
    hi = Math.max(hi, lnorm[i]!);
  }
  for (let t = 0; t < ns; t++) {
    let sf = (l1 - s[t]!) / span;
    if (sf < lo) sf = lo;
    if (sf > hi) sf = hi;
    const coord = approxLinear(lnorm, idx, sf);
    const l = Math.floor(coord) - 1;
    const r = Math.ceil(coord) - 1;
    left[t] = l;
    right[t] = r;
    let f = (sf - lnorm[r]!) / (lnorm[l]! - lnorm[r]!);
    if (l === r) f = 1;
    if (Math.abs(lnorm[l]! - lnorm[r]!) < Number.EPSILON) f = 1;
    frac[t] = f;
  }
  return { left, right, frac };
}

/** Coefficients (intercept, beta) of a path at lambda = s, interpolated as predict.glmnet(s = s). */
export function glmnetCoefficients(
  path: GlmnetBinomialPath,
  s: number,
): { intercept: number; beta: Float64Array } {
  const p = path.nVars;
  const { left, right, frac } = lambdaInterp(path.lambda, [s]);
  const l = left[0]!;
  const r = right[0]!;
  const f = frac[0]!;
  const beta = new Float64Array(p);
  for (let j = 0; j < p; j++) beta[j] = path.beta[l * p + j]! * f + path.beta[r * p + j]! * (1 - f);
  return { intercept: path.a0[l]! * f + path.a0[r]! * (1 - f), beta };
}

/** Linear predictor a0 + x beta at lambda = s for rows of the column-major matrix x (n x p). */
export function glmnetPredictLinkPacked(
  path: GlmnetBinomialPath,
  x: Float64Array,
  n: number,
  s: number,
): Float64Array {
  const p = path.nVars;
  if (x.length !== n * p) throw new Error(`glmnet predict: matrix is not ${n} x ${p}`);
  const { intercept, beta } = glmnetCoefficients(path, s);
  const out = new Float64Array(n).fill(intercept);
  for (let j = 0; j < p; j++) {
    const bj = beta[j]!;
    if (bj === 0) continue;
    const off = j * n;
    for (let i = 0; i < n; i++) out[i] = out[i]! + x[off + i]! * bj;
  }
  return out;
}

export interface CvGlmnetOptions extends GlmnetBinomialOptions {
  /** Fold (1..K) of each row, as cv.glmnet's foldid. */
  foldid: ArrayLike<number>;
  /** "deviance" (default) or "auc". */
  typeMeasure?: "deviance" | "auc";
}

export interface CvGlmnetResult {
  /** The full-data fit (glmnet.fit). */
  fit: GlmnetBinomialPath;
  lambda: Float64Array;
  cvm: Float64Array;
  cvsd: Float64Array;
  cvup: Float64Array;
  cvlo: Float64Array;
  nzero: Int32Array;
  /** The measure actually used ("auc" falls back to "deviance" with < 10 rows per fold, as glmnet). */
  typeMeasure: "deviance" | "auc";
  lambdaMin: number;
  lambda1se: number;
  /** 0-based indices of lambda.min / lambda.1se in `lambda`. */
  indexMin: number;
  index1se: number;
  /** Fold fits, in fold order 1..K. */
  foldFits: GlmnetBinomialPath[];
  warnings: string[];
}

/**
 * cv.glmnet(x, y, family = "binomial", foldid = foldid, type.measure = ...) with grouped = TRUE:
 * each fold is fitted with its own lambda sequence, predictions at the full-data lambdas come from
 * lambda.interp; deviance = -2 (y log p + (1-y) log(1-p)) with p clipped to [1e-5, 1 - 1e-5];
 * per-fold means are combined with fold-size weights: cvm = weighted mean, cvsd =
 * sqrt(weighted mean of (fold mean - cvm)^2 / (K - 1)). lambda.min = largest lambda attaining
 * min(cvm); lambda.1se = largest lambda with cvm <= cvm[min] + cvsd[min] (AUC: on -cvm).
 */
export function cvGlmnetBinomial(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  options: CvGlmnetOptions,
): CvGlmnetResult {
  const { x, n, p } = packColumns(columns, "cvGlmnetBinomial");
  const yy = checkBinary(y, n, "cvGlmnetBinomial");
  const foldid = options.foldid;
  if (foldid.length !== n)
    throw new Error(`cv.glmnet: foldid has ${foldid.length} entries, data have ${n} rows`);
  let nfolds = 0;
  for (let i = 0; i < n; i++) {
    const f = foldid[i]!;
    if (!Number.isInteger(f) || f < 1)
      throw new Error(`cv.glmnet: foldid row ${i} is ${f}, expected an integer >= 1`);
    nfolds = Math.max(nfolds, f);
  }
  if (nfolds < 3) throw new Error("cv.glmnet: nfolds must be bigger than 3; nfolds=10 recommended");
  const warnings: string[] = [];
  const { foldid: _f, typeMeasure: tm, ...glmOpts } = options;
  const fit = glmnetBinomialPacked(x, n, p, yy, glmOpts);
  if (fit.warning) warnings.push(`full fit: ${fit.warning}`);
  const lambda = fit.lambda;
  const nlam = lambda.length;
  let typeMeasure: "deviance" | "auc" = tm ?? "deviance";
  if (typeMeasure === "auc" && n / nfolds < 10) {
    warnings.push(
      "Too few (< 10) observations per fold for type.measure='auc'; changed to 'deviance'",
    );
    typeMeasure = "deviance";
  }
  const predmat = new Float64Array(n * nlam); // column-major: predmat[l * n + i]
  const foldFits: GlmnetBinomialPath[] = [];
  for (let f = 1; f <= nfolds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < n; i++) (foldid[i] === f ? testIdx : trainIdx).push(i);
    if (testIdx.length === 0) throw new Error(`cv.glmnet: fold ${f} is empty`);
    const xt = subsetRows(x, n, p, trainIdx);
    const yt = Float64Array.from(trainIdx, (i) => yy[i]!);
    const ff = glmnetBinomialPacked(xt, trainIdx.length, p, yt, glmOpts);
    if (ff.warning) warnings.push(`fold ${f}: ${ff.warning}`);
    foldFits.push(ff);
    const { left, right, frac } = lambdaInterp(ff.lambda, lambda);
    const nt = testIdx.length;
    const xte = subsetRows(x, n, p, testIdx);
    const link = new Float64Array(nt);
    for (let l = 0; l < nlam; l++) {
      const li = left[l]!;
      const ri = right[l]!;
      const fr = frac[l]!;
      link.fill(ff.a0[li]! * fr + ff.a0[ri]! * (1 - fr));
      for (let j = 0; j < p; j++) {
        const bj = ff.beta[li * p + j]! * fr + ff.beta[ri * p + j]! * (1 - fr);
        if (bj === 0) continue;
        const off = j * nt;
        for (let t = 0; t < nt; t++) link[t] = link[t]! + xte[off + t]! * bj;
      }
      for (let t = 0; t < nt; t++) predmat[l * n + testIdx[t]!] = link[t]!;
    }
  }
  const foldSize = new Float64Array(nfolds);
  for (let i = 0; i < n; i++) foldSize[foldid[i]! - 1]!++;
  const cvm = new Float64Array(nlam);
  const cvsd = new Float64Array(nlam);
  const foldVal = new Float64Array(nfolds);
  const foldCount = new Float64Array(nfolds);
  const probMin = 1e-5;
  const probMax = 1 - probMin;
  for (let l = 0; l < nlam; l++) {
    foldVal.fill(0);
    foldCount.fill(0);
    if (typeMeasure === "deviance") {
      for (let i = 0; i < n; i++) {
        let pr = 1 / (1 + Math.exp(-predmat[l * n + i]!));
        pr = Math.min(Math.max(pr, probMin), probMax);
        const lp = yy[i] === 1 ? Math.log(pr) : Math.log(1 - pr);
        const f = foldid[i]! - 1;
        foldVal[f] = foldVal[f]! + 2 * (0 - lp);
        foldCount[f]!++;
      }
      for (let f = 0; f < nfolds; f++) foldVal[f] = foldVal[f]! / foldCount[f]!;
    } else {
      for (let f = 0; f < nfolds; f++) {
        const scores: number[] = [];
        const labels: number[] = [];
        for (let i = 0; i < n; i++) {
          if (foldid[i] !== f + 1) continue;
          scores.push(1 / (1 + Math.exp(-predmat[l * n + i]!)));
          labels.push(yy[i]!);
        }
        foldVal[f] = mannWhitneyAuc(scores, labels);
      }
    }
    let sw = 0;
    let s = 0;
    for (let f = 0; f < nfolds; f++) {
      s += foldVal[f]! * foldSize[f]!;
      sw += foldSize[f]!;
    }
    const mean = s / sw;
    let ss = 0;
    for (let f = 0; f < nfolds; f++) {
      const d = foldVal[f]! - mean;
      ss += d * d * foldSize[f]!;
    }
    cvm[l] = mean;
    cvsd[l] = Math.sqrt(ss / sw / (nfolds - 1));
  }
  const sign = typeMeasure === "auc" ? -1 : 1;
  let cvmin = Number.POSITIVE_INFINITY;
  for (let l = 0; l < nlam; l++) cvmin = Math.min(cvmin, sign * cvm[l]!);
  let indexMin = -1;
  for (let l = 0; l < nlam; l++) {
    if (sign * cvm[l]! <= cvmin && (indexMin < 0 || lambda[l]! > lambda[indexMin]!)) indexMin = l;
  }
  const semin = sign * cvm[indexMin]! + cvsd[indexMin]!;
  let index1se = -1;
  for (let l = 0; l < nlam; l++) {
    if (sign * cvm[l]! <= semin && (index1se < 0 || lambda[l]! > lambda[index1se]!)) index1se = l;
  }
  const cvup = new Float64Array(nlam);
  const cvlo = new Float64Array(nlam);
  for (let l = 0; l < nlam; l++) {
    cvup[l] = cvm[l]! + cvsd[l]!;
    cvlo[l] = cvm[l]! - cvsd[l]!;
  }
  return {
    fit,
    lambda,
    cvm,
    cvsd,
    cvup,
    cvlo,
    nzero: fit.df,
    typeMeasure,
    lambdaMin: lambda[indexMin]!,
    lambda1se: lambda[index1se]!,
    indexMin,
    index1se,
    foldFits,
    warnings,
  };
}

function subsetRows(x: Float64Array, n: number, p: number, rows: number[]): Float64Array {
  const nt = rows.length;
  const out = new Float64Array(nt * p);
  for (let j = 0; j < p; j++) {
    const off = j * n;
    const o2 = j * nt;
    for (let t = 0; t < nt; t++) out[o2 + t] = x[off + rows[t]!]!;
  }
  return out;
}

/**
 * AUC as the Mann-Whitney probability P(score_event > score_nonevent) + 0.5 P(tie), via midranks.
 * (Private helper for cv.glmnet's type.measure = "auc"; the pROC-exact module is src/stats/roc.ts.)
 */
function mannWhitneyAuc(scores: number[], labels: number[]): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const rank = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) rank[order[k]!] = mid;
    i = j + 1;
  }
  let n1 = 0;
  let rs = 0;
  for (let k = 0; k < n; k++) {
    if (labels[k] === 1) {
      n1++;
      rs += rank[k]!;
    }
  }
  const n0 = n - n1;
  if (n1 === 0 || n0 === 0) return Number.NaN;
  return (rs - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/**
 * KKT diagnostics of a binomial lasso solution for glmnet's objective
 * -loglik/n + lambda * sum_j sd_j |beta_j| (sd with divisor n): with gradient
 * g_j = x_j' (y - p) / n, the violation is max(0, |g_j| - lambda sd_j) for beta_j = 0 and
 * |g_j - lambda sd_j sign(beta_j)| otherwise. Returns max_j violation / lambda and the
 * intercept score |sum (y - p)| / n.
 */
export function binomialLassoKkt(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  lambda: number,
  intercept: number,
  beta: ArrayLike<number>,
): { maxViolationOverLambda: number; interceptScore: number } {
  const { x, n, p } = packColumns(columns, "binomialLassoKkt");
  const eta = new Float64Array(n).fill(intercept);
  for (let j = 0; j < p; j++) {
    const bj = beta[j]!;
    if (bj === 0) continue;
    for (let i = 0; i < n; i++) eta[i] = eta[i]! + x[j * n + i]! * bj;
  }
  const res = new Float64Array(n);
  let sres = 0;
  for (let i = 0; i < n; i++) {
    res[i] = y[i]! - 1 / (1 + Math.exp(-eta[i]!));
    sres += res[i]!;
  }
  let worst = 0;
  for (let j = 0; j < p; j++) {
    const off = j * n;
    let m = 0;
    for (let i = 0; i < n; i++) m += x[off + i]!;
    m /= n;
    let ss = 0;
    let g = 0;
    for (let i = 0; i < n; i++) {
      const d = x[off + i]! - m;
      ss += d * d;
      g += x[off + i]! * res[i]!;
    }
    const sd = Math.sqrt(ss / n);
    g /= n;
    const bj = beta[j]!;
    const viol =
      bj === 0 ? Math.max(0, Math.abs(g) - lambda * sd) : Math.abs(g - lambda * sd * Math.sign(bj));
    worst = Math.max(worst, viol);
  }
  return { maxViolationOverLambda: worst / lambda, interceptScore: Math.abs(sres) / n };
}
