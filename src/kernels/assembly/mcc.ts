/**
 * GLCM MCC, fast path (binding: src/kernels/mcc.ts): for each angle, the second-largest eigenvalue
 * of the MCC matrix Q(i, j) = sum_k p(i, k) p(j, k) / (px(i) py(k) + eps) (PyRadiomics getMCC),
 * or NaN when it cannot be had reliably this way (then the general eigensolver of
 * src/features/glcm/mcc-general.ts decides, see computeGlcmFeatures).
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
 *
 * The arithmetic is the former JavaScript implementation's, operation for operation (WebAssembly
 * has no implicit fused multiply-add and its sqrt, min, max and abs are IEEE 754 as V8's are), so
 * the results are identical to the last bit.
 */
import { getF64, getI32, room, setF64, setI32 } from "./memory-access";

/** numpy's float64 machine epsilon (NUMPY_EPS of src/features/texture-common.ts). */
const EPS: f64 = 2.220446049250313e-16;
/** JavaScript's Number.MIN_VALUE, the smallest subnormal double. */
const SMALLEST_SUBNORMAL: f64 = 5e-324;

// Working arrays for up to n levels, carved by layOutScratch out of the block the binding reserves
// (glcmMccScratchBytes bytes at the kernel's `scratch` pointer). Nothing in them is assumed zeroed.
/** i32[n]: the active levels (px > 0). */
let rows: usize = 0;
/** i32[n]: the active columns (py > 0). */
let cols: usize = 0;
/** i32[n]: union-find forest over the active rows. */
let parent: usize = 0;
/** i32[n]: per column, the first active row with p > 0 there (-1: none yet). */
let owner: usize = 0;
/** i32[n]: group number of each union-find root. */
let label: usize = 0;
/** i32[n + 1]: where each group starts in `order`. */
let groupStart: usize = 0;
/** i32[n]: next free position of each group in `order` while filling it. */
let fillAt: usize = 0;
/** i32[n]: the active levels, each group's contiguous, in their original order within a group. */
let order: usize = 0;
/** i32[n]: rows interchanged by partial pivoting in the inverse iteration's LU factors. */
let swapped: usize = 0;
/** f64[n]: sqrt(px) of the rows in `order`. */
let sqrtPx: usize = 0;
/** f64[n]: sqrt(py) of the active columns. */
let sqrtPy: usize = 0;
/** f64[n * n]: B (active rows in group order x active columns), row-major. */
let b: usize = 0;
/** f64[n * n]: B^T. */
let bt: usize = 0;
/** f64[n * n]: one group's S = B B^T, then its Householder vectors (tridiagonalise). */
let s: usize = 0;
/** f64[n]: diagonal of the tridiagonal matrix T. */
let diag: usize = 0;
/** f64[n]: sub-diagonal of T. */
let off: usize = 0;
/** f64[n]: Householder coefficients beta_k. */
let beta: usize = 0;
/** f64[n]: eigenvector of T, then of S. */
let eigenvector: usize = 0;
/** f64[n]: p = beta A v, then w, of tridiagonalise. */
let pv: usize = 0;
/** f64[n]: the three diagonals of U and the multipliers of the LU factors of T - lambda I. */
let u0: usize = 0;
let u1: usize = 0;
let u2: usize = 0;
let mult: usize = 0;
/** f64[n]: B^T s and F^T s of the first-order correction. */
let btS: usize = 0;
let ftS: usize = 0;
/** f64[4 n + 4]: candidate eigenvalues of Q as (value, reliable) pairs. */
let cand: usize = 0;

/** Lays the working arrays for n levels out from `base` (16-byte aligned); returns their end. */
function layOutScratch(base: usize, n: i32): usize {
  let at = (base + 15) & ~(<usize>15);
  rows = at;
  at += room(n, 4);
  cols = at;
  at += room(n, 4);
  parent = at;
  at += room(n, 4);
  owner = at;
  at += room(n, 4);
  label = at;
  at += room(n, 4);
  groupStart = at;
  at += room(n + 1, 4);
  fillAt = at;
  at += room(n, 4);
  order = at;
  at += room(n, 4);
  swapped = at;
  at += room(n, 4);
  sqrtPx = at;
  at += room(n, 8);
  sqrtPy = at;
  at += room(n, 8);
  b = at;
  at += room(n * n, 8);
  bt = at;
  at += room(n * n, 8);
  s = at;
  at += room(n * n, 8);
  diag = at;
  at += room(n, 8);
  off = at;
  at += room(n, 8);
  beta = at;
  at += room(n, 8);
  eigenvector = at;
  at += room(n, 8);
  pv = at;
  at += room(n, 8);
  u0 = at;
  at += room(n, 8);
  u1 = at;
  at += room(n, 8);
  u2 = at;
  at += room(n, 8);
  mult = at;
  at += room(n, 8);
  btS = at;
  at += room(n, 8);
  ftS = at;
  at += room(n, 8);
  cand = at;
  at += room(4 * n + 4, 8);
  return at;
}

