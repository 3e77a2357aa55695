/**
 * LOWESS scatterplot smoothing and linear interpolation, as R's `stats::lowess` and
 * `stats::approx`.
 *
 * `lowess` follows Cleveland (1979, JASA 74:829-836; 1981, Am. Stat. 35:54) in the form of R's
 * `clowess` (src/library/stats/src/lowess.c): points sorted by x (stable, as R's `order`); each fit
 * uses the ns = max(2, min(n, floor(f·n + 1e-7))) nearest neighbours (all ties at the window
 * edge included), tricube weights (1 − (r/h)³)³ with r <= 0.001·h counted as weight 1 and r >
 * 0.999·h as 0, a weighted linear fit when the weighted spread sqrt(Σw(x − x̄)²) exceeds
 * 0.001·range(x) (else the weighted mean), fits skipped for points within `delta` of the last
 * fitted x (linear interpolation between fitted points; tied x copy the fit), and `iter`
 * robustness iterations with bisquare weights of the residuals scaled by 6·median|residual|.
 */

export interface LowessOptions {
  /** Smoother span: the fraction of points in each local fit (R default 2/3). */
  f?: number;
  /** Number of robustifying iterations (R default 3; rms uses 0). */
  iter?: number;
  /** Skip distance (R default 0.01·(max(x) − min(x))). */
  delta?: number;
}

export interface XYCurve {
  /** x sorted ascending. */
  x: Float64Array;
  /** Smoothed (or collapsed) y at each x. */
  y: Float64Array;
}

/**
 * R's `lowess(x, y, f, iter, delta)`: returns x sorted ascending and the smoothed values.
 * Throws on length mismatch, non-finite values or invalid options.
 */
export function lowess(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: LowessOptions = {},
): XYCurve {
  const n = x.length;
  if (y.length !== n) throw new Error(`lowess: x has ${n} values but y has ${y.length}`);
  if (n === 0) throw new Error("lowess: no points");
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) {
      throw new Error(`lowess: non-finite value at point ${i + 1} (x = ${x[i]}, y = ${y[i]})`);
    }
  }
  const f = options.f ?? 2 / 3;
  const iter = options.iter ?? 3;
  if (!(Number.isFinite(f) && f > 0))
    throw new Error(`lowess: 'f' must be finite and > 0, got ${f}`);
  if (!(Number.isInteger(iter) && iter >= 0)) {
    throw new Error(`lowess: 'iter' must be an integer >= 0, got ${iter}`);
  }
  const order = stableOrder(x);
  const xs = new Float64Array(n);
  const ysIn = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = x[order[i]!]!;
    ysIn[i] = y[order[i]!]!;
  }
  const delta = options.delta ?? 0.01 * (xs[n - 1]! - xs[0]!);
  if (!(Number.isFinite(delta) && delta >= 0)) {
    throw new Error(`lowess: 'delta' must be finite and >= 0, got ${delta}`);
  }
  return { x: xs, y: clowess(xs, ysIn, f, iter, delta) };
}

/** Indices sorting `v` ascending, ties in original order (R's `order`, a stable sort). */
export function stableOrder(v: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(v.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => v[a]! - v[b]! || a - b);
  return idx;
}

/**
 * Local weighted linear fit at xs over points nleft..nright (0-based here, sorted x), R's `lowest`:
 * same operations in the same order as the C code. Returns the fitted value, or NaN when all
 * weights are zero.
 */
function lowest(
  x: Float64Array,
  y: Float64Array,
  n: number,
  xs: number,
  nleft: number,
  nright: number,
  w: Float64Array,
  useRobustness: boolean,
  rw: Float64Array,
): number {
  const range = x[n - 1]! - x[0]!;
  const h = Math.max(xs - x[nleft]!, x[nright]! - xs);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  let j = nleft;
  for (; j < n; j++) {
    const xj = x[j]!;
    const r = Math.abs(xj - xs);
    if (r <= h9) {
      let wj: number;
      if (r <= h1) wj = 1;
      else {
        const q = r / h;
        const t = 1 - q * q * q;
        wj = t * t * t;
      }
      if (useRobustness) wj *= rw[j]!;
      w[j] = wj;
      a += wj;
    } else {
      w[j] = 0;
      if (xj > xs) break;
    }
  }
  const nrt = j - 1;
  if (a <= 0) return Number.NaN;
  for (j = nleft; j <= nrt; j++) w[j] = w[j]! / a;
  if (h > 0) {
    a = 0;
    for (j = nleft; j <= nrt; j++) a += w[j]! * x[j]!;
    let b = xs - a;
    let c = 0;
    for (j = nleft; j <= nrt; j++) {
      const d = x[j]! - a;
      c += w[j]! * (d * d);
    }
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (j = nleft; j <= nrt; j++) w[j] = w[j]! * (b * (x[j]! - a) + 1);
    }
  }
  let ys = 0;
  for (j = nleft; j <= nrt; j++) ys += w[j]! * y[j]!;
  return ys;
}

