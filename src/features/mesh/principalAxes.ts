/**
 * Principal moments of an ROI's voxel centres, as PyRadiomics' shape / shape2D classes compute them:
 * physical coordinates (index * spacing, numpy axis order) are centred on their mean, divided by
 * sqrt(Np), and the eigenvalues of P^T P (the population covariance) are taken. Eigenvalues in
 * (-1e-10, 0) are machine error and become 0; the result is sorted ascending.
 */
import { numpySum } from "../numpy-compat.js";

/**
 * Eigenvalues of a small symmetric matrix (row-major n x n, n = 2 or 3) by the cyclic Jacobi method
 * (Golub & Van Loan, Matrix Computations, 8.5), which keeps high relative accuracy. Unsorted.
 */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += Math.abs(a[p * n + q]);
    if (off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // Negligible off-diagonal element (Numerical Recipes' test): it can no longer change either
        // diagonal entry, so it is dropped.
        const g = 100 * Math.abs(apq);
        if (
          sweep > 3 &&
          Math.abs(app) + g === Math.abs(app) &&
          Math.abs(aqq) + g === Math.abs(aqq)
        ) {
          a[p * n + q] = 0;
          a[q * n + p] = 0;
          continue;
        }
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = a[r * n + p];
          const arq = a[r * n + q];
          const newRp = c * arp - s * arq;
          const newRq = s * arp + c * arq;
          a[r * n + p] = newRp;
          a[p * n + r] = newRp;
          a[r * n + q] = newRq;
          a[q * n + r] = newRq;
        }
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i * n + i];
  return out;
}

/**
 * Sorted (ascending) principal moments of point coordinates given column-wise (`columns[d][k]` = physical
 * coordinate d of point k, numpy axis order). PyRadiomics shape.py: centre, divide by sqrt(Np),
 * covariance = P^T P, eigenvalues; values in (-1e-10, 0) are set to 0.
 */
export function principalMoments(columns: Float64Array[]): Float64Array {
  const dims = columns.length;
  if (dims !== 2 && dims !== 3)
    throw new Error(`principalMoments: needs 2 or 3 coordinate columns, got ${dims}`);
  const np = columns[0].length;
  const root = Math.sqrt(np);
  const means = columns.map((col) => numpySum(col) / np);
  // covariance = P^T P with P = (coordinates - mean) / sqrt(Np). numpy hands this product to BLAS, whose
  // summation order is its own; blocked summation keeps the error at rounding level.
  // Upper triangle of the 3x3 product (2D input: the third column is absent and stays 0).
  const c0 = columns[0];
  const c1 = columns[1];
  const c2 = dims === 3 ? columns[2] : new Float64Array(np);
  const m0 = means[0];
  const m1 = means[1];
  const m2 = dims === 3 ? means[2] : 0;
  const total = new Float64Array(6);
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  for (let k = 0; k < np; k++) {
    const p0 = (c0[k] - m0) / root;
    const p1 = (c1[k] - m1) / root;
    const p2 = (c2[k] - m2) / root;
    s00 += p0 * p0;
    s01 += p0 * p1;
    s02 += p0 * p2;
    s11 += p1 * p1;
    s12 += p1 * p2;
    s22 += p2 * p2;
    if ((k & 127) === 127 || k === np - 1) {
      total[0] += s00;
      total[1] += s01;
      total[2] += s02;
      total[3] += s11;
      total[4] += s12;
      total[5] += s22;
      s00 = s01 = s02 = s11 = s12 = s22 = 0;
    }
  }
  const cov =
    dims === 3
      ? Float64Array.of(
          total[0],
          total[1],
          total[2],
          total[1],
          total[3],
          total[4],
          total[2],
          total[4],
          total[5],
        )
      : Float64Array.of(total[0], total[1], total[1], total[3]);
  const eig = symmetricEigenvalues(cov, dims);
  for (let i = 0; i < dims; i++) if (eig[i] < 0 && eig[i] > -1e-10) eig[i] = 0;
  eig.sort();
  return eig;
}
