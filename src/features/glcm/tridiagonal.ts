/**
 * Symmetric tridiagonal eigen-routines of the MCC fast path: Householder tridiagonalisation of a
 * symmetric matrix, one eigenvalue by Sturm-sequence bisection, one eigenvector by inverse
 * iteration (Golub & Van Loan, Matrix Computations, 8.2-8.4).
 */
import { NUMPY_EPS as EPS } from "../texture-common.js";
import type { MccScratch } from "./mcc-scratch.js";

/**
 * Householder reduction of the symmetric m x m matrix a (row-major, lower triangle read) to
 * tridiagonal form T = H_{m-3} ... H_0 A H_0 ... H_{m-3}, H_k = I - beta_k v_k v_k^T (Golub & Van
 * Loan 8.3.1). Diagonal to diag, sub-diagonal to off[0..m-2]; v_k is left in row k of a (columns
 * k+1..m-1, its upper triangle) and beta_k in beta[k].
 */
export function tridiagonalise(a: Float64Array, m: number, t: MccScratch): void {
  const { diag, off, beta, pv } = t;
  for (let k = 0; k < m - 2; k++) {
    const vk = k * m;
    // x = a(k+1.., k), read from the lower triangle; v stored in row k.
    let tail = 0;
    for (let i = k + 2; i < m; i++) {
      const x = a[i * m + k]!;
      a[vk + i] = x;
      tail += x * x;
    }
    const x0 = a[(k + 1) * m + k]!;
    diag[k] = a[vk + k]!;
    if (tail === 0) {
      off[k] = x0;
      beta[k] = 0;
      continue;
    }
    const norm = Math.sqrt(x0 * x0 + tail);
    const alpha = x0 > 0 ? -norm : norm;
    const v0 = x0 - alpha;
    a[vk + k + 1] = v0;
    const bk = 2 / (v0 * v0 + tail);
    beta[k] = bk;
    off[k] = alpha;
    // pv = beta A22 v over the trailing block (lower triangle only).
    pv.fill(0, k + 1, m);
    for (let i = k + 1; i < m; i++) {
      const row = i * m;
      const vi = a[vk + i]!;
      let acc = a[row + i]! * vi;
      for (let j = k + 1; j < i; j++) {
        const aij = a[row + j]!;
        acc += aij * a[vk + j]!;
        pv[j] = pv[j]! + aij * vi;
      }
      pv[i] = pv[i]! + acc;
    }
    let pTv = 0;
    for (let i = k + 1; i < m; i++) {
      pv[i] = pv[i]! * bk;
      pTv += pv[i]! * a[vk + i]!;
    }
    const half = (bk / 2) * pTv;
    for (let i = k + 1; i < m; i++) pv[i] = pv[i]! - half * a[vk + i]!;
    // A22 -= v w^T + w v^T (lower triangle).
    for (let i = k + 1; i < m; i++) {
      const row = i * m;
      const vi = a[vk + i]!;
      const wi = pv[i]!;
      for (let j = k + 1; j <= i; j++) a[row + j] = a[row + j]! - vi * pv[j]! - wi * a[vk + j]!;
    }
  }
  if (m >= 2) {
    diag[m - 2] = a[(m - 2) * m + (m - 2)]!;
    off[m - 2] = a[(m - 1) * m + (m - 2)]!;
    beta[m - 2] = 0;
  }
  diag[m - 1] = a[(m - 1) * m + (m - 1)]!;
}

/**
 * The j-th smallest (0-based) eigenvalue of the symmetric tridiagonal matrix (diag, off) by
 * bisection on Sturm sequence counts (Golub & Van Loan 8.4.1), to the last representable bit.
 */
export function tridiagonalEigenvalue(
  diag: Float64Array,
  off: Float64Array,
  m: number,
  j: number,
): number {
  let lo = Infinity;
  let hi = -Infinity;
  let scale = 0;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(off[i - 1]!) : 0) + (i < m - 1 ? Math.abs(off[i]!) : 0);
    lo = Math.min(lo, diag[i]! - r);
    hi = Math.max(hi, diag[i]! + r);
    scale = Math.max(scale, Math.abs(diag[i]!) + r);
  }
  const pivmin = Number.MIN_VALUE * 1e10 + scale * EPS * EPS;
  for (let iter = 0; iter < 200; iter++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    // number of eigenvalues below mid
    let count = 0;
    let q = diag[0]! - mid;
    if (Math.abs(q) < pivmin) q = -pivmin;
    if (q < 0) count++;
    for (let i = 1; i < m; i++) {
      const e = off[i - 1]!;
      q = diag[i]! - mid - (e * e) / q;
      if (Math.abs(q) < pivmin) q = -pivmin;
      if (q < 0) count++;
    }
    if (count > j) hi = mid;
    else lo = mid;
  }
  return lo + (hi - lo) / 2;
}

/**
 * Unit eigenvector (into y) of the symmetric tridiagonal matrix (diag, off) for the eigenvalue
 * lambda: three steps of inverse iteration, (T - lambda I) y_new = y, solved by Gaussian
 * elimination with partial pivoting (Golub & Van Loan 8.2.2, 4.3).
 */
export function tridiagonalEigenvector(
  diag: Float64Array,
  off: Float64Array,
  m: number,
  lambda: number,
  y: Float64Array,
  t: MccScratch,
): void {
  const { u0, u1, u2, mult, swapped } = t;
  let scale = 0;
  for (let i = 0; i < m; i++)
    scale = Math.max(scale, Math.abs(diag[i]!) + (i < m - 1 ? Math.abs(off[i]!) : 0));
  const tiny = EPS * (scale || 1);
  let cd = diag[0]! - lambda;
  let cs = m > 1 ? off[0]! : 0;
  for (let i = 0; i < m - 1; i++) {
    const sub = off[i]!;
    const dg = diag[i + 1]! - lambda;
    const sup = i + 1 < m - 1 ? off[i + 1]! : 0;
    if (Math.abs(sub) > Math.abs(cd)) {
      swapped[i] = 1;
      u0[i] = sub;
      u1[i] = dg;
      u2[i] = sup;
      const f = cd / sub;
      mult[i] = f;
      cd = cs - f * dg;
      cs = -f * sup;
    } else {
      swapped[i] = 0;
      u0[i] = cd === 0 ? tiny : cd;
      u1[i] = cs;
      u2[i] = 0;
      const f = sub / u0[i]!;
      mult[i] = f;
      cd = dg - f * cs;
      cs = sup;
    }
  }
  u0[m - 1] = cd === 0 ? tiny : cd;
  for (let i = 0; i < m; i++) y[i] = 1;
  for (let it = 0; it < 3; it++) {
    for (let i = 0; i < m - 1; i++) {
      if (swapped[i]) {
        const tmp = y[i]!;
        y[i] = y[i + 1]!;
        y[i + 1] = tmp;
      }
      y[i + 1] = y[i + 1]! - mult[i]! * y[i]!;
    }
    for (let i = m - 1; i >= 0; i--) {
      let r = y[i]!;
      if (i + 1 < m) r -= u1[i]! * y[i + 1]!;
      if (i + 2 < m) r -= u2[i]! * y[i + 2]!;
      y[i] = r / u0[i]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm = Math.max(norm, Math.abs(y[i]!));
    for (let i = 0; i < m; i++) y[i] = y[i]! / norm;
  }
  let sq = 0;
  for (let i = 0; i < m; i++) sq += y[i]! * y[i]!;
  const inv = 1 / Math.sqrt(sq);
  for (let i = 0; i < m; i++) y[i] = y[i]! * inv;
}
