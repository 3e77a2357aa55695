/**
 * Ellipsoids of the IBSI-1 morphological family: the surface area of an ellipsoid by the Legendre
 * series of "Area density (approximate enclosing ellipsoid)" (RDD2), and the minimum volume enclosing
 * ellipsoid of "Volume density (minimum volume enclosing ellipsoid)" (SWZ1) by Khachiyan's
 * barycentric coordinate ascent (Khachiyan 1996; Todd & Yildirim 2007) with the manual's stopping
 * tolerance 0.001 on the change of the barycentric weights, as MIRP computes it.
 */
import { symmetricEigenvalues } from "../../../features/mesh/principalAxes.js";
import type { Vec3 } from "../../../image/volume.js";

/** Volume 4 pi a b c / 3 of the ellipsoid with semi-axes a, b, c. */
export function ellipsoidVolume(a: number, b: number, c: number): number {
  return (4 * Math.PI * a * b * c) / 3;
}

/** The manual stops the series after nu = 20. */
const LEGENDRE_TERMS = 20;

/**
 * Surface area of the ellipsoid with semi-axes a >= b >= c (IBSI RDD2):
 * A = 4 pi a b sum_{nu=0..20} (alpha beta)^nu / (1 - 4 nu^2) P_nu((alpha^2 + beta^2) / (2 alpha beta)),
 * alpha = sqrt(1 - b^2/a^2), beta = sqrt(1 - c^2/a^2). The term Q_nu = (alpha beta)^nu P_nu(x) is
 * evaluated by Bonnet's recursion multiplied through by (alpha beta)^(nu+1):
 * (nu + 1) Q_{nu+1} = (2 nu + 1) s Q_nu - nu (alpha beta)^2 Q_{nu-1}, s = (alpha^2 + beta^2) / 2,
 * which stays finite for spheroids (alpha or beta 0, where x is infinite) and gives 4 pi a^2 for a
 * sphere.
 *
 * As printed, the series is not the exact ellipsoid area (exact for a sphere only: e.g. 17.34
 * instead of 21.48 for semi-axes 2, 1, 1, and 286.1 instead of 297.4 for the digital phantom's AEE),
 * but it is IBSI's definition: MIRP evaluates it, and the digital phantom's consensus AEE area
 * density (1.36 +- 0.01) needs it (the exact area gives 1.305).
 */
export function ellipsoidSurfaceArea(a: number, b: number, c: number): number {
  const alpha2 = Math.max(0, 1 - (b * b) / (a * a));
  const beta2 = Math.max(0, 1 - (c * c) / (a * a));
  const product2 = alpha2 * beta2;
  const s = (alpha2 + beta2) / 2;
  let previous = 1;
  let current = s;
  let sum = previous + current / (1 - 4);
  for (let nu = 1; nu < LEGENDRE_TERMS; nu++) {
    const next = ((2 * nu + 1) * s * current - nu * product2 * previous) / (nu + 1);
    previous = current;
    current = next;
    sum += current / (1 - 4 * (nu + 1) ** 2);
  }
  return 4 * Math.PI * a * b * sum;
}

/** Khachiyan's stopping tolerance (IBSI SWZ1). */
const KHACHIYAN_TOLERANCE = 0.001;

/**
 * Semi-axes (largest first, mm) of the minimum volume enclosing ellipsoid of 3D points (x, y, z at
 * 3k..3k+2). NaN when the points do not span 3D.
 */
