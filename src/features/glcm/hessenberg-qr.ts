/**
 * Eigenvalues of a general real square matrix, as LAPACK geev (numpy.linalg.eigvals) finds them:
 * Householder reduction to Hessenberg form and Francis' double-shift QR iteration (EISPACK orthes +
 * hqr). Used by the general MCC path (mcc-general.ts).
 */

/**
 * Eigenvalues (re[k] + i im[k]) of a real n x n matrix `a` (row-major; overwritten): Householder
 * reduction to upper Hessenberg form, then Francis' double-shift QR iteration with deflation on
 * the active block and Wilkinson's exceptional shifts (the EISPACK orthes + hqr algorithms, as in
 * Wilkinson & Reinsch, Handbook for Automatic Computation II, and JAMA).
 */
export function realEigenvalues(
  a: Float64Array,
  n: number,
  re: Float64Array,
  im: Float64Array,
): void {
  reduceToHessenberg(a, n);

  // Shifted QR on the Hessenberg matrix.
  let norm = 0;
  for (let i = 0; i < n; i++)
    for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(a[i * n + j]!);
  let hi = n - 1;
  let exshift = 0;
  let iter = 0;
  let totalIter = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let z = 0;
  let w = 0;
  let x = 0;
  let y = 0;
  while (hi >= 0) {
    let l = hi;
    while (l > 0) {
      // EISPACK's test: the sub-diagonal element is negligible next to its diagonal neighbours
      s = Math.abs(a[(l - 1) * n + (l - 1)]!) + Math.abs(a[l * n + l]!);
      if (s === 0) s = norm;
      if (s + Math.abs(a[l * n + (l - 1)]!) === s) break;
      l--;
    }
    if (l === hi) {
      // one root
      re[hi] = a[hi * n + hi]! + exshift;
      im[hi] = 0;
      hi--;
      iter = 0;
      continue;
    }
    if (l === hi - 1) {
      // two roots from the trailing 2x2 block
      w = a[hi * n + (hi - 1)]! * a[(hi - 1) * n + hi]!;
      p = (a[(hi - 1) * n + (hi - 1)]! - a[hi * n + hi]!) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      x = a[hi * n + hi]! + exshift;
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        re[hi - 1] = x + z;
        re[hi] = z !== 0 ? x - w / z : x + z;
        im[hi - 1] = 0;
        im[hi] = 0;
      } else {
        re[hi - 1] = x + p;
        re[hi] = x + p;
        im[hi - 1] = z;
        im[hi] = -z;
      }
      hi -= 2;
      iter = 0;
      continue;
    }
    if (++totalIter > 60 * n) throw new Error("glcm MCC: eigenvalue iteration did not converge");
    x = a[hi * n + hi]!;
    y = a[(hi - 1) * n + (hi - 1)]!;
    w = a[hi * n + (hi - 1)]! * a[(hi - 1) * n + hi]!;
    if (iter === 10) {
      // Wilkinson's exceptional shift
      exshift += x;
      for (let i = 0; i <= hi; i++) a[i * n + i] = a[i * n + i]! - x;
      s = Math.abs(a[hi * n + (hi - 1)]!) + Math.abs(a[(hi - 1) * n + (hi - 2)]!);
      x = 0.75 * s;
      y = x;
      w = -0.4375 * s * s;
    }
    if (iter === 30) {
      s = (y - x) / 2;
      s = s * s + w;
      if (s > 0) {
        s = Math.sqrt(s);
        if (y < x) s = -s;
        s = x - w / ((y - x) / 2 + s);
        for (let i = 0; i <= hi; i++) a[i * n + i] = a[i * n + i]! - s;
        exshift += s;
        x = 0.964;
        y = x;
        w = x;
      }
    }
    iter++;
    // two consecutive small sub-diagonal elements
    let m = hi - 2;
    while (m >= l) {
      z = a[m * n + m]!;
      r = x - z;
      s = y - z;
      p = (r * s - w) / a[(m + 1) * n + m]! + a[m * n + (m + 1)]!;
      q = a[(m + 1) * n + (m + 1)]! - z - r - s;
      r = a[(m + 2) * n + (m + 1)]!;
      s = Math.abs(p) + Math.abs(q) + Math.abs(r);
      p /= s;
      q /= s;
      r /= s;
      if (m === l) break;
      const tst1 =
        Math.abs(p) *
        (Math.abs(a[(m - 1) * n + (m - 1)]!) + Math.abs(z) + Math.abs(a[(m + 1) * n + (m + 1)]!));
      if (tst1 + Math.abs(a[m * n + (m - 1)]!) * (Math.abs(q) + Math.abs(r)) === tst1) break;
      m--;
    }
    for (let i = m + 2; i <= hi; i++) {
      a[i * n + i - 2] = 0;
      if (i > m + 2) a[i * n + i - 3] = 0;
    }
    // double QR step on rows l..hi, columns m..hi
    for (let k = m; k <= hi - 1; k++) {
      const notLast = k !== hi - 1;
      if (k !== m) {
        p = a[k * n + (k - 1)]!;
        q = a[(k + 1) * n + (k - 1)]!;
        r = notLast ? a[(k + 2) * n + (k - 1)]! : 0;
        x = Math.abs(p) + Math.abs(q) + Math.abs(r);
        if (x === 0) continue;
        p /= x;
        q /= x;
        r /= x;
      }
      s = Math.sqrt(p * p + q * q + r * r);
      if (p < 0) s = -s;
      if (s === 0) continue;
      if (k !== m) a[k * n + k - 1] = -s * x;
      else if (l !== m) a[k * n + k - 1] = -a[k * n + (k - 1)]!;
      p += s;
      x = p / s;
      y = q / s;
      z = r / s;
      q /= p;
      r /= p;
      for (let j = k; j <= hi; j++) {
        p = a[k * n + j]! + q * a[(k + 1) * n + j]!;
        if (notLast) {
          p += r * a[(k + 2) * n + j]!;
          a[(k + 2) * n + j] = a[(k + 2) * n + j]! - p * z;
        }
        a[k * n + j] = a[k * n + j]! - p * x;
        a[(k + 1) * n + j] = a[(k + 1) * n + j]! - p * y;
      }
      const iMax = Math.min(hi, k + 3);
      for (let i = l; i <= iMax; i++) {
        p = x * a[i * n + k]! + y * a[i * n + (k + 1)]!;
        if (notLast) {
          p += z * a[i * n + (k + 2)]!;
          a[i * n + k + 2] = a[i * n + (k + 2)]! - p * r;
        }
        a[i * n + k] = a[i * n + k]! - p;
        a[i * n + k + 1] = a[i * n + (k + 1)]! - p * q;
      }
    }
  }
}

