/**
 * GLCM features per angle (binding: src/kernels/glcm-features.ts), PyRadiomics glcm.py, for all
 * angles of one GLCM in one call: the marginals px, py, the sum and difference distributions
 * p_{x+y}, p_{x-y} of each normalised matrix p (n x n over the present gray levels g, Ng = the
 * highest gray level) and every feature except MCC (src/kernels/assembly/mcc.ts). The averaging
 * over angles (numpy.nanmean, numpy's pairwise sums) stays in src/features/glcm/compute.ts.
 *
 * px(i) = sum_j p, py(j) = sum_i p, ux = sum i p, uy = sum j p, p_{x+y}(k) for k = 2..2Ng and
 * p_{x-y}(k) for k = 0..Ng-1, HXY = -sum p log2(p + eps).
 *
 * Every sum runs over the cells in row-major order as the plain formula does; cells with p = 0 are
 * skipped where their term is +-0 (adding a signed zero to a sum that starts at +0 never changes
 * it), and the factors that depend on i + j, i or j alone (e.g. (i + j - ux - uy)^4) are evaluated
 * once per value with the same operations. The arithmetic is the former JavaScript
 * implementation's, operation for operation (WebAssembly has no implicit fused multiply-add; its
 * sqrt and max are IEEE 754 as V8's are; log2 and pow (math.ts) give Math.log2's and
 * `**`'s results bit for bit), so the results are identical to the last bit.
 */
import { getF64, getI32, room, setF64, setI32 } from "./memory-access";
import { log2, pow } from "./math";

/** numpy's float64 machine epsilon (NUMPY_EPS of src/features/texture-common.ts). */
const EPS: f64 = 2.220446049250313e-16;

// Remembered results. Voxel-based maps (src/kernels/assembly/voxel-glcm.ts) compute thousands of
// small matrices whose probabilities are a few counts over a few totals: the same log2 and pow
// arguments recur across angles and kernels (over 85% of log2 calls in the oracle's maps). Each
// table is direct-mapped on the argument's bits and returns the function's own earlier result for
// the same argument, so no value changes. A slot holds the complement of the argument's bits, so
// the zeroed memory (static, below the kernels' heap) matches only an all-ones NaN, never looked up.
/** log2: 2^13 slots of (~argument bits, log2). */
const LOG_SLOT_BITS = 13;
const logSlots = memory.data(16 << LOG_SLOT_BITS);
/** pow(s, 3) and pow(s, 4): 2^11 slots of (~s bits, s^3, s^4, unused). */
const POW_SLOT_BITS = 11;
const powSlots = memory.data(32 << POW_SLOT_BITS);
/** The bits of the all-ones NaN, which an empty slot matches. */
const EMPTY: u64 = ~(<u64>0);

/** The slot of an argument's bits among 2^slotBits (Fibonacci hashing, folded to 32 bits). */
function slotOf(bits: u64, slotBits: i32): usize {
  const folded = <u32>(bits ^ (bits >> 32));
  return <usize>((folded * 0x9e3779b1) >> (32 - slotBits));
}

/** log2(x), remembered. */
function cachedLog2(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  const at = logSlots + (slotOf(bits, LOG_SLOT_BITS) << 4);
  if (load<u64>(at) === ~bits && bits !== EMPTY) return load<f64>(at, 8);
  const value = log2(x);
  store<u64>(at, ~bits);
  store<f64>(at, value, 8);
  return value;
}

/** pow(s, 3) and pow(s, 4), remembered, into cubeOf and fourthOf. */
let cubeOf: f64 = 0;
let fourthOf: f64 = 0;
function cachedPow34(s: f64): void {
  const bits = reinterpret<u64>(s);
  const at = powSlots + (slotOf(bits, POW_SLOT_BITS) << 5);
  if (load<u64>(at) === ~bits && bits !== EMPTY) {
    cubeOf = load<f64>(at, 8);
    fourthOf = load<f64>(at, 16);
    return;
  }
  cubeOf = pow(s, 3);
  fourthOf = pow(s, 4);
  store<u64>(at, ~bits);
  store<f64>(at, cubeOf, 8);
  store<f64>(at, fourthOf, 16);
}