export function minimumVolumeEnclosingEllipsoid(points: Float64Array): Vec3 {
  const n = points.length / 3;
  const undefinedAxes: Vec3 = [Number.NaN, Number.NaN, Number.NaN];
  if (n < 4) return undefinedAxes;
  // Centre the points: the ellipsoid moves with them, the conditioning improves.
  const mean = [0, 0, 0];
  for (let k = 0; k < n; k++) for (let d = 0; d < 3; d++) mean[d] += points[3 * k + d] / n;
  const p = new Float64Array(3 * n);
  for (let k = 0; k < n; k++)
    for (let d = 0; d < 3; d++) p[3 * k + d] = points[3 * k + d] - mean[d];

  // Lifted points q = (p, 1); X = sum u_k q_k q_k^T; weights u start uniform.
  const u = new Float64Array(n).fill(1 / n);
  const x = new Float64Array(16);
  for (let k = 0; k < n; k++) addOuter(x, p, k, u[k]);
  let sumU2 = 1 / n;
  for (let iteration = 0; iteration < 100000; iteration++) {
    const xInv = invert4(x);
    if (!xInv) return undefinedAxes;
    // M_k = q_k^T X^-1 q_k; the point of largest M gets weight.
    let best = 0;
    let bestM = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const q0 = p[3 * k];
      const q1 = p[3 * k + 1];
      const q2 = p[3 * k + 2];
      const m =
        q0 * (xInv[0] * q0 + xInv[1] * q1 + xInv[2] * q2 + xInv[3]) +
        q1 * (xInv[4] * q0 + xInv[5] * q1 + xInv[6] * q2 + xInv[7]) +
        q2 * (xInv[8] * q0 + xInv[9] * q1 + xInv[10] * q2 + xInv[11]) +
        (xInv[12] * q0 + xInv[13] * q1 + xInv[14] * q2 + xInv[15]);
      if (m > bestM) [bestM, best] = [m, k];
    }
    const dims = 3;
    const step = (bestM - dims - 1) / ((dims + 1) * (bestM - 1));
    // |u_new - u|^2 with u_new = (1 - step) u + step e_best.
    const change = Math.abs(step) * Math.sqrt(Math.max(0, sumU2 - 2 * u[best] + 1));
    for (let i = 0; i < 16; i++) x[i] *= 1 - step;
    addOuter(x, p, best, step);
    sumU2 = 0;
    for (let k = 0; k < n; k++) {
      u[k] *= 1 - step;
      if (k === best) u[k] += step;
      sumU2 += u[k] * u[k];
    }
    if (change <= KHACHIYAN_TOLERANCE) break;
  }
  // Shape matrix A = (1/d) (P U P^T - (P u)(P u)^T)^-1; semi-axes 1 / sqrt(eigenvalues of A), i.e.
  // sqrt(d * eigenvalues of the weighted covariance).
  const centre = [0, 0, 0];
  for (let k = 0; k < n; k++) for (let d = 0; d < 3; d++) centre[d] += u[k] * p[3 * k + d];
  const cov = new Float64Array(9);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) cov[3 * i + j] += u[k] * p[3 * k + i] * p[3 * k + j];
    }
  }
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cov[3 * i + j] -= centre[i] * centre[j];
  const eig = Array.from(symmetricEigenvalues(cov, 3), (l) => Math.sqrt(Math.max(0, 3 * l)));
  eig.sort((s, t) => t - s);
  return [eig[0], eig[1], eig[2]];
}

/** x += w q_k q_k^T for the lifted point q_k = (p_k, 1). */
function addOuter(x: Float64Array, p: Float64Array, k: number, w: number): void {
  const q = [p[3 * k], p[3 * k + 1], p[3 * k + 2], 1];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) x[4 * i + j] += w * q[i] * q[j];
}

/** Inverse of a 4 x 4 matrix (row-major) by Gauss-Jordan with partial pivoting; null if singular. */
function invert4(m: Float64Array): Float64Array | null {
  const a = Float64Array.from(m);
  const inv = new Float64Array(16);
  for (let i = 0; i < 4; i++) inv[5 * i] = 1;
  for (let col = 0; col < 4; col++) {
    let pivot = col;
    for (let r = col + 1; r < 4; r++) {
      if (Math.abs(a[4 * r + col]) > Math.abs(a[4 * pivot + col])) pivot = r;
    }
    const scale = a[4 * pivot + col];
    if (scale === 0 || !Number.isFinite(scale)) return null;
    if (pivot !== col) {
      for (let j = 0; j < 4; j++) {
        [a[4 * col + j], a[4 * pivot + j]] = [a[4 * pivot + j], a[4 * col + j]];
        [inv[4 * col + j], inv[4 * pivot + j]] = [inv[4 * pivot + j], inv[4 * col + j]];
      }
    }
    for (let j = 0; j < 4; j++) {
      a[4 * col + j] /= scale;
      inv[4 * col + j] /= scale;
    }
    for (let r = 0; r < 4; r++) {
      if (r === col) continue;
      const f = a[4 * r + col];
      if (f === 0) continue;
      for (let j = 0; j < 4; j++) {
        a[4 * r + j] -= f * a[4 * col + j];
        inv[4 * r + j] -= f * inv[4 * col + j];
      }
    }
  }
  return inv;
}