/** Householder reduction of a (row-major n x n, in place) to upper Hessenberg form (EISPACK orthes). */
function reduceToHessenberg(a: Float64Array, n: number): void {
  const ort = new Float64Array(n);
  const f = new Float64Array(n);
  for (let m = 1; m <= n - 2; m++) {
    let scale = 0;
    for (let i = m; i < n; i++) scale += Math.abs(a[i * n + (m - 1)]!);
    if (scale === 0) continue;
    let h = 0;
    for (let i = n - 1; i >= m; i--) {
      ort[i] = a[i * n + (m - 1)]! / scale;
      h += ort[i]! * ort[i]!;
    }
    let g = Math.sqrt(h);
    if (ort[m]! > 0) g = -g;
    h -= ort[m]! * g;
    ort[m] = ort[m]! - g;
    // f_j = sum_i ort(i) a(i, j) over i descending, for all columns at once (row-wise access;
    // each f_j accumulates in the same order as a column-by-column loop), then a -= ort f^T / h.
    f.fill(0, m, n);
    for (let i = n - 1; i >= m; i--) {
      const oi = ort[i]!;
      const row = i * n;
      for (let j = m; j < n; j++) f[j] = f[j]! + oi * a[row + j]!;
    }
    for (let j = m; j < n; j++) f[j] = f[j]! / h;
    for (let i = m; i < n; i++) {
      const oi = ort[i]!;
      const row = i * n;
      for (let j = m; j < n; j++) a[row + j] = a[row + j]! - f[j]! * oi;
    }
    for (let i = 0; i < n; i++) {
      let fi = 0;
      for (let j = n - 1; j >= m; j--) fi += ort[j]! * a[i * n + j]!;
      fi /= h;
      for (let j = m; j < n; j++) a[i * n + j] = a[i * n + j]! - fi * ort[j]!;
    }
    a[m * n + m - 1] = scale * g;
  }
  for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) a[i * n + j] = 0;
}