// Columns of the feature table (feature-major: column c of angle a at table[c * angleCount + a]);
// src/kernels/glcm-features.ts lists the same names in the same order.
const AUTOCORRELATION = 0;
const CLUSTER_PROMINENCE = 1;
const CLUSTER_SHADE = 2;
const CLUSTER_TENDENCY = 3;
const CONTRAST = 4;
const CORRELATION = 5;
const DIFFERENCE_AVERAGE = 6;
const DIFFERENCE_ENTROPY = 7;
const DIFFERENCE_VARIANCE = 8;
const ID = 9;
const IDM = 10;
const IDMN = 11;
const IDN = 12;
const IMC1 = 13;
const IMC2 = 14;
const INVERSE_VARIANCE = 15;
const JOINT_AVERAGE = 16;
const JOINT_ENERGY = 17;
const JOINT_ENTROPY = 18;
const MAXIMUM_PROBABILITY = 19;
const SUM_AVERAGE = 20;
const SUM_ENTROPY = 21;
const SUM_SQUARES = 22;
const FEATURE_COUNT = 23;

// Working arrays, carved by layOutScratch out of the block the binding reserves
// (glcmFeaturesScratchBytes bytes at the kernel's `scratch` pointer). Nothing in them is assumed
// zeroed: the sums are cleared per angle, the other arrays written before they are read.
/** f64[n]: the gray levels as doubles. */
let levels: usize = 0;
/** f64[2 Ng + 1]: p_{x+y}(k) at k. */
let pxAddy: usize = 0;
/** f64[Ng]: p_{x-y}(k) at k. */
let pxSuby: usize = 0;
/** f64[2 Ng + 1]: (k - ux - uy)^2, ^3, ^4 at k = i + j (only where p_{x+y}(k) > 0). */
let s2: usize = 0;
let s3: usize = 0;
let s4: usize = 0;
/** f64[n]: i - ux, j - uy and their squares. */
let dx: usize = 0;
let dy: usize = 0;
let dx2: usize = 0;
let dy2: usize = 0;
/** f64[n * n]: log2(px(i) py(j) + eps) at the active rows and columns. */
let logPxPy: usize = 0;
/** i32[n]: indices of the rows (px > 0) and columns (py > 0) that hold any probability. */
let rows: usize = 0;
let cols: usize = 0;

/** Lays the working arrays for n levels and Ng = ng out from `base`; returns their end. */
function layOutScratch(base: usize, n: i32, ng: i32): usize {
  let at = (base + 15) & ~(<usize>15);
  levels = at;
  at += room(n, 8);
  pxAddy = at;
  at += room(2 * ng + 1, 8);
  pxSuby = at;
  at += room(ng, 8);
  s2 = at;
  at += room(2 * ng + 1, 8);
  s3 = at;
  at += room(2 * ng + 1, 8);
  s4 = at;
  at += room(2 * ng + 1, 8);
  dx = at;
  at += room(n, 8);
  dy = at;
  at += room(n, 8);
  dx2 = at;
  at += room(n, 8);
  dy2 = at;
  at += room(n, 8);
  logPxPy = at;
  at += room(n * n, 8);
  rows = at;
  at += room(n, 4);
  cols = at;
  at += room(n, 4);
  return at;
}

/** Bytes of working memory glcmAngleFeatures needs for n levels and Ng = ng. */
export function glcmFeaturesScratchBytes(n: i32, ng: i32): usize {
  // + 16: room to align an unaligned base.
  return layOutScratch(0, n, ng) + 16;
}

/**
 * Features of angleCount normalised GLCMs (p: n x n each, one after the other, over the gray
 * levels `grayLevels` (i32[n], ascending, at most ng)): writes the feature table (FEATURE_COUNT
 * columns of angleCount values, feature-major, see the column constants) and each angle's
 * marginals px, py (n per angle). An angle whose matrix is empty (normalised by NaN, p(0, 0) NaN)
 * gets NaN for every feature and its marginals are left unwritten.
 */
