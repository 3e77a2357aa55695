/**
 * The first two principal components of a feature table (R's `prcomp(x, scale. = TRUE)`, the
 * first two columns of `$x` and the variance shares of `summary(...)$importance`), for display:
 * the report's before / after ComBat figure. Each feature is centred and divided by its standard
 * deviation (n - 1); constant features carry no variance and are left out.
 *
 * Method: subspace iteration on ZᵀZ with two vectors (each step Zᵀ(Z V), then Gram-Schmidt), then
 * Rayleigh-Ritz on the 2 x 2 projection (Golub & Van Loan, Matrix Computations, 4th ed., §8.2.4).
 * It needs only products with Z, so a table of thousands of features costs O(n p) per step. The
 * sign of a component is arbitrary (as in R); here its largest loading is positive.
 */

export interface TwoPrincipalComponents {
  /** Scores of each sample on PC1 and PC2 (prcomp's x[, 1:2]). */
  scores: [Float64Array, Float64Array];
  /** Proportion of the total variance each explains. */
  explained: [number, number];
}

/**
 * `columns[j][i]`: feature j of sample i. Needs at least 3 samples and 2 non-constant features.
 */
export function firstTwoPrincipalComponents(
  columns: readonly ArrayLike<number>[],
  options: { maxIterations?: number; tolerance?: number } = {},
): TwoPrincipalComponents {
  const n = columns[0]?.length ?? 0;
  if (n < 3) throw new Error(`principal components: ${n} samples (at least 3 needed)`);
  const z: Float64Array[] = [];
  for (const c of columns) {
    if (c.length !== n) throw new Error("principal components: columns of different lengths");
    let mean = 0;
    for (let i = 0; i < n; i++) mean += c[i]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (c[i]! - mean) ** 2;
    const sd = Math.sqrt(ss / (n - 1));
    if (!Number.isFinite(sd)) throw new Error("principal components: a value is not finite");
    if (sd === 0) continue;
    z.push(Float64Array.from({ length: n }, (_, i) => (c[i]! - mean) / sd));
  }
  const p = z.length;
  if (p < 2) throw new Error(`principal components: ${p} non-constant feature(s) (2 needed)`);
  // Each standardised column has squared norm n - 1: the total variance is p (n - 1).
  const total = p * (n - 1);
  const times = (v: Float64Array): Float64Array => {
    const w = new Float64Array(n);
    for (let j = 0; j < p; j++) {
      const zj = z[j]!;
      const vj = v[j]!;
      if (vj !== 0) for (let i = 0; i < n; i++) w[i] += zj[i]! * vj;
    }
    return w;
  };
  const timesTransposed = (w: Float64Array): Float64Array => {
    const u = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      const zj = z[j]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += zj[i]! * w[i]!;
      u[j] = s;
    }
    return u;
  };
  // Deterministic start: two fixed, independent directions.
  let v1: Float64Array = Float64Array.from({ length: p }, (_, j) => 1 + j / p);
  let v2: Float64Array = Float64Array.from(
    { length: p },
    (_, j) => (j % 2 === 0 ? 1 : -1) * (1 + j),
  );
  orthonormalise(v1, v2);
  const maxIterations = options.maxIterations ?? 2000;
  const tolerance = options.tolerance ?? 1e-10;
  for (let it = 0; it < maxIterations; it++) {
    const u1 = timesTransposed(times(v1));
    const u2 = timesTransposed(times(v2));
    orthonormalise(u1, u2);
    // Sines of the angles between each new vector and the old one.
    const change = sineOfAngle(u1, v1) + sineOfAngle(u2, v2);
    v1 = u1;
    v2 = u2;
    if (change < tolerance) break;
  }
  // Rayleigh-Ritz: the 2 x 2 matrix H = Vᵀ ZᵀZ V = (Z V)ᵀ (Z V) and its eigenvectors.
  const w1 = times(v1);
  const w2 = times(v2);
  const h11 = dot(w1, w1);
  const h12 = dot(w1, w2);
  const h22 = dot(w2, w2);
  const half = (h11 - h22) / 2;
  const root = Math.hypot(half, h12);
  const lambda1 = (h11 + h22) / 2 + root;
  const lambda2 = (h11 + h22) / 2 - root;
  // Eigenvector of H for lambda1: (cos t, sin t) with tan 2t = 2 h12 / (h11 - h22) (the Jacobi
  // rotation angle; no cancellation, unlike (h12, lambda1 - h11)).
  const t = Math.atan2(2 * h12, h11 - h22) / 2;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const loading1 = combine(v1, v2, c, s);
  const loading2 = combine(v1, v2, -s, c);
  const scores: [Float64Array, Float64Array] = [times(loading1), times(loading2)];
  [loading1, loading2].forEach((loading, k) => {
    let largest = 0;
    for (let j = 0; j < p; j++)
      if (Math.abs(loading[j]!) > Math.abs(largest)) largest = loading[j]!;
    if (largest < 0) for (let i = 0; i < n; i++) scores[k]![i] = -scores[k]![i]!;
  });
  return { scores, explained: [lambda1 / total, Math.max(lambda2, 0) / total] };
}

function sineOfAngle(u: Float64Array, v: Float64Array): number {
  const d = dot(u, v);
  let ss = 0;
  for (let j = 0; j < u.length; j++) ss += (u[j]! - d * v[j]!) ** 2;
  return Math.sqrt(ss);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Gram-Schmidt on two vectors, in place (a second pass for accuracy). */
function orthonormalise(a: Float64Array, b: Float64Array): void {
  const scale = (v: Float64Array) => {
    const norm = Math.sqrt(dot(v, v));
    if (norm === 0) throw new Error("principal components: the features span one direction only");
    for (let j = 0; j < v.length; j++) v[j] = v[j]! / norm;
  };
  scale(a);
  for (let pass = 0; pass < 2; pass++) {
    const d = dot(a, b);
    for (let j = 0; j < b.length; j++) b[j] = b[j]! - d * a[j]!;
  }
  scale(b);
}

function combine(a: Float64Array, b: Float64Array, ca: number, cb: number): Float64Array {
  return Float64Array.from(a, (x, j) => ca * x + cb * b[j]!);
}