/** R's `clowess` on x sorted ascending. */
function clowess(
  x: Float64Array,
  y: Float64Array,
  f: number,
  nsteps: number,
  delta: number,
): Float64Array {
  const n = x.length;
  const ys = new Float64Array(n);
  if (n < 2) {
    ys[0] = y[0]!;
    return ys;
  }
  const rw = new Float64Array(n);
  const res = new Float64Array(n);
  const ns = Math.max(2, Math.min(n, Math.floor(f * n + 1e-7)));
  for (let iteration = 1; iteration <= nsteps + 1; iteration++) {
    let nleft = 1;
    let nright = ns;
    let last = 0;
    let i = 1;
    for (;;) {
      if (nright < n) {
        const d1 = x[i - 1]! - x[nleft - 1]!;
        const d2 = x[nright]! - x[i - 1]!;
        if (d1 > d2) {
          nleft++;
          nright++;
          continue;
        }
      }
      const fit = lowest(x, y, n, x[i - 1]!, nleft - 1, nright - 1, res, iteration > 1, rw);
      ys[i - 1] = Number.isNaN(fit) ? y[i - 1]! : fit;
      if (last < i - 1) {
        const denom = x[i - 1]! - x[last - 1]!;
        for (let j = last + 1; j < i; j++) {
          const alpha = (x[j - 1]! - x[last - 1]!) / denom;
          ys[j - 1] = alpha * ys[i - 1]! + (1 - alpha) * ys[last - 1]!;
        }
      }
      last = i;
      const cut = x[last - 1]! + delta;
      for (i = last + 1; i <= n; i++) {
        if (x[i - 1]! > cut) break;
        if (x[i - 1] === x[last - 1]) {
          ys[i - 1] = ys[last - 1]!;
          last = i;
        }
      }
      i = Math.max(last + 1, i - 1);
      if (last >= n) break;
    }
    for (let k = 0; k < n; k++) res[k] = y[k]! - ys[k]!;
    let sc = 0;
    for (let k = 0; k < n; k++) sc += Math.abs(res[k]!);
    sc /= n;
    if (iteration > nsteps) break;
    for (let k = 0; k < n; k++) rw[k] = Math.abs(res[k]!);
    const sorted = Float64Array.from(rw).sort();
    const m1 = Math.floor(n / 2);
    const cmad = n % 2 === 0 ? 3 * (sorted[m1]! + sorted[n - m1 - 1]!) : 6 * sorted[m1]!;
    if (cmad < 1e-7 * sc) break;
    const c9 = 0.999 * cmad;
    const c1 = 0.001 * cmad;
    for (let k = 0; k < n; k++) {
      const r = Math.abs(res[k]!);
      if (r <= c1) rw[k] = 1;
      else if (r <= c9) {
        const q = r / cmad;
        const t = 1 - q * q;
        rw[k] = t * t;
      } else rw[k] = 0;
    }
  }
  return ys;
}

/** How `approx` collapses tied x values: R's `ties = mean` or `ties = function(x) x[1]`. */
export type ApproxTies = "mean" | "first";

/**
 * R's mean of a vector: the sum divided by n, then refined by the mean of the deviations
 * (R's summary.c; R accumulates in long double, this in double).
 */
export function rMean(v: ArrayLike<number>, from = 0, to = v.length): number {
  const n = to - from;
  let s = 0;
  for (let i = from; i < to; i++) s += v[i]!;
  s /= n;
  if (Number.isFinite(s)) {
    let t = 0;
    for (let i = from; i < to; i++) t += v[i]! - s;
    s += t / n;
  }
  return s;
}

/**
 * R's `regularize.values` for `approx`: sort by x (stable), collapse tied x with `ties`.
 * Non-finite pairs are an error (R drops NAs; our callers never pass them).
 */
export function regularizeValues(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  ties: ApproxTies,
): XYCurve {
  const n = x.length;
  if (y.length !== n) throw new Error(`approx: x has ${n} values but y has ${y.length}`);
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (x[i]! < x[i - 1]!) {
      sorted = false;
      break;
    }
  }
  let xs: Float64Array;
  let ys: Float64Array;
  if (sorted) {
    xs = Float64Array.from(x);
    ys = Float64Array.from(y);
  } else {
    const o = stableOrder(x);
    xs = new Float64Array(n);
    ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = x[o[i]!]!;
      ys[i] = y[o[i]!]!;
    }
  }
  let unique = 0;
  for (let i = 0; i < n; i++) if (i === 0 || xs[i] !== xs[i - 1]) unique++;
  if (unique === n) return { x: xs, y: ys };
  const ux = new Float64Array(unique);
  const uy = new Float64Array(unique);
  let k = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && xs[j] === xs[i]) j++;
    ux[k] = xs[i]!;
    uy[k] = ties === "first" ? ys[i]! : rMean(ys, i, j);
    k++;
    i = j;
  }
  return { x: ux, y: uy };
}

/**
 * R's `approx(x, y, xout, ties, rule = 1)$y`: linear interpolation (bisection search, exact hits
 * return the knot's y), NaN (R's NA) outside [min x, max x].
 */
export function approx(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xout: ArrayLike<number>,
  ties: ApproxTies = "mean",
): Float64Array {
  const curve = regularizeValues(x, y, ties);
  if (curve.x.length < 2)
    throw new Error("approx: need at least two distinct x values to interpolate");
  return approxSorted(curve.x, curve.y, xout);
}

/** Linear interpolation on already regularized knots (strictly increasing x), R's `approx1`. */
export function approxSorted(
  x: Float64Array,
  y: Float64Array,
  xout: ArrayLike<number>,
): Float64Array {
  const n = x.length;
  const out = new Float64Array(xout.length);
  for (let k = 0; k < xout.length; k++) {
    const v = xout[k]!;
    if (Number.isNaN(v) || v < x[0]! || v > x[n - 1]!) {
      out[k] = Number.NaN;
      continue;
    }
    let i = 0;
    let j = n - 1;
    while (i < j - 1) {
      const ij = (i + j) >> 1;
      if (v < x[ij]!) j = ij;
      else i = ij;
    }
    if (v === x[j]) out[k] = y[j]!;
    else if (v === x[i]) out[k] = y[i]!;
    else out[k] = y[i]! + (y[j]! - y[i]!) * ((v - x[i]!) / (x[j]! - x[i]!));
  }
  return out;
}