export function glcmAngleFeatures(
  p: usize,
  grayLevels: usize,
  n: i32,
  ng: i32,
  angleCount: i32,
  table: usize,
  px: usize,
  py: usize,
  scratch: usize,
): void {
  layOutScratch(scratch, n, ng);
  for (let i = 0; i < n; i++) setF64(levels, i, <f64>getI32(grayLevels, i));
  const matrixBytes = (<usize>(n * n)) << 3;
  const marginalBytes = (<usize>n) << 3;
  for (let a = 0; a < angleCount; a++) {
    const pa = p + <usize>a * matrixBytes;
    if (n > 0 && Number.isNaN(load<f64>(pa))) {
      for (let c = 0; c < FEATURE_COUNT; c++) setF64(table, c * angleCount + a, NaN);
      continue;
    }
    angleFeatures(
      pa,
      grayLevels,
      n,
      ng,
      table + ((<usize>a) << 3),
      angleCount,
      px + <usize>a * marginalBytes,
      py + <usize>a * marginalBytes,
    );
  }
}

/**
 * One angle's features into `out` (column c at out[c * stride]): two passes over p, the first
 * for the marginals, p_{x+y}, p_{x-y} and the features read straight off p (Autocorrelation,
 * Contrast, JointEnergy, JointEntropy, MaximumProbability, JointAverage), the second for those
 * that need ux, uy, px and py (the Cluster features, SumSquares, Correlation, HXY1, HXY2).
 */
function angleFeatures(
  p: usize,
  grayLevels: usize,
  n: i32,
  ng: i32,
  out: usize,
  stride: i32,
  px: usize,
  py: usize,
): void {
  memory.fill(py, 0, (<usize>n) << 3);
  memory.fill(pxAddy, 0, (<usize>(2 * ng + 1)) << 3);
  memory.fill(pxSuby, 0, (<usize>ng) << 3);
  let ux: f64 = 0;
  let uy: f64 = 0;
  let autocorr: f64 = 0;
  let contrast: f64 = 0;
  let energy: f64 = 0;
  let hxy: f64 = 0;
  let maxProb: f64 = 0;
  for (let i = 0; i < n; i++) {
    const gi = getI32(grayLevels, i);
    const fi = getF64(levels, i);
    const row = p + <usize>i * ((<usize>n) << 3);
    let pxi: f64 = 0;
    for (let j = 0; j < n; j++) {
      const v = getF64(row, j);
      if (v === 0) continue;
      const gj = getI32(grayLevels, j);
      const fj = getF64(levels, j);
      pxi += v;
      setF64(py, j, getF64(py, j) + v);
      ux += fi * v;
      uy += fj * v;
      autocorr += v * (fi * fj);
      const diff = abs<i32>(gi - gj);
      const fd = <f64>diff;
      contrast += v * (fd * fd);
      energy += v * v;
      hxy += v * cachedLog2(v + EPS);
      if (v > maxProb) maxProb = v;
      setF64(pxAddy, gi + gj, getF64(pxAddy, gi + gj) + v);
      setF64(pxSuby, diff, getF64(pxSuby, diff) + v);
    }
    setF64(px, i, pxi);
  }
  hxy = -hxy;
  store<f64>(out + ((<usize>(AUTOCORRELATION * stride)) << 3), autocorr);
  store<f64>(out + ((<usize>(CONTRAST * stride)) << 3), contrast);
  store<f64>(out + ((<usize>(JOINT_ENERGY * stride)) << 3), energy);
  store<f64>(out + ((<usize>(JOINT_ENTROPY * stride)) << 3), hxy);
  store<f64>(out + ((<usize>(MAXIMUM_PROBABILITY * stride)) << 3), maxProb);
  store<f64>(out + ((<usize>(JOINT_AVERAGE * stride)) << 3), ux);

  // (i + j - ux - uy)^k depends on i + j only; (i - ux), (j - uy) on i or j only.
  // Only sums i + j that occur (p_{x+y}(k) > 0) are read below.
  for (let k = 2; k <= 2 * ng; k++) {
    if (getF64(pxAddy, k) === 0) continue;
    const s = <f64>k - ux - uy;
    setF64(s2, k, s * s);
    cachedPow34(s);
    setF64(s3, k, cubeOf);
    setF64(s4, k, fourthOf);
  }
  for (let i = 0; i < n; i++) {
    const d = getF64(levels, i) - ux;
    setF64(dx, i, d);
    setF64(dx2, i, d * d);
    const e = getF64(levels, i) - uy;
    setF64(dy, i, e);
    setF64(dy2, i, e * e);
  }
  // Only rows with px > 0 and columns with py > 0 can contribute below: any other term is a
  // signed zero, and skipping it leaves every sum unchanged to the bit. This matters when the
  // levels include some absent from this matrix (voxel-based kernels keep the whole ROI's levels).
  let nr = 0;
  let nc = 0;
  for (let i = 0; i < n; i++) {
    if (getF64(px, i) !== 0) setI32(rows, nr++, i);
    if (getF64(py, i) !== 0) setI32(cols, nc++, i);
  }
  // log2(px(i) py(j) + eps); symmetric in (i, j) when px = py (a symmetrical GLCM).
  let symmetric = true;
  for (let i = 0; i < n; i++) {
    if (getF64(px, i) !== getF64(py, i)) {
      symmetric = false;
      break;
    }
  }
  for (let a = 0; a < nr; a++) {
    const i = getI32(rows, a);
    const pxi = getF64(px, i);
    for (let b = symmetric ? a : 0; b < nc; b++) {
      const j = getI32(cols, b);
      const l = cachedLog2(pxi * getF64(py, j) + EPS);
      setF64(logPxPy, i * n + j, l);
      if (symmetric) setF64(logPxPy, j * n + i, l);
    }
  }

  let cp: f64 = 0;
  let cs: f64 = 0;
  let ct: f64 = 0;
  let sigx2: f64 = 0;
  let sigy2: f64 = 0;
  let corm: f64 = 0;
  let hxy1: f64 = 0;
  let hxy2: f64 = 0;
  for (let a = 0; a < nr; a++) {
    const i = getI32(rows, a);
    const gi = getI32(grayLevels, i);
    const rowBase = i * n;
    const pxi = getF64(px, i);
    const dxi = getF64(dx, i);
    const dx2i = getF64(dx2, i);
    for (let b = 0; b < nc; b++) {
      const j = getI32(cols, b);
      const l = getF64(logPxPy, rowBase + j);
      hxy2 += pxi * getF64(py, j) * l;
      const v = getF64(p, rowBase + j);
      if (v === 0) continue;
      const k = gi + getI32(grayLevels, j);
      cp += v * getF64(s4, k);
      cs += v * getF64(s3, k);
      ct += v * getF64(s2, k);
      sigx2 += v * dx2i;
      sigy2 += v * getF64(dy2, j);
      corm += v * dxi * getF64(dy, j);
      hxy1 += v * l;
    }
  }
  store<f64>(out + ((<usize>(CLUSTER_PROMINENCE * stride)) << 3), cp);
  store<f64>(out + ((<usize>(CLUSTER_SHADE * stride)) << 3), cs);
  store<f64>(out + ((<usize>(CLUSTER_TENDENCY * stride)) << 3), ct);
  store<f64>(out + ((<usize>(SUM_SQUARES * stride)) << 3), sigx2);
  const sigx = Math.sqrt(sigx2);
  const sigy = Math.sqrt(sigy2);
  const correlation = sigx * sigy === 0 ? 1 : corm / (sigx * sigy + EPS);
  store<f64>(out + ((<usize>(CORRELATION * stride)) << 3), correlation);

  informationCorrelationFeatures(px, py, n, hxy, hxy1, hxy2, out, stride);
  differenceFeatures(ng, out, stride);
  sumFeatures(ng, out, stride);
}

