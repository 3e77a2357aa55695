/**
 * MCC, fast path: the second-largest eigenvalue of one angle's MCC matrix Q through the symmetric
 * positive semi-definite matrix it is similar to (block grouping, Householder tridiagonalisation,
 * Sturm bisection, first-order eps correction), or NaN when that is not reliable.
 */
import { NUMPY_EPS as EPS } from "../texture-common.js";
import type { MccScratch } from "./mcc-scratch.js";
import { tridiagonalEigenvalue, tridiagonalEigenvector, tridiagonalise } from "./tridiagonal.js";

/**
 * Second-largest eigenvalue of one angle's MCC matrix Q(i, j) = sum_k p(i, k) p(j, k) /
 * (px(i) py(k) + eps) (PyRadiomics getMCC), or NaN when it cannot be had reliably this way (then
 * the general eigensolver decides, see computeGlcmFeatures).
 *
 * Levels with px = 0 give zero rows and columns of Q (exact zero eigenvalues). The other levels
 * split into groups that share no column k with p > 0; Q is block diagonal over these groups, so
 * its eigenvalues are the union of the blocks'. Without eps a block is Dx^-1 P Dy^-1 P^T (Dx =
 * diag(px), Dy = diag(py)), similar to the symmetric positive semi-definite S = B B^T with
 * B = Dx^-1/2 P Dy^-1/2, whose top eigenvalues come from Householder tridiagonalisation and
 * Sturm-sequence bisection (Golub & Van Loan, Matrix Computations, 8.3 and 8.4). The eps terms
 * perturb S by E = (B o (W - 1)) B^T, W(i, k) = px py / (px py + eps); the first-order change
 * s^T E s (s: unit eigenvector of S, inverse iteration on the tridiagonal matrix, back-transformed)
 * is added. A one-level block is its exact 1 x 1 Q. NaN is returned when the wanted eigenvalue is
 * near zero (numpy's sign and complex rules then decide MCC), or is a multiple eigenvalue of its
 * block, or the neglected second-order term |E s| |E^T s| / gap could exceed 1e-12 of it.
 */
export function secondEigenvalueOfQ(
  p: Float64Array,
  px: Float64Array,
  py: Float64Array,
  n: number,
  t: MccScratch,
): number {
  const { rows, cols, sqrtPx, sqrtPy, b, bt, s, parent, cand } = t;
  // Active levels (px > 0), grouped: union-find over rows sharing a column.
  let m = 0;
  for (let i = 0; i < n; i++) if (px[i]! > 0) rows[m++] = i;
  let nk = 0;
  for (let k = 0; k < n; k++) if (py[k]! > 0) cols[nk++] = k;
  if (m < 2) return Number.NaN;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const owner = t.owner;
  owner.fill(-1, 0, n);
  for (let r = 0; r < m; r++) parent[r] = r;
  for (let r = 0; r < m; r++) {
    const src = rows[r]! * n;
    for (let k = 0; k < n; k++) {
      if (p[src + k] === 0) continue;
      const o = owner[k]!;
      if (o < 0) owner[k] = r;
      else {
        const a = find(o);
        const c = find(r);
        if (a !== c) parent[c] = a;
      }
    }
  }
  // Order rows by group (stable), keeping each group's rows contiguous.
  const order = t.order;
  const start = t.groupStart;
  const label = t.label;
  let groups = 0;
  for (let r = 0; r < m; r++) label[r] = -1;
  for (let r = 0; r < m; r++) {
    const root = find(r);
    if (label[root] === -1) label[root] = groups++;
  }
  start.fill(0, 0, groups + 1);
  for (let r = 0; r < m; r++) start[label[find(r)]! + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] = start[g + 1]! + start[g]!;
  const fillAt = t.fillAt;
  for (let g = 0; g < groups; g++) fillAt[g] = start[g]!;
  for (let r = 0; r < m; r++) order[fillAt[label[find(r)]!]!++] = rows[r]!;
  for (let r = 0; r < m; r++) sqrtPx[r] = Math.sqrt(px[order[r]!]!);
  for (let c = 0; c < nk; c++) sqrtPy[c] = Math.sqrt(py[cols[c]!]!);
  // B (m x nk, rows in group order) and its transpose.
  for (let r = 0; r < m; r++) {
    const src = order[r]! * n;
    const sx = sqrtPx[r]!;
    for (let c = 0; c < nk; c++) {
      const val = p[src + cols[c]!]! / (sx * sqrtPy[c]!);
      b[r * nk + c] = val;
      bt[c * m + r] = val;
    }
  }

  // Candidates for the two largest eigenvalues of Q: (value, reliable) pairs.
  let count = 0;
  const push = (value: number, reliable: boolean): void => {
    cand[2 * count] = value;
    cand[2 * count + 1] = reliable ? 1 : 0;
    count++;
  };
  for (let g = 0; g < groups; g++) {
    const lo = start[g]!;
    const mc = start[g + 1]! - lo;
    if (mc === 1) {
      // 1 x 1 block: Q(i, i) itself.
      const i = order[lo]!;
      let q = 0;
      for (let c = 0; c < nk; c++) {
        const v = p[i * n + cols[c]!]!;
        if (v !== 0) q += (v * v) / (px[i]! * py[cols[c]!]! + EPS);
      }
      push(q, true);
      continue;
    }
    // Lower triangle of S = B B^T for this group, skipping zero entries of B.
    s.fill(0, 0, mc * mc);
    for (let r = 0; r < mc; r++) {
      const row = r * mc;
      const bRow = (lo + r) * nk;
      for (let c = 0; c < nk; c++) {
        const brc = b[bRow + c]!;
        if (brc === 0) continue;
        const col = c * m + lo;
        for (let q = 0; q <= r; q++) s[row + q] = s[row + q]! + brc * bt[col + q]!;
      }
    }
    tridiagonalise(s, mc, t);
    const l1 = tridiagonalEigenvalue(t.diag, t.off, mc, mc - 1);
    const l2 = tridiagonalEigenvalue(t.diag, t.off, mc, mc - 2);
    const l3 = mc >= 3 ? tridiagonalEigenvalue(t.diag, t.off, mc, mc - 3) : -Infinity;
    pushCorrected(px, py, lo, mc, nk, l1, l1 - l2, t, push);
    pushCorrected(px, py, lo, mc, nk, l2, Math.min(l1 - l2, l2 - l3), t, push);
  }
  // Exact zero eigenvalues of the inactive levels (two at most are needed).
  for (let z = 0; z < Math.min(n - m, 2); z++) push(0, true);
  // Second largest candidate.
  let best = -1;
  let second = -1;
  for (let c = 0; c < count; c++) {
    const v = cand[2 * c]!;
    if (best < 0 || v > cand[2 * best]!) {
      second = best;
      best = c;
    } else if (second < 0 || v > cand[2 * second]!) second = c;
  }
  const lambda = cand[2 * second]!;
  if (cand[2 * second + 1] !== 1 || !(lambda > 1e-6)) return Number.NaN;
  return lambda;
}

