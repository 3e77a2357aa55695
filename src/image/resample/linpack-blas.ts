/**
 * The BLAS level-1 routines LINPACK's dsvdc calls (dnrm2, ddot, daxpy, dscal, drot, dswap, drotg),
 * as the v3p netlib translation vnl uses computes them; vectors are (array, offset[, stride]).
 */

export function dnrm2(n: number, x: Float64Array, off: number, inc: number): number {
  if (n < 1) return 0;
  if (n === 1) return Math.abs(x[off]!);
  let scale = 0;
  let ssq = 1;
  for (let k = 0; k < n; k++) {
    const xi = x[off + k * inc]!;
    if (xi !== 0) {
      const absxi = Math.abs(xi);
      if (scale < absxi) {
        const r = scale / absxi;
        ssq = ssq * (r * r) + 1;
        scale = absxi;
      } else {
        const r = absxi / scale;
        ssq += r * r;
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

export function ddot(n: number, x: Float64Array, xo: number, y: Float64Array, yo: number): number {
  let t = 0;
  for (let k = 0; k < n; k++) t += x[xo + k]! * y[yo + k]!;
  return t;
}

export function daxpy(
  n: number,
  a: number,
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
) {
  if (n <= 0 || a === 0) return;
  for (let k = 0; k < n; k++) y[yo + k] = y[yo + k]! + a * x[xo + k]!;
}

export function dscal(n: number, a: number, x: Float64Array, xo: number): void {
  for (let k = 0; k < n; k++) x[xo + k] = a * x[xo + k]!;
}

export function drot(
  n: number,
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  c: number,
  s: number,
) {
  for (let k = 0; k < n; k++) {
    const t = c * x[xo + k]! + s * y[yo + k]!;
    y[yo + k] = c * y[yo + k]! - s * x[xo + k]!;
    x[xo + k] = t;
  }
}

export function dswap(n: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  for (let k = 0; k < n; k++) {
    const t = x[xo + k]!;
    x[xo + k] = y[yo + k]!;
    y[yo + k] = t;
  }
}

export const sign = (a: number, b: number): number => (b >= 0 ? Math.abs(a) : -Math.abs(a));

/** drotg: returns [r, z, c, s]. */
export function drotg(da: number, db: number): [number, number, number, number] {
  let roe = db;
  if (Math.abs(da) > Math.abs(db)) roe = da;
  const scale = Math.abs(da) + Math.abs(db);
  if (scale === 0) return [0, 0, 1, 0];
  const d1 = da / scale;
  const d2 = db / scale;
  let r = scale * Math.sqrt(d1 * d1 + d2 * d2);
  r = sign(1, roe) * r;
  const c = da / r;
  const s = db / r;
  let z = 1;
  if (Math.abs(da) > Math.abs(db)) z = s;
  if (Math.abs(db) >= Math.abs(da) && c !== 0) z = 1 / c;
  return [r, z, c, s];
}
