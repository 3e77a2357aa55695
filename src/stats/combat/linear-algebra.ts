/**
 * The small dense linear algebra ComBat needs: the normal-equation solve R's sva::ComBat writes as
 * `solve(crossprod(X), t(X) %*% t(dat))` (LAPACK dgesv: LU with partial pivoting of the p x p
 * cross-product, applied to every feature's right-hand side), and a rank check of a design in the
 * spirit of R's `qr(X)$rank` (LINPACK dqrdc2: a column whose norm, after removing its projection on
 * the earlier independent columns, falls below 1e-7 of its original norm is dependent).
 * Matrices are held as arrays of Float64Array: a design as its columns (each of n samples), data as
 * features x samples (each row one feature over the n samples). Pure TypeScript.
 */

/** R's default tolerance of `qr()` (dqrdc2's `tol`). */
const RANK_TOLERANCE = 1e-7;

/**
 * B = (X'X)^-1 X'Y for the design columns X (p columns of n) and the features x samples data Y
 * (G rows of n): returns p rows of G coefficients (coefficient c of feature g at [c][g]).
 * Throws when X'X is singular (callers check the rank first and name the culprit).
 */
export function solveNormalEquations(
  columns: readonly Float64Array[],
  rows: readonly Float64Array[],
): Float64Array[] {
  const p = columns.length;
  const n = p > 0 ? columns[0]!.length : 0;
  const xtx = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const ca = columns[a]!;
      const cb = columns[b]!;
      let s = 0;
      for (let k = 0; k < n; k++) s += ca[k]! * cb[k]!;
      xtx[a * p + b] = s;
      xtx[b * p + a] = s;
    }
  }
  const lu = luDecompose(xtx, p);
  const out = Array.from({ length: p }, () => new Float64Array(rows.length));
  const rhs = new Float64Array(p);
  for (let g = 0; g < rows.length; g++) {
    const y = rows[g]!;
    for (let c = 0; c < p; c++) {
      const col = columns[c]!;
      let s = 0;
      for (let k = 0; k < n; k++) s += col[k]! * y[k]!;
      rhs[c] = s;
    }
    luSolveInPlace(lu, rhs);
    for (let c = 0; c < p; c++) out[c]![g] = rhs[c]!;
  }
  return out;
}

interface LuFactors {
  p: number;
  /** Row-major p x p: L below the diagonal (unit diagonal implied), U on and above. */
  a: Float64Array;
  /** Row interchanges: at step k, row k was swapped with row pivot[k]. */
  pivot: Int32Array;
}

/** LU with partial pivoting (the dgetrf recipe, unblocked). */
function luDecompose(matrix: Float64Array, p: number): LuFactors {
  const a = Float64Array.from(matrix);
  const pivot = new Int32Array(p);
  for (let k = 0; k < p; k++) {
    let best = k;
    let bestAbs = Math.abs(a[k * p + k]!);
    for (let i = k + 1; i < p; i++) {
      const v = Math.abs(a[i * p + k]!);
      if (v > bestAbs) {
        best = i;
        bestAbs = v;
      }
    }
    pivot[k] = best;
    if (!(bestAbs > 0)) throw new Error("ComBat: the design's cross-product matrix is singular");
    if (best !== k) {
      for (let j = 0; j < p; j++) {
        const t = a[k * p + j]!;
        a[k * p + j] = a[best * p + j]!;
        a[best * p + j] = t;
      }
    }
    const d = a[k * p + k]!;
    for (let i = k + 1; i < p; i++) {
      const l = a[i * p + k]! / d;
      a[i * p + k] = l;
      if (l === 0) continue;
      for (let j = k + 1; j < p; j++) a[i * p + j] = a[i * p + j]! - l * a[k * p + j]!;
    }
  }
  return { p, a, pivot };
}

function luSolveInPlace({ p, a, pivot }: LuFactors, b: Float64Array): void {
  for (let k = 0; k < p; k++) {
    const q = pivot[k]!;
    if (q !== k) {
      const t = b[k]!;
      b[k] = b[q]!;
      b[q] = t;
    }
  }
  for (let i = 1; i < p; i++) {
    let s = b[i]!;
    for (let j = 0; j < i; j++) s -= a[i * p + j]! * b[j]!;
    b[i] = s;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let j = i + 1; j < p; j++) s -= a[i * p + j]! * b[j]!;
    b[i] = s / a[i * p + i]!;
  }
}

/**
 * Indices of the columns that are (numerically) linear combinations of the columns before them,
 * by Gram-Schmidt with re-orthogonalisation in column order: a column whose remaining norm is
 * below 1e-7 of its original norm (or that is all zeros) is dependent and is not used to
 * orthogonalise later columns, as dqrdc2 moves it to the end.
 */
export function dependentColumns(columns: readonly Float64Array[]): number[] {
  const basis: Float64Array[] = [];
  const dependent: number[] = [];
  columns.forEach((column, j) => {
    const v = Float64Array.from(column);
    const original = norm(v);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const d = dot(q, v);
        for (let k = 0; k < v.length; k++) v[k] = v[k]! - d * q[k]!;
      }
    }
    const remaining = norm(v);
    if (original === 0 || !(remaining > RANK_TOLERANCE * original)) {
      dependent.push(j);
      return;
    }
    for (let k = 0; k < v.length; k++) v[k] = v[k]! / remaining;
    basis.push(v);
  });
  return dependent;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}