/**
 * Informational measures of correlation (PyRadiomics getImc1FeatureValue, getImc2FeatureValue):
 * Imc1 = (HXY - HXY1) / max(HX, HY) (0 when the divisor is 0) and
 * Imc2 = sqrt(1 - e^(-2 (HXY2 - HXY))) (0 when HXY2 = HXY), with HX = -sum px log2(px + eps), HY
 * likewise, HXY the joint entropy. hxy1 and hxy2 arrive as the sums sum p log2(px py + eps) and
 * sum px py log2(px py + eps), not yet negated. A level with px = 0 (py = 0) adds
 * 0 log2(eps) = -0 to HX's (HY's) sum, a term skipped.
 */
function informationCorrelationFeatures(
  px: usize,
  py: usize,
  n: i32,
  hxy: f64,
  hxy1: f64,
  hxy2: f64,
  out: usize,
  stride: i32,
): void {
  let hx: f64 = 0;
  let hy: f64 = 0;
  for (let i = 0; i < n; i++) {
    const pxi = getF64(px, i);
    if (pxi !== 0) hx += pxi * cachedLog2(pxi + EPS);
    const pyi = getF64(py, i);
    if (pyi !== 0) hy += pyi * cachedLog2(pyi + EPS);
  }
  hx = -hx;
  hy = -hy;
  hxy1 = -hxy1;
  hxy2 = -hxy2;
  // numpy.fmax ignores a NaN operand.
  const div = Number.isNaN(hx) ? hy : Number.isNaN(hy) ? hx : Math.max(hx, hy);
  const imc1 = div === 0 ? 0 : (hxy - hxy1) / div;
  const imc2 = hxy2 === hxy ? 0 : Math.sqrt(1 - pow(Math.E, -2 * (hxy2 - hxy)));
  store<f64>(out + ((<usize>(IMC1 * stride)) << 3), imc1);
  store<f64>(out + ((<usize>(IMC2 * stride)) << 3), imc2);
}