/** Bytes of working memory glcmMccSecondEigenvalues needs for n levels. */
export function glcmMccScratchBytes(n: i32): usize {
  // + 16: room to align an unaligned base.
  return layOutScratch(0, n) + 16;
}

/**
 * Second-largest eigenvalue of Q for each of angleCount angles: p holds the normalised n x n
 * matrices one after the other, px and py the marginals of each (n per angle). Writes lambdas
 * until the first angle whose eigenvalue is not reliable this way (NaN), and NaN for every later
 * angle without computing it: the general eigensolver then takes every angle. Returns the number
 * of angles with a reliable eigenvalue (angleCount when all are).
 */
export function glcmMccSecondEigenvalues(
  p: usize,
  px: usize,
  py: usize,
  n: i32,
  angleCount: i32,
  lambdas: usize,
  scratch: usize,
): i32 {
  layOutScratch(scratch, n);
  const matrixBytes = (<usize>(n * n)) << 3;
  const marginalBytes = (<usize>n) << 3;
  let reliable = 0;
  while (reliable < angleCount) {
    const lambda = secondEigenvalueOfQ(
      p + <usize>reliable * matrixBytes,
      px + <usize>reliable * marginalBytes,
      py + <usize>reliable * marginalBytes,
      n,
    );
    if (Number.isNaN(lambda)) break;
    setF64(lambdas, reliable, lambda);
    reliable++;
  }
  for (let a = reliable; a < angleCount; a++) setF64(lambdas, a, NaN);
  return reliable;
}

/** Root of x's tree in the union-find forest `parent`, halving the path on the way. */
function findRoot(x: i32): i32 {
  let at = x;
  while (getI32(parent, at) !== at) {
    setI32(parent, at, getI32(parent, getI32(parent, at)));
    at = getI32(parent, at);
  }
  return at;
}

/** Appends a candidate (value, reliable) at position count; returns the new count. */
function pushCandidate(count: i32, value: f64, reliable: bool): i32 {
  setF64(cand, 2 * count, value);
  setF64(cand, 2 * count + 1, reliable ? 1 : 0);
  return count + 1;
}

