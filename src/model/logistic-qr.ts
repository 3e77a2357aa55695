/**
 * The linear algebra of the logistic fit: weighted least squares by Householder QR (LINPACK
 * `dqrdc2`/`dqrsl` without pivoting, as R's `glm.fit` calls through `C_Cdqrls`), R's `chol2inv`
 * for (X'WX)⁻¹ from the QR factor, and a Cholesky inverse of the Hessian.
 * Pure TypeScript: runs in the browser.
 */

export interface WlsResult {
  coef: Float64Array;
  /** Upper-triangular R, column-major p × p. */
  R: Float64Array;
}

/** Solves min ||b − A·c|| for column-major n × p `A` (overwritten) by Householder QR; throws on rank deficiency (column norm below tol × original norm). */
export function householderLeastSquares(
  A: Float64Array,
  b: Float64Array,
  n: number,
  p: number,
  tol: number,
  names: readonly string[],
): WlsResult {
  const original = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += A[j * n + i]! * A[j * n + i]!;
    original[j] = Math.sqrt(s);
  }
  if (n < p)
    throw new Error(`logistic: ${p} coefficients but only ${n} observations with non-zero weight`);
  for (let l = 0; l < p; l++) {
    const cl = l * n;
    let s = 0;
    for (let i = l; i < n; i++) s += A[cl + i]! * A[cl + i]!;
    let nrmxl = Math.sqrt(s);
    if (!(nrmxl > (original[l]! === 0 ? 1 : original[l]!) * tol) || original[l] === 0) {
      throw new Error(
        `logistic: design matrix is rank deficient: column '${names[l] ?? l}' is (numerically) a linear combination of the columns before it`,
      );
    }
    if (l === n - 1 && l === p - 1) {
      // last row: nothing to reflect (dqrdc2 skips l == n)
      break;
    }
    if (A[cl + l] !== 0) nrmxl = A[cl + l]! < 0 ? -Math.abs(nrmxl) : Math.abs(nrmxl);
    for (let i = l; i < n; i++) A[cl + i] = A[cl + i]! / nrmxl;
    A[cl + l] = 1 + A[cl + l]!;
    const all = A[cl + l]!;
    for (let j = l + 1; j < p; j++) {
      const cj = j * n;
      let t = 0;
      for (let i = l; i < n; i++) t -= A[cl + i]! * A[cj + i]!;
      t /= all;
      for (let i = l; i < n; i++) A[cj + i] = A[cj + i]! + t * A[cl + i]!;
    }
    let t = 0;
    for (let i = l; i < n; i++) t -= A[cl + i]! * b[i]!;
    t /= all;
    for (let i = l; i < n; i++) b[i] = b[i]! + t * A[cl + i]!;
    A[cl + l] = -nrmxl;
  }
  const R = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let i = 0; i <= j; i++) R[j * p + i] = A[j * n + i]!;
  const coef = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < p; k++) s -= R[k * p + i]! * coef[k]!;
    coef[i] = s / R[i * p + i]!;
  }
  return { coef, R };
}

/** (R'R)⁻¹ from upper-triangular column-major R (R's `chol2inv`). */
export function chol2inv(R: Float64Array, p: number): Float64Array[] {
  const Rinv = new Float64Array(p * p); // upper triangular, column-major
  for (let j = 0; j < p; j++) {
    Rinv[j * p + j] = 1 / R[j * p + j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += R[k * p + i]! * Rinv[j * p + k]!;
      Rinv[j * p + i] = -s / R[i * p + i]!;
    }
  }
  const out: Float64Array[] = [];
  for (let i = 0; i < p; i++) out.push(new Float64Array(p));
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let s = 0;
      for (let k = j; k < p; k++) s += Rinv[k * p + i]! * Rinv[k * p + j]!;
      out[i]![j] = s;
      out[j]![i] = s;
    }
  }
  return out;
}

/** Inverse of a symmetric positive-definite matrix by Cholesky; throws if not positive definite. */
export function invertSpd(H: Float64Array[], p: number): Float64Array[] {
  const L = new Float64Array(p * p); // row-major lower
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i * p + k]! * L[j * p + k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error("logistic: information matrix is not positive definite");
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j]!;
    }
  }
  // R = L' (upper, column-major R[j*p+i] = L[j][i])
  const R = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) R[i * p + j] = L[i * p + j]!;
  return chol2inv(R, p);
}
