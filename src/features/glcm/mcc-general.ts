/**
 * MCC, general path as numpy computes it: the full MCC matrix Q of each angle, all its eigenvalues
 * (numpy.linalg.eigvals, see hessenberg-qr.ts), and numpy's rules for combining them over angles
 * (complex batches, sorting, square root, nanmean).
 */
import { NUMPY_EPS as EPS, nanMean } from "../texture-common.js";
import { realEigenvalues } from "./hessenberg-qr.js";

/** Eigenvalues (real and imaginary parts) of one angle's MCC matrix Q. */
export interface QEigen {
  re: Float64Array;
  im: Float64Array;
}

/**
 * Row and column sums px(i), py(j) of p, accumulated in the order the per-angle features kernel uses
 * (src/kernels/assembly/glcm-features.ts).
 */
export function glcmMarginals(
  p: Float64Array,
  n: number,
  px: Float64Array,
  py: Float64Array,
): void {
  px.fill(0);
  py.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = p[i * n + j]!;
      if (v === 0) continue;
      px[i] = px[i]! + v;
      py[j] = py[j]! + v;
    }
  }
}

/**
 * Eigenvalues of Q(i, j) = sum_k p(i, k) p(j, k) / (px(i) py(k) + eps) (PyRadiomics getMCC, k
 * accumulated in order, terms with p(i, k) p(j, k) = 0 skipped as they add +0), as
 * numpy.linalg.eigvals (LAPACK geev) computes them: Hessenberg reduction, then the shifted QR
 * algorithm (see realEigenvalues).
 */
export function eigenvaluesOfQ(
  p: Float64Array,
  px: Float64Array,
  py: Float64Array,
  n: number,
): QEigen {
  const q = new Float64Array(n * n);
  const den = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) den[i * n + k] = px[i]! * py[k]! + EPS;
  const nonZero = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    let m = 0;
    for (let k = 0; k < n; k++) if (p[rowI + k] !== 0) nonZero[m++] = k;
    for (let j = 0; j < n; j++) {
      const rowJ = j * n;
      let s = 0;
      for (let t = 0; t < m; t++) {
        const k = nonZero[t]!;
        const pjk = p[rowJ + k]!;
        if (pjk !== 0) s += (p[rowI + k]! * pjk) / den[rowI + k]!;
      }
      q[rowI + j] = s;
    }
  }
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  realEigenvalues(q, n, re, im);
  return { re, im };
}

/**
 * MCC across angles as numpy does it: eigvals of every Q; the batch stays complex when any
 * eigenvalue of any angle has a non-zero imaginary part. Eigenvalues are sorted (complex: by real,
 * then imaginary part), the second highest is square-rooted, and the real part of the nanmean over
 * angles is returned. Fewer than 2 gray levels give 1 (flat region).
 */
export function combineMcc(eigens: QEigen[], n: number): number {
  if (eigens.some((e) => e.re.some(Number.isNaN) || e.im.some(Number.isNaN))) return Number.NaN;
  if (n < 2) return 1;
  const complex = eigens.some((e) => e.im.some((v) => v !== 0));
  const values = new Float64Array(eigens.length);
  eigens.forEach((e, a) => {
    const order = Array.from(e.re, (_, k) => k);
    order.sort((x, y) => e.re[x]! - e.re[y]! || (complex ? e.im[x]! - e.im[y]! : 0));
    const k = order[order.length - 2]!;
    const re = e.re[k]!;
    const im = complex ? e.im[k]! : 0;
    // Real case: NaN for a negative eigenvalue, skipped by nanmean. Complex case: real part of
    // the principal square root.
    values[a] = complex ? Math.sqrt((Math.hypot(re, im) + re) / 2) : Math.sqrt(re);
  });
  return nanMean(values);
}