/** One angle's second-largest eigenvalue of Q (see the top of this file), or NaN. */
function secondEigenvalueOfQ(p: usize, px: usize, py: usize, n: i32): f64 {
  // Active levels (px > 0), grouped: union-find over rows sharing a column.
  let m = 0;
  for (let i = 0; i < n; i++) if (getF64(px, i) > 0) setI32(rows, m++, i);
  let nk = 0;
  for (let k = 0; k < n; k++) if (getF64(py, k) > 0) setI32(cols, nk++, k);
  if (m < 2) return NaN;
  for (let k = 0; k < n; k++) setI32(owner, k, -1);
  for (let r = 0; r < m; r++) setI32(parent, r, r);
  for (let r = 0; r < m; r++) {
    const src = getI32(rows, r) * n;
    for (let k = 0; k < n; k++) {
      if (getF64(p, src + k) === 0) continue;
      const o = getI32(owner, k);
      if (o < 0) setI32(owner, k, r);
      else {
        const a = findRoot(o);
        const c = findRoot(r);
        if (a !== c) setI32(parent, c, a);
      }
    }
  }
  // Order rows by group (stable), keeping each group's rows contiguous.
  let groups = 0;
  for (let r = 0; r < m; r++) setI32(label, r, -1);
  for (let r = 0; r < m; r++) {
    const root = findRoot(r);
    if (getI32(label, root) === -1) setI32(label, root, groups++);
  }
  for (let g = 0; g <= groups; g++) setI32(groupStart, g, 0);
  for (let r = 0; r < m; r++) {
    const next = getI32(label, findRoot(r)) + 1;
    setI32(groupStart, next, getI32(groupStart, next) + 1);
  }
  for (let g = 0; g < groups; g++)
    setI32(groupStart, g + 1, getI32(groupStart, g + 1) + getI32(groupStart, g));
  for (let g = 0; g < groups; g++) setI32(fillAt, g, getI32(groupStart, g));
  for (let r = 0; r < m; r++) {
    const g = getI32(label, findRoot(r));
    const at = getI32(fillAt, g);
    setI32(order, at, getI32(rows, r));
    setI32(fillAt, g, at + 1);
  }
  for (let r = 0; r < m; r++) setF64(sqrtPx, r, sqrt<f64>(getF64(px, getI32(order, r))));
  for (let c = 0; c < nk; c++) setF64(sqrtPy, c, sqrt<f64>(getF64(py, getI32(cols, c))));
  // B (m x nk, rows in group order) and its transpose.
  for (let r = 0; r < m; r++) {
    const src = getI32(order, r) * n;
    const sx = getF64(sqrtPx, r);
    for (let c = 0; c < nk; c++) {
      const val = getF64(p, src + getI32(cols, c)) / (sx * getF64(sqrtPy, c));
      setF64(b, r * nk + c, val);
      setF64(bt, c * m + r, val);
    }
  }

  // Candidates for the two largest eigenvalues of Q.
  let count = 0;
  for (let g = 0; g < groups; g++) {
    const lo = getI32(groupStart, g);
    const mc = getI32(groupStart, g + 1) - lo;
    if (mc === 1) {
      // 1 x 1 block: Q(i, i) itself.
      const i = getI32(order, lo);
      let q: f64 = 0;
      for (let c = 0; c < nk; c++) {
        const v = getF64(p, i * n + getI32(cols, c));
        if (v !== 0) q += (v * v) / (getF64(px, i) * getF64(py, getI32(cols, c)) + EPS);
      }
      count = pushCandidate(count, q, true);
      continue;
    }
    // Lower triangle of S = B B^T for this group, skipping zero entries of B.
    memory.fill(s, 0, (<usize>(mc * mc)) << 3);
    for (let r = 0; r < mc; r++) {
      const row = r * mc;
      const bRow = (lo + r) * nk;
      for (let c = 0; c < nk; c++) {
        const brc = getF64(b, bRow + c);
        if (brc === 0) continue;
        const col = c * m + lo;
        for (let q = 0; q <= r; q++)
          setF64(s, row + q, getF64(s, row + q) + brc * getF64(bt, col + q));
      }
    }
    tridiagonalise(mc);
    tridiagonalTopEigenvalues(mc);
    const l1 = top1;
    const l2 = top2;
    const l3 = top3;
    count = pushCorrected(px, py, lo, mc, nk, l1, l1 - l2, count);
    count = pushCorrected(px, py, lo, mc, nk, l2, min<f64>(l1 - l2, l2 - l3), count);
  }
  // Exact zero eigenvalues of the inactive levels (two at most are needed).
  for (let z = 0; z < min<i32>(n - m, 2); z++) count = pushCandidate(count, 0, true);
  // Second largest candidate.
  let best = -1;
  let second = -1;
  for (let c = 0; c < count; c++) {
    const v = getF64(cand, 2 * c);
    if (best < 0 || v > getF64(cand, 2 * best)) {
      second = best;
      best = c;
    } else if (second < 0 || v > getF64(cand, 2 * second)) second = c;
  }
  const lambda = getF64(cand, 2 * second);
  if (getF64(cand, 2 * second + 1) !== 1 || !(lambda > 1e-6)) return NaN;
  return lambda;
}

/**
 * Appends the eigenvalue `lambda` of the block S (rows lo..lo+mc-1 of B, tridiagonalised in s,
 * diag, off, beta) with its first-order eps correction as candidate number count; unreliable when
 * gap (distance to the nearest other eigenvalue of the block) is not positive or the second-order
 * bound exceeds 1e-12 lambda. Returns the new candidate count.
 */
