/**
 * The interpolation MASS `confint.glm` relies on: R's `regularize.values`, `spline(method =
 * "fmm")` (C `fmm_spline`, Forsythe–Malcolm–Moler) and linear `approx` (rule 1).
 * Pure TypeScript: runs in the browser.
 */

/** R `regularize.values(x, y, mean)`: sort by x, average y over tied x. */
function regularize(x: ArrayLike<number>, y: ArrayLike<number>): { x: number[]; y: number[] } {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  const xs: number[] = [];
  const ys: number[] = [];
  let k = 0;
  while (k < idx.length) {
    const xv = x[idx[k]!]!;
    let s = 0;
    let m = 0;
    while (k < idx.length && x[idx[k]!] === xv) {
      s += y[idx[k]!]!;
      m++;
      k++;
    }
    xs.push(xv);
    ys.push(s / m);
  }
  return { x: xs, y: ys };
}

/** R's Forsythe–Malcolm–Moler interpolating cubic spline (C `fmm_spline`): coefficients b, c, d. */
function fmmSpline(
  x: number[],
  y: number[],
): { b: Float64Array; c: Float64Array; d: Float64Array } {
  const n = x.length;
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  if (n < 2) return { b, c, d };
  if (n < 3) {
    b[0] = (y[1]! - y[0]!) / (x[1]! - x[0]!);
    b[1] = b[0];
    return { b, c, d };
  }
  // 1-based helpers
  const X = (i: number) => x[i - 1]!;
  const Y = (i: number) => y[i - 1]!;
  const B = (i: number) => b[i - 1]!;
  const C = (i: number) => c[i - 1]!;
  const D = (i: number) => d[i - 1]!;
  const nm1 = n - 1;
  d[0] = X(2) - X(1);
  c[1] = (Y(2) - Y(1)) / D(1);
  for (let i = 2; i < n; i++) {
    d[i - 1] = X(i + 1) - X(i);
    b[i - 1] = 2 * (D(i - 1) + D(i));
    c[i] = (Y(i + 1) - Y(i)) / D(i);
    c[i - 1] = C(i + 1) - C(i);
  }
  b[0] = -D(1);
  b[n - 1] = -D(nm1);
  c[0] = 0;
  c[n - 1] = 0;
  if (n > 3) {
    c[0] = C(3) / (X(4) - X(2)) - C(2) / (X(3) - X(1));
    c[n - 1] = C(nm1) / (X(n) - X(n - 2)) - C(n - 2) / (X(nm1) - X(n - 3));
    c[0] = (C(1) * D(1) * D(1)) / (X(4) - X(1));
    c[n - 1] = (-C(n) * D(nm1) * D(nm1)) / (X(n) - X(n - 3));
  }
  for (let i = 2; i <= n; i++) {
    const t = D(i - 1) / B(i - 1);
    b[i - 1] = B(i) - t * D(i - 1);
    c[i - 1] = C(i) - t * C(i - 1);
  }
  c[n - 1] = C(n) / B(n);
  for (let i = nm1; i >= 1; i--) c[i - 1] = (C(i) - D(i) * C(i + 1)) / B(i);
  b[n - 1] = (Y(n) - Y(n - 1)) / D(n - 1) + D(n - 1) * (C(n - 1) + 2 * C(n));
  for (let i = 1; i <= nm1; i++) {
    b[i - 1] = (Y(i + 1) - Y(i)) / D(i) - D(i) * (C(i + 1) + 2 * C(i));
    d[i - 1] = (C(i + 1) - C(i)) / D(i);
    c[i - 1] = 3 * C(i);
  }
  c[n - 1] = 3 * C(n);
  d[n - 1] = D(nm1);
  return { b, c, d };
}

/** R `spline(x, y, n = 3·length(x), method = "fmm")`: the interpolated points. */
export function fmmSplinePoints(
  xIn: ArrayLike<number>,
  yIn: ArrayLike<number>,
): { x: Float64Array; y: Float64Array } {
  const { x, y } = regularize(xIn, yIn);
  const nx = x.length;
  const nout = 3 * nx;
  const { b, c, d } = fmmSpline(x, y);
  const xmin = x[0]!;
  const xmax = x[nx - 1]!;
  // R seq.int(from, to, length.out = n)
  const u = new Float64Array(nout);
  if (nout > 0) u[0] = xmin;
  if (nout > 1) u[nout - 1] = xmax;
  if (nout > 2) {
    const by = (xmax - xmin) / (nout - 1);
    for (let i = 1; i < nout - 1; i++)
      u[i] = i < nout / 2 ? xmin + i * by : xmax - (nout - 1 - i) * by;
  }
  const v = new Float64Array(nout);
  let i = 0;
  for (let l = 0; l < nout; l++) {
    const ul = u[l]!;
    if (ul < x[i]! || (i < nx - 1 && x[i + 1]! < ul)) {
      i = 0;
      let j = nx;
      do {
        const k = Math.floor((i + j) / 2);
        if (ul < x[k]!) j = k;
        else i = k;
      } while (j > i + 1);
    }
    const dx = ul - x[i]!;
    v[l] = y[i]! + dx * (b[i]! + dx * (c[i]! + dx * d[i]!));
  }
  return { x: u, y: v };
}

/** R `approx(x, y, xout)` (linear, rule 1: NaN outside the range, ties averaged). */
export function approxLinear(xIn: ArrayLike<number>, yIn: ArrayLike<number>, xout: number): number {
  const { x, y } = regularize(xIn, yIn);
  const n = x.length;
  if (n === 0 || !(xout >= x[0]!) || !(xout <= x[n - 1]!)) return Number.NaN;
  let i = 0;
  let j = n - 1;
  while (i < j - 1) {
    const ij = Math.floor((i + j) / 2);
    if (xout < x[ij]!) j = ij;
    else i = ij;
  }
  if (xout === x[j]) return y[j]!;
  if (xout === x[i]) return y[i]!;
  return y[i]! + (y[j]! - y[i]!) * ((xout - x[i]!) / (x[j]! - x[i]!));
}
