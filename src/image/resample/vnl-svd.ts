/**
 * vnl_matrix_inverse: pseudo-inverse V * diag(1/w) * U^T from LINPACK's dsvdc (job 21), as
 * vnl_svd computes it (v3p netlib translation), so that the physical->index matrix agrees with
 * ITK to the last bit.
 */
import { daxpy, ddot, dnrm2, drot, drotg, dscal, dswap, sign } from "./linpack-blas.js";

/**
 * LINPACK dsvdc for a square n x n matrix with job = 21, column-major x (1-based helpers inside).
 * Returns singular values s (length n), U and V (column-major n x n).
 */
function dsvdc(xIn: number[][], n: number): { s: Float64Array; u: Float64Array; v: Float64Array } {
  const p = n;
  // Column-major storage with 1-based index helpers: X(i,j) = x[(i-1) + (j-1)*n].
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) x[i + j * n] = xIn[i]![j]!;
  const X = (i: number, j: number) => i - 1 + (j - 1) * n;
  const u = new Float64Array(n * n);
  const U = (i: number, j: number) => i - 1 + (j - 1) * n;
  const v = new Float64Array(p * p);
  const V = (i: number, j: number) => i - 1 + (j - 1) * p;
  const s = new Float64Array(Math.min(n + 1, p) + 1); // 1-based
  const e = new Float64Array(p + 1); // 1-based
  const work = new Float64Array(n + 1); // 1-based
  const wantu = true;
  const wantv = true;
  const ncu = Math.min(n, p); // jobu = 2
  const maxit = 1000;
  const nct = Math.min(n - 1, p);
  const nrt = Math.max(0, Math.min(p - 2, n));
  const lu = Math.max(nct, nrt);
  let l = 0;
  for (l = 1; l <= lu; l++) {
    const lp1 = l + 1;
    if (l <= nct) {
      s[l] = dnrm2(n - l + 1, x, X(l, l), 1);
      if (s[l] !== 0) {
        if (x[X(l, l)] !== 0) s[l] = sign(s[l]!, x[X(l, l)]!);
        dscal(n - l + 1, 1 / s[l]!, x, X(l, l));
        x[X(l, l)] = x[X(l, l)]! + 1;
      }
      s[l] = -s[l]!;
    }
    if (p >= lp1) {
      for (let j = lp1; j <= p; j++) {
        if (l <= nct && s[l] !== 0) {
          const t = -ddot(n - l + 1, x, X(l, l), x, X(l, j)) / x[X(l, l)]!;
          daxpy(n - l + 1, t, x, X(l, l), x, X(l, j));
        }
        e[j] = x[X(l, j)]!;
      }
    }
    if (wantu && l <= nct) {
      for (let i = l; i <= n; i++) u[U(i, l)] = x[X(i, l)]!;
    }
    if (l > nrt) continue;
    e[l] = dnrm2(p - l, e, lp1, 1);
    if (e[l] !== 0) {
      if (e[lp1] !== 0) e[l] = sign(e[l]!, e[lp1]!);
      dscal(p - l, 1 / e[l]!, e, lp1);
      e[lp1] = e[lp1]! + 1;
    }
    e[l] = -e[l]!;
    if (lp1 <= n && e[l] !== 0) {
      for (let i = lp1; i <= n; i++) work[i] = 0;
      for (let j = lp1; j <= p; j++) daxpy(n - l, e[j]!, x, X(lp1, j), work, lp1);
      for (let j = lp1; j <= p; j++) daxpy(n - l, -e[j]! / e[lp1]!, work, lp1, x, X(lp1, j));
    }
    if (wantv) for (let i = lp1; i <= p; i++) v[V(i, l)] = e[i]!;
  }
  let m = Math.min(p, n + 1);
  const nctp1 = nct + 1;
  const nrtp1 = nrt + 1;
  if (nct < p) s[nctp1] = x[X(nctp1, nctp1)]!;
  if (n < m) s[m] = 0;
  if (nrtp1 < m) e[nrtp1] = x[X(nrtp1, m)]!;
  e[m] = 0;
  if (wantu) {
    for (let j = nctp1; j <= ncu; j++) {
      for (let i = 1; i <= n; i++) u[U(i, j)] = 0;
      u[U(j, j)] = 1;
    }
    for (let ll = 1; ll <= nct; ll++) {
      l = nct - ll + 1;
      if (s[l] !== 0) {
        const lp1 = l + 1;
        for (let j = lp1; j <= ncu; j++) {
          const t = -ddot(n - l + 1, u, U(l, l), u, U(l, j)) / u[U(l, l)]!;
          daxpy(n - l + 1, t, u, U(l, l), u, U(l, j));
        }
        dscal(n - l + 1, -1, u, U(l, l));
        u[U(l, l)] = u[U(l, l)]! + 1;
        for (let i = 1; i <= l - 1; i++) u[U(i, l)] = 0;
      } else {
        for (let i = 1; i <= n; i++) u[U(i, l)] = 0;
        u[U(l, l)] = 1;
      }
    }
  }
  if (wantv) {
    for (let ll = 1; ll <= p; ll++) {
      l = p - ll + 1;
      const lp1 = l + 1;
      if (l <= nrt && e[l] !== 0) {
        for (let j = lp1; j <= p; j++) {
          const t = -ddot(p - l, v, V(lp1, l), v, V(lp1, j)) / v[V(lp1, l)]!;
          daxpy(p - l, t, v, V(lp1, l), v, V(lp1, j));
        }
      }
      for (let i = 1; i <= p; i++) v[V(i, l)] = 0;
      v[V(l, l)] = 1;
    }
  }
  const mm = m;
  let iter = 0;
  let ls = 0;
  for (;;) {
    if (m === 0) break;
    if (iter >= maxit) throw new Error("SVD of the direction matrix did not converge");
    let ll: number;
    for (ll = 1; ll <= m; ll++) {
      l = m - ll;
      if (l === 0) break;
      const test = Math.abs(s[l]!) + Math.abs(s[l + 1]!);
      const ztest = test + Math.abs(e[l]!);
      if (ztest === test) {
        e[l] = 0;
        break;
      }
    }
    let kase: number;
    if (l === m - 1) {
      kase = 4;
    } else {
      const lp1 = l + 1;
      const mp1 = m + 1;
      let lls: number;
      for (lls = lp1; lls <= mp1; lls++) {
        ls = m - lls + lp1;
        if (ls === l) break;
        let test = 0;
        if (ls !== m) test += Math.abs(e[ls]!);
        if (ls !== l + 1) test += Math.abs(e[ls - 1]!);
        const ztest = test + Math.abs(s[ls]!);
        if (ztest === test) {
          s[ls] = 0;
          break;
        }
      }
      if (ls === l) kase = 3;
      else if (ls === m) kase = 1;
      else {
        kase = 2;
        l = ls;
      }
    }
    l++;
    if (kase === 1) {
      const mm1 = m - 1;
      let f = e[m - 1]!;
      e[m - 1] = 0;
      for (let kk = l; kk <= mm1; kk++) {
        const k = mm1 - kk + l;
        const [r, , cs, sn] = drotg(s[k]!, f);
        s[k] = r;
        if (k !== l) {
          f = -sn * e[k - 1]!;
          e[k - 1] = cs * e[k - 1]!;
        }
        if (wantv) drot(p, v, V(1, k), v, V(1, m), cs, sn);
      }
    } else if (kase === 2) {
      let f = e[l - 1]!;
      e[l - 1] = 0;
      for (let k = l; k <= m; k++) {
        const [r, , cs, sn] = drotg(s[k]!, f);
        s[k] = r;
        f = -sn * e[k]!;
        e[k] = cs * e[k]!;
        if (wantu) drot(n, u, U(1, k), u, U(1, l - 1), cs, sn);
      }
    } else if (kase === 3) {
      const scale = Math.max(
        Math.abs(s[m]!),
        Math.abs(s[m - 1]!),
        Math.abs(e[m - 1]!),
        Math.abs(s[l]!),
        Math.abs(e[l]!),
      );
      const sm = s[m]! / scale;
      const smm1 = s[m - 1]! / scale;
      const emm1 = e[m - 1]! / scale;
      const sl = s[l]! / scale;
      const el = e[l]! / scale;
      const b = ((smm1 + sm) * (smm1 - sm) + emm1 * emm1) / 2;
      const smE = sm * emm1;
      const c = smE * smE;
      let shift = 0;
      if (!(b === 0 && c === 0)) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sl + sm) * (sl - sm) + shift;
      let g = sl * el;
      const mm1 = m - 1;
      for (let k = l; k <= mm1; k++) {
        let [r, , cs, sn] = drotg(f, g);
        f = r;
        if (k !== l) e[k - 1] = f;
        f = cs * s[k]! + sn * e[k]!;
        e[k] = cs * e[k]! - sn * s[k]!;
        g = sn * s[k + 1]!;
        s[k + 1] = cs * s[k + 1]!;
        if (wantv) drot(p, v, V(1, k), v, V(1, k + 1), cs, sn);
        [r, , cs, sn] = drotg(f, g);
        f = r;
        s[k] = f;
        f = cs * e[k]! + sn * s[k + 1]!;
        s[k + 1] = -sn * e[k]! + cs * s[k + 1]!;
        g = sn * e[k + 1]!;
        e[k + 1] = cs * e[k + 1]!;
        if (wantu && k < n) drot(n, u, U(1, k), u, U(1, k + 1), cs, sn);
      }
      e[m - 1] = f;
      iter++;
    } else {
      if (s[l]! < 0) {
        s[l] = -s[l]!;
        if (wantv) dscal(p, -1, v, V(1, l));
      }
      while (l !== mm && s[l]! < s[l + 1]!) {
        const t = s[l]!;
        s[l] = s[l + 1]!;
        s[l + 1] = t;
        if (wantv && l < p) dswap(p, v, V(1, l), v, V(1, l + 1));
        if (wantu && l < n) dswap(n, u, U(1, l), u, U(1, l + 1));
        l++;
      }
      iter = 0;
      m--;
    }
  }
  const sv = new Float64Array(n);
  for (let j = 0; j < n; j++) sv[j] = s[j + 1]!;
  return { s: sv, u, v };
}

/** vnl_matrix_inverse<double>(M).as_matrix(): V * diag(1/|w|) * U^T (vnl_matrix products). */
export function svdInverse(m: number[][]): number[][] {
  const n = m.length;
  const { s, u, v } = dsvdc(m, n);
  const winv = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const w = Math.abs(s[k]!);
    if (w === 0) throw new Error("direction/spacing matrix is singular");
    winv[k] = 1.0 / w;
  }
  // (V * Winv) then * U^T, each as vnl_matrix's triple loop (sum from 0 in j order).
  const vw: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let k = 0; k < n; k++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += v[i + j * n]! * (j === k ? winv[k]! : 0);
      row.push(sum);
    }
    vw.push(row);
  }
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let k = 0; k < n; k++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += vw[i]![j]! * u[k + j * n]!;
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}