function pushCorrected(
  px: usize,
  py: usize,
  lo: i32,
  mc: i32,
  nk: i32,
  lambda: f64,
  gap: f64,
  count: i32,
): i32 {
  if (!(gap > 0)) return pushCandidate(count, lambda, false);
  const v = eigenvector;
  // Unit eigenvector of S: inverse iteration on T, then back through the reflectors.
  tridiagonalEigenvector(mc, lambda);
  for (let k = mc - 3; k >= 0; k--) {
    const bk = getF64(beta, k);
    if (bk === 0) continue;
    const vk = k * mc;
    let dot: f64 = 0;
    for (let i = k + 1; i < mc; i++) dot += getF64(s, vk + i) * getF64(v, i);
    dot *= bk;
    for (let i = k + 1; i < mc; i++) setF64(v, i, getF64(v, i) - dot * getF64(s, vk + i));
  }
  // E = F B^T with F = B o (W - 1), W - 1 = -eps / (px py + eps):
  // s^T E s = (F^T s) . (B^T s); |E s| = |F (B^T s)|; |E^T s| = |B (F^T s)|.
  memory.fill(btS, 0, (<usize>nk) << 3);
  memory.fill(ftS, 0, (<usize>nk) << 3);
  for (let r = 0; r < mc; r++) {
    const vr = getF64(v, r);
    const pxr = getF64(px, getI32(order, lo + r));
    const bRow = (lo + r) * nk;
    for (let c = 0; c < nk; c++) {
      const brc = getF64(b, bRow + c);
      if (brc === 0) continue;
      setF64(btS, c, getF64(btS, c) + brc * vr);
      setF64(
        ftS,
        c,
        getF64(ftS, c) - ((brc * EPS) / (pxr * getF64(py, getI32(cols, c)) + EPS)) * vr,
      );
    }
  }
  let delta: f64 = 0;
  for (let c = 0; c < nk; c++) delta += getF64(ftS, c) * getF64(btS, c);
  let es2: f64 = 0;
  let ets2: f64 = 0;
  for (let r = 0; r < mc; r++) {
    const pxr = getF64(px, getI32(order, lo + r));
    const bRow = (lo + r) * nk;
    let es: f64 = 0;
    let ets: f64 = 0;
    for (let c = 0; c < nk; c++) {
      const brc = getF64(b, bRow + c);
      if (brc === 0) continue;
      es -= ((brc * EPS) / (pxr * getF64(py, getI32(cols, c)) + EPS)) * getF64(btS, c);
      ets += brc * getF64(ftS, c);
    }
    es2 += es * es;
    ets2 += ets * ets;
  }
  const corrected = lambda + delta;
  return pushCandidate(
    count,
    corrected,
    sqrt<f64>(es2 * ets2) / gap <= 1e-12 * abs<f64>(corrected),
  );
}

/**
 * Householder reduction of the symmetric m x m matrix s (row-major, lower triangle read) to
 * tridiagonal form T = H_{m-3} ... H_0 A H_0 ... H_{m-3}, H_k = I - beta_k v_k v_k^T (Golub & Van
 * Loan 8.3.1). Diagonal to diag, sub-diagonal to off[0..m-2]; v_k is left in row k of s (columns
 * k+1..m-1, its upper triangle) and beta_k in beta[k].
 */
function tridiagonalise(m: i32): void {
  const a = s;
  for (let k = 0; k < m - 2; k++) {
    const vk = k * m;
    // x = a(k+1.., k), read from the lower triangle; v stored in row k.
    let tail: f64 = 0;
    for (let i = k + 2; i < m; i++) {
      const x = getF64(a, i * m + k);
      setF64(a, vk + i, x);
      tail += x * x;
    }
    const x0 = getF64(a, (k + 1) * m + k);
    setF64(diag, k, getF64(a, vk + k));
    if (tail === 0) {
      setF64(off, k, x0);
      setF64(beta, k, 0);
      continue;
    }
    const norm = sqrt<f64>(x0 * x0 + tail);
    const alpha = x0 > 0 ? -norm : norm;
    const v0 = x0 - alpha;
    setF64(a, vk + k + 1, v0);
    const bk = 2 / (v0 * v0 + tail);
    setF64(beta, k, bk);
    setF64(off, k, alpha);
    // pv = beta A22 v over the trailing block (lower triangle only).
    memory.fill(pv + ((<usize>(k + 1)) << 3), 0, (<usize>(m - k - 1)) << 3);
    for (let i = k + 1; i < m; i++) {
      const row = i * m;
      const vi = getF64(a, vk + i);
      let acc = getF64(a, row + i) * vi;
      for (let j = k + 1; j < i; j++) {
        const aij = getF64(a, row + j);
        acc += aij * getF64(a, vk + j);
        setF64(pv, j, getF64(pv, j) + aij * vi);
      }
      setF64(pv, i, getF64(pv, i) + acc);
    }
    let pTv: f64 = 0;
    for (let i = k + 1; i < m; i++) {
      setF64(pv, i, getF64(pv, i) * bk);
      pTv += getF64(pv, i) * getF64(a, vk + i);
    }
    const half = (bk / 2) * pTv;
    for (let i = k + 1; i < m; i++) setF64(pv, i, getF64(pv, i) - half * getF64(a, vk + i));
    // A22 -= v w^T + w v^T (lower triangle).
    for (let i = k + 1; i < m; i++) {
      const row = i * m;
      const vi = getF64(a, vk + i);
      const wi = getF64(pv, i);
      for (let j = k + 1; j <= i; j++)
        setF64(a, row + j, getF64(a, row + j) - vi * getF64(pv, j) - wi * getF64(a, vk + j));
    }
  }
  if (m >= 2) {
    setF64(diag, m - 2, getF64(a, (m - 2) * m + (m - 2)));
    setF64(off, m - 2, getF64(a, (m - 1) * m + (m - 2)));
    setF64(beta, m - 2, 0);
  }
  setF64(diag, m - 1, getF64(a, (m - 1) * m + (m - 1)));
}