/**
 * Features of the difference distribution p_{x-y}(k), k = 0..Ng-1:
 * DifferenceAverage = sum k p_{x-y}(k), DifferenceEntropy = -sum p_{x-y} log2(p_{x-y} + eps),
 * DifferenceVariance = sum (k - DifferenceAverage)^2 p_{x-y}(k), Idm = sum p_{x-y}(k) / (1 + k^2),
 * Idmn = sum p_{x-y}(k) / (1 + k^2 / Ng^2), Id = sum p_{x-y}(k) / (1 + k),
 * Idn = sum p_{x-y}(k) / (1 + k / Ng), InverseVariance = sum_{k >= 1} p_{x-y}(k) / k^2.
 */
function differenceFeatures(ng: i32, out: usize, stride: i32): void {
  let diffAvg: f64 = 0;
  let diffEnt: f64 = 0;
  let idm: f64 = 0;
  let idmn: f64 = 0;
  let id: f64 = 0;
  let idn: f64 = 0;
  let invVar: f64 = 0;
  const fng = <f64>ng;
  const ng2 = fng * fng;
  for (let k = 0; k < ng; k++) {
    const v = getF64(pxSuby, k);
    // An empty bin's terms are signed zeros: skipping them leaves every sum unchanged.
    if (v === 0) continue;
    const fk = <f64>k;
    diffAvg += fk * v;
    diffEnt += v * cachedLog2(v + EPS);
    idm += v / (1 + fk * fk);
    idmn += v / (1 + (fk * fk) / ng2);
    id += v / (1 + fk);
    idn += v / (1 + fk / fng);
    if (k >= 1) invVar += v / (fk * fk);
  }
  let diffVar: f64 = 0;
  for (let k = 0; k < ng; k++) {
    const v = getF64(pxSuby, k);
    if (v === 0) continue;
    const d = <f64>k - diffAvg;
    diffVar += v * (d * d);
  }
  store<f64>(out + ((<usize>(DIFFERENCE_AVERAGE * stride)) << 3), diffAvg);
  store<f64>(out + ((<usize>(DIFFERENCE_ENTROPY * stride)) << 3), -diffEnt);
  store<f64>(out + ((<usize>(DIFFERENCE_VARIANCE * stride)) << 3), diffVar);
  store<f64>(out + ((<usize>(IDM * stride)) << 3), idm);
  store<f64>(out + ((<usize>(IDMN * stride)) << 3), idmn);
  store<f64>(out + ((<usize>(ID * stride)) << 3), id);
  store<f64>(out + ((<usize>(IDN * stride)) << 3), idn);
  store<f64>(out + ((<usize>(INVERSE_VARIANCE * stride)) << 3), invVar);
}

/**
 * Features of the sum distribution p_{x+y}(k), k = 2..2Ng: SumAverage = sum k p_{x+y}(k),
 * SumEntropy = -sum p_{x+y} log2(p_{x+y} + eps). (SumVariance is deprecated: it equals
 * ClusterTendency.)
 */
function sumFeatures(ng: i32, out: usize, stride: i32): void {
  let sumAvg: f64 = 0;
  let sumEnt: f64 = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    const v = getF64(pxAddy, k);
    // An empty bin's terms are signed zeros: skipping them leaves both sums unchanged.
    if (v === 0) continue;
    sumAvg += <f64>k * v;
    sumEnt += v * cachedLog2(v + EPS);
  }
  store<f64>(out + ((<usize>(SUM_AVERAGE * stride)) << 3), sumAvg);
  store<f64>(out + ((<usize>(SUM_ENTROPY * stride)) << 3), -sumEnt);
}