/**
 * Pushes the eigenvalue `lambda` of the block S (rows lo..lo+mc-1 of B, tridiagonalised in t)
 * with its first-order eps correction; unreliable when gap (distance to the nearest other
 * eigenvalue of the block) is not positive or the second-order bound exceeds 1e-12 lambda.
 */
function pushCorrected(
  px: Float64Array,
  py: Float64Array,
  lo: number,
  mc: number,
  nk: number,
  lambda: number,
  gap: number,
  t: MccScratch,
  push: (value: number, reliable: boolean) => void,
): void {
  if (!(gap > 0)) {
    push(lambda, false);
    return;
  }
  const { s, beta, v, b, order, cols } = t;
  // Unit eigenvector of S: inverse iteration on T, then back through the reflectors.
  tridiagonalEigenvector(t.diag, t.off, mc, lambda, v, t);
  for (let k = mc - 3; k >= 0; k--) {
    const bk = beta[k]!;
    if (bk === 0) continue;
    const vk = k * mc;
    let dot = 0;
    for (let i = k + 1; i < mc; i++) dot += s[vk + i]! * v[i]!;
    dot *= bk;
    for (let i = k + 1; i < mc; i++) v[i] = v[i]! - dot * s[vk + i]!;
  }
  // E = F B^T with F = B o (W - 1), W - 1 = -eps / (px py + eps):
  // s^T E s = (F^T s) . (B^T s); |E s| = |F (B^T s)|; |E^T s| = |B (F^T s)|.
  const btS = t.btS;
  const ftS = t.ftS;
  btS.fill(0, 0, nk);
  ftS.fill(0, 0, nk);
  for (let r = 0; r < mc; r++) {
    const vr = v[r]!;
    const pxr = px[order[lo + r]!]!;
    const bRow = (lo + r) * nk;
    for (let c = 0; c < nk; c++) {
      const brc = b[bRow + c]!;
      if (brc === 0) continue;
      btS[c] = btS[c]! + brc * vr;
      ftS[c] = ftS[c]! - ((brc * EPS) / (pxr * py[cols[c]!]! + EPS)) * vr;
    }
  }
  let delta = 0;
  for (let c = 0; c < nk; c++) delta += ftS[c]! * btS[c]!;
  let es2 = 0;
  let ets2 = 0;
  for (let r = 0; r < mc; r++) {
    const pxr = px[order[lo + r]!]!;
    const bRow = (lo + r) * nk;
    let es = 0;
    let ets = 0;
    for (let c = 0; c < nk; c++) {
      const brc = b[bRow + c]!;
      if (brc === 0) continue;
      es -= ((brc * EPS) / (pxr * py[cols[c]!]! + EPS)) * btS[c]!;
      ets += brc * ftS[c]!;
    }
    es2 += es * es;
    ets2 += ets * ets;
  }
  const corrected = lambda + delta;
  push(corrected, Math.sqrt(es2 * ets2) / gap <= 1e-12 * Math.abs(corrected));
}