/** The three largest eigenvalues found by tridiagonalTopEigenvalues, largest first. */
let top1: f64 = 0;
let top2: f64 = 0;
let top3: f64 = 0;

/**
 * The three largest eigenvalues (two when m = 2; top3 is then -Infinity) of the symmetric m x m
 * tridiagonal matrix (diag, off), each by bisection on Sturm sequence counts (Golub & Van Loan
 * 8.4.1) to the last representable bit. The three bisections are independent; they run side by
 * side only so that the processor overlaps their chains of divisions. Each performs exactly the
 * operations it would alone: the same start interval, the same midpoints, counts and stop.
 */
function tridiagonalTopEigenvalues(m: i32): void {
  // Gershgorin interval of all eigenvalues, the bisections' common start.
  let lo: f64 = Infinity;
  let hi: f64 = -Infinity;
  let scale: f64 = 0;
  for (let i = 0; i < m; i++) {
    const r =
      (i > 0 ? abs<f64>(getF64(off, i - 1)) : 0) + (i < m - 1 ? abs<f64>(getF64(off, i)) : 0);
    lo = min<f64>(lo, getF64(diag, i) - r);
    hi = max<f64>(hi, getF64(diag, i) + r);
    scale = max<f64>(scale, abs<f64>(getF64(diag, i)) + r);
  }
  const pivmin = SMALLEST_SUBNORMAL * 1e10 + scale * EPS * EPS;
  // Bisection k (1, 2, 3) brackets the eigenvalue with m - k eigenvalues below it.
  const want3 = m >= 3;
  let lo1 = lo;
  let hi1 = hi;
  let lo2 = lo;
  let hi2 = hi;
  let lo3 = lo;
  let hi3 = hi;
  let done1 = false;
  let done2 = false;
  let done3 = !want3;
  for (let iter = 0; iter < 200; iter++) {
    const mid1 = lo1 + (hi1 - lo1) / 2;
    const mid2 = lo2 + (hi2 - lo2) / 2;
    const mid3 = lo3 + (hi3 - lo3) / 2;
    // A bisection stops when its interval has no double strictly inside.
    if (mid1 <= lo1 || mid1 >= hi1) done1 = true;
    if (mid2 <= lo2 || mid2 >= hi2) done2 = true;
    if (mid3 <= lo3 || mid3 >= hi3) done3 = true;
    if (done1 && done2 && done3) break;
    // Number of eigenvalues below each mid (a stopped bisection's count is ignored).
    let count1 = 0;
    let count2 = 0;
    let count3 = 0;
    const d0 = getF64(diag, 0);
    let q1 = d0 - mid1;
    let q2 = d0 - mid2;
    let q3 = d0 - mid3;
    if (abs<f64>(q1) < pivmin) q1 = -pivmin;
    if (abs<f64>(q2) < pivmin) q2 = -pivmin;
    if (abs<f64>(q3) < pivmin) q3 = -pivmin;
    if (q1 < 0) count1++;
    if (q2 < 0) count2++;
    if (q3 < 0) count3++;
    for (let i = 1; i < m; i++) {
      const e = getF64(off, i - 1);
      const e2 = e * e;
      const di = getF64(diag, i);
      q1 = di - mid1 - e2 / q1;
      q2 = di - mid2 - e2 / q2;
      q3 = di - mid3 - e2 / q3;
      if (abs<f64>(q1) < pivmin) q1 = -pivmin;
      if (abs<f64>(q2) < pivmin) q2 = -pivmin;
      if (abs<f64>(q3) < pivmin) q3 = -pivmin;
      if (q1 < 0) count1++;
      if (q2 < 0) count2++;
      if (q3 < 0) count3++;
    }
    if (!done1) {
      if (count1 > m - 1) hi1 = mid1;
      else lo1 = mid1;
    }
    if (!done2) {
      if (count2 > m - 2) hi2 = mid2;
      else lo2 = mid2;
    }
    if (!done3) {
      if (count3 > m - 3) hi3 = mid3;
      else lo3 = mid3;
    }
  }
  top1 = lo1 + (hi1 - lo1) / 2;
  top2 = lo2 + (hi2 - lo2) / 2;
  top3 = want3 ? lo3 + (hi3 - lo3) / 2 : -Infinity;
}

/**
 * Unit eigenvector (into `eigenvector`) of the symmetric m x m tridiagonal matrix (diag, off) for
 * the eigenvalue lambda: three steps of inverse iteration, (T - lambda I) y_new = y, solved by
 * Gaussian elimination with partial pivoting (Golub & Van Loan 8.2.2, 4.3).
 */
function tridiagonalEigenvector(m: i32, lambda: f64): void {
  const y = eigenvector;
  let scale: f64 = 0;
  for (let i = 0; i < m; i++)
    scale = max<f64>(scale, abs<f64>(getF64(diag, i)) + (i < m - 1 ? abs<f64>(getF64(off, i)) : 0));
  // JavaScript's `scale || 1`: scale is >= 0 or NaN.
  const tiny = EPS * (scale > 0 ? scale : 1);
  let cd = getF64(diag, 0) - lambda;
  let cs: f64 = m > 1 ? getF64(off, 0) : 0;
  for (let i = 0; i < m - 1; i++) {
    const sub = getF64(off, i);
    const dg = getF64(diag, i + 1) - lambda;
    const sup: f64 = i + 1 < m - 1 ? getF64(off, i + 1) : 0;
    if (abs<f64>(sub) > abs<f64>(cd)) {
      setI32(swapped, i, 1);
      setF64(u0, i, sub);
      setF64(u1, i, dg);
      setF64(u2, i, sup);
      const f = cd / sub;
      setF64(mult, i, f);
      cd = cs - f * dg;
      cs = -f * sup;
    } else {
      setI32(swapped, i, 0);
      const pivot = cd === 0 ? tiny : cd;
      setF64(u0, i, pivot);
      setF64(u1, i, cs);
      setF64(u2, i, 0);
      const f = sub / pivot;
      setF64(mult, i, f);
      cd = dg - f * cs;
      cs = sup;
    }
  }
  setF64(u0, m - 1, cd === 0 ? tiny : cd);
  for (let i = 0; i < m; i++) setF64(y, i, 1);
  for (let it = 0; it < 3; it++) {
    for (let i = 0; i < m - 1; i++) {
      if (getI32(swapped, i) !== 0) {
        const tmp = getF64(y, i);
        setF64(y, i, getF64(y, i + 1));
        setF64(y, i + 1, tmp);
      }
      setF64(y, i + 1, getF64(y, i + 1) - getF64(mult, i) * getF64(y, i));
    }
    for (let i = m - 1; i >= 0; i--) {
      let r = getF64(y, i);
      if (i + 1 < m) r -= getF64(u1, i) * getF64(y, i + 1);
      if (i + 2 < m) r -= getF64(u2, i) * getF64(y, i + 2);
      setF64(y, i, r / getF64(u0, i));
    }
    let norm: f64 = 0;
    for (let i = 0; i < m; i++) norm = max<f64>(norm, abs<f64>(getF64(y, i)));
    for (let i = 0; i < m; i++) setF64(y, i, getF64(y, i) / norm);
  }
  let sq: f64 = 0;
  for (let i = 0; i < m; i++) sq += getF64(y, i) * getF64(y, i);
  const inv = 1 / sqrt<f64>(sq);
  for (let i = 0; i < m; i++) setF64(y, i, getF64(y, i) * inv);
}
