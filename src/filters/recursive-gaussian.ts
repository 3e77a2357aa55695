/**
 * ITK's recursive Gaussian filter (itk::RecursiveGaussianImageFilter on top of
 * itk::RecursiveSeparableImageFilter, ITK 5.2.1): Deriche's fourth-order IIR approximation of the
 * convolution with a Gaussian (order 0) or its first / second derivative along one axis.
 *
 * R. Deriche, "Recursively implementing the Gaussian and its derivatives", INRIA RR-1893 (1993), with
 * the exponential-series parameters and the normalisations of ITK: the response to a constant is 1
 * (order 0), to a ramp x is 1 (order 1), to a parabola x^2/2 is 1 (order 2), times sigma^order when
 * normalising across scale. Each line runs a causal and an anti-causal pass whose borders assume the
 * edge value extends to infinity (ITK's boundary coefficients BN / BM), and the two are added.
 *
 * Arithmetic follows ITK exactly: coefficients and the line passes in float64 (the RealType of every
 * pixel type SimpleITK allows), each pass's output stored as float32 when the output image is float32
 * (ITK's static_cast), the same order of operations everywhere.
 */
import {
  checkRegion,
  type Vec3,
  type VoxelArray,
  type VoxelRegion,
  wholeRegion,
} from "../image/volume.js";

/** 0: Gaussian smoothing; 1: first derivative; 2: second derivative. */
export type GaussianOrder = 0 | 1 | 2;

/** Coefficients of ITK's recursive filter (names as in itkRecursiveSeparableImageFilter.h). */
export interface RecursiveGaussianCoefficients {
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  d1: number;
  d2: number;
  d3: number;
  d4: number;
  m1: number;
  m2: number;
  m3: number;
  m4: number;
  bn1: number;
  bn2: number;
  bn3: number;
  bn4: number;
  bm1: number;
  bm2: number;
  bm3: number;
  bm4: number;
}

// Deriche's exponential-series parameters (ITK RecursiveGaussianImageFilter::SetUp).
const A1 = [1.353, -0.6724, -1.3563] as const;
const B1 = [1.8151, -3.4327, 5.2318] as const;
const W1 = 0.6681;
const L1 = -1.3932;
const A2 = [-0.3531, 0.6724, 0.3446] as const;
const B2 = [0.0902, 0.61, -2.2355] as const;
const W2 = 2.0787;
const L2 = -1.3732;

interface NCoefficients {
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  sn: number;
  dn: number;
  en: number;
}

/** ITK ComputeNCoefficients: numerator of the causal part for one (a1, b1, a2, b2) set. */
function numeratorCoefficients(
  sigmad: number,
  a1: number,
  b1: number,
  a2: number,
  b2: number,
): NCoefficients {
  const sin1 = Math.sin(W1 / sigmad);
  const sin2 = Math.sin(W2 / sigmad);
  const cos1 = Math.cos(W1 / sigmad);
  const cos2 = Math.cos(W2 / sigmad);
  const exp1 = Math.exp(L1 / sigmad);
  const exp2 = Math.exp(L2 / sigmad);

  const n0 = a1 + a2;
  let n1 = exp2 * (b2 * sin2 - (a2 + 2 * a1) * cos2);
  n1 += exp1 * (b1 * sin1 - (a1 + 2 * a2) * cos1);
  let n2 = (a1 + a2) * cos2 * cos1;
  n2 -= b1 * cos2 * sin1 + b2 * cos1 * sin2;
  n2 *= 2 * exp1 * exp2;
  n2 += a2 * exp1 * exp1 + a1 * exp2 * exp2;
  let n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2);
  n3 += exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1);
  return {
    n0,
    n1,
    n2,
    n3,
    sn: n0 + n1 + n2 + n3,
    dn: n1 + 2 * n2 + 3 * n3,
    en: n1 + 4 * n2 + 9 * n3,
  };
}

/**
 * Coefficients of ITK's recursive Gaussian of `order` for `sigma` (mm) on an axis with `spacing`
 * (mm): sigmad = sigma / |spacing|, Deriche's D (denominator) and N (numerator) coefficients,
 * normalised so that the discrete response has ITK's unit gain, scaled by sigma^order when
 * `normalizeAcrossScale` (orders 1 and 2 only, as ITK), then the anti-causal M and the border BN / BM
 * coefficients (ITK ComputeRemainingCoefficients). A negative spacing negates the first derivative.
 */
export function recursiveGaussianCoefficients(
  sigma: number,
  spacing: number,
  order: GaussianOrder,
  normalizeAcrossScale: boolean,
): RecursiveGaussianCoefficients {
  if (!(sigma > 0)) throw new Error(`recursive Gaussian: sigma must be > 0, got ${sigma}`);
  let direction = 1.0;
  let h = spacing;
  if (h < 0.0) {
    direction = -1.0;
    h = -h;
  }
  if (!(h >= 1e-8)) {
    throw new Error(`recursive Gaussian: the spacing ${spacing} is suspiciously small`);
  }
  const sigmad = sigma / h;

  // ITK ComputeDCoefficients.
  const cos1 = Math.cos(W1 / sigmad);
  const cos2 = Math.cos(W2 / sigmad);
  const exp1 = Math.exp(L1 / sigmad);
  const exp2 = Math.exp(L2 / sigmad);
  const d4 = exp1 * exp1 * exp2 * exp2;
  let d3 = -2 * cos1 * exp1 * exp2 * exp2;
  d3 += -2 * cos2 * exp2 * exp1 * exp1;
  let d2 = 4 * cos2 * cos1 * exp1 * exp2;
  d2 += exp1 * exp1 + exp2 * exp2;
  const d1 = -2 * (exp2 * cos2 + exp1 * cos1);
  const sd = 1.0 + d1 + d2 + d3 + d4;
  const dd = d1 + 2 * d2 + 3 * d3 + 4 * d4;
  const ed = d1 + 4 * d2 + 9 * d3 + 16 * d4;

  let n0: number;
  let n1: number;
  let n2: number;
  let n3: number;
  let symmetric: boolean;
  if (order === 0) {
    const n = numeratorCoefficients(sigmad, A1[0], B1[0], A2[0], B2[0]);
    const alpha0 = (2 * n.sn) / sd - n.n0;
    const scale = 1.0 / alpha0;
    n0 = n.n0 * scale;
    n1 = n.n1 * scale;
    n2 = n.n2 * scale;
    n3 = n.n3 * scale;
    symmetric = true;
  } else if (order === 1) {
    const across = normalizeAcrossScale ? sigma : 1.0;
    const n = numeratorCoefficients(sigmad, A1[1], B1[1], A2[1], B2[1]);
    let alpha1 = (2 * (n.sn * dd - n.dn * sd)) / (sd * sd);
    alpha1 *= direction;
    const scale = across / alpha1;
    n0 = n.n0 * scale;
    n1 = n.n1 * scale;
    n2 = n.n2 * scale;
    n3 = n.n3 * scale;
    symmetric = false;
  } else if (order === 2) {
    const across = normalizeAcrossScale ? sigma * sigma : 1.0;
    const c0 = numeratorCoefficients(sigmad, A1[0], B1[0], A2[0], B2[0]);
    const c2 = numeratorCoefficients(sigmad, A1[2], B1[2], A2[2], B2[2]);
    const beta = -(2 * c2.sn - sd * c2.n0) / (2 * c0.sn - sd * c0.n0);
    n0 = c2.n0 + beta * c0.n0;
    n1 = c2.n1 + beta * c0.n1;
    n2 = c2.n2 + beta * c0.n2;
    n3 = c2.n3 + beta * c0.n3;
    const sn = c2.sn + beta * c0.sn;
    const dn = c2.dn + beta * c0.dn;
    const en = c2.en + beta * c0.en;
    let alpha2 = en * sd * sd - ed * sn * sd - 2 * dn * dd * sd + 2 * dd * dd * sn;
    alpha2 /= sd * sd * sd;
    const scale = across / alpha2;
    n0 *= scale;
    n1 *= scale;
    n2 *= scale;
    n3 *= scale;
    symmetric = true;
  } else {
    throw new Error(`recursive Gaussian: unknown order ${String(order)}`);
  }

  // ITK ComputeRemainingCoefficients.
  let m1: number;
  let m2: number;
  let m3: number;
  let m4: number;
  if (symmetric) {
    m1 = n1 - d1 * n0;
    m2 = n2 - d2 * n0;
    m3 = n3 - d3 * n0;
    m4 = -d4 * n0;
  } else {
    m1 = -(n1 - d1 * n0);
    m2 = -(n2 - d2 * n0);
    m3 = -(n3 - d3 * n0);
    m4 = d4 * n0;
  }
  const sumN = n0 + n1 + n2 + n3;
  const sumM = m1 + m2 + m3 + m4;
  const sumD = 1.0 + d1 + d2 + d3 + d4;
  return {
    n0,
    n1,
    n2,
    n3,
    d1,
    d2,
    d3,
    d4,
    m1,
    m2,
    m3,
    m4,
    bn1: (d1 * sumN) / sumD,
    bn2: (d2 * sumN) / sumD,
    bn3: (d3 * sumN) / sumD,
    bn4: (d4 * sumN) / sumD,
    bm1: (d1 * sumM) / sumD,
    bm2: (d2 * sumM) / sumD,
    bm3: (d3 * sumM) / sumD,
    bm4: (d4 * sumM) / sumD,
  };
}

/**
 * Filter `width` interleaved lines of `ln` (>= 4) samples each in float64 (ITK
 * RecursiveSeparableImageFilter::FilterDataArray, per line): sample i of line k is at i * width + k.
 * A causal and an anti-causal pass, both started as if the edge sample extended to infinity (the
 * boundary coefficients), added into `out`; `scratch` (>= ln, >= 2 ln when width > 1) is work
 * space. Every line sees exactly ITK's operations in ITK's order.
 *
 * Only samples `from`..`to` of `out` are produced (default: the whole line): the causal recursion
 * stops after `to` and the anti-causal one after `from`, so those samples keep ITK's values exactly.
 * Lines are filtered two at a time, each with its recent samples held in locals.
 */
export function filterLines(
  c: RecursiveGaussianCoefficients,
  data: Float64Array,
  out: Float64Array,
  scratch: Float64Array,
  ln: number,
  width: number,
  from = 0,
  to = ln - 1,
): void {
  // `out` doubles as the destination: each line's causal pass goes to `scratch` first.
  filterBlock(c, data, 0, width, 1, out, 0, width, 1, ln, width, from, to, scratch);
}

/**
 * ITK's causal pass of one line (FilterDataArray's first half): sample i of the line is
 * src[base + i * step]; out[outOffset + i] receives the causal outputs for i = 0..max(to, 3). The
 * last four inputs and outputs are kept in locals (the same operands, in the same order, as the
 * array form).
 */
function causalLine(
  c: RecursiveGaussianCoefficients,
  src: ArrayLike<number>,
  base: number,
  step: number,
  to: number,
  out: Float64Array,
  outOffset: number,
): void {
  const { n0, n1, n2, n3, d1, d2, d3, d4, bn1, bn2, bn3, bn4 } = c;
  // Borders: samples before the line equal its first sample.
  const v1 = src[base]!;
  const x1 = src[base + step]!;
  const x2 = src[base + 2 * step]!;
  const x3 = src[base + 3 * step]!;
  let o0 = v1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
  let o1 = x1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
  let o2 = x2 * n0 + x1 * n1 + v1 * n2 + v1 * n3;
  let o3 = x3 * n0 + x2 * n1 + x1 * n2 + v1 * n3;
  o0 = o0 - (v1 * bn1 + v1 * bn2 + v1 * bn3 + v1 * bn4);
  o1 = o1 - (o0 * d1 + v1 * bn2 + v1 * bn3 + v1 * bn4);
  o2 = o2 - (o1 * d1 + o0 * d2 + v1 * bn3 + v1 * bn4);
  o3 = o3 - (o2 * d1 + o1 * d2 + o0 * d3 + v1 * bn4);
  out[outOffset] = o0;
  out[outOffset + 1] = o1;
  out[outOffset + 2] = o2;
  out[outOffset + 3] = o3;
  // x_1..x_3: the previous inputs; y_1..y_4: the previous outputs.
  let xp1 = x3;
  let xp2 = x2;
  let xp3 = x1;
  let yp1 = o3;
  let yp2 = o2;
  let yp3 = o1;
  let yp4 = o0;
  let p = base + 4 * step;
  for (let i = 4; i <= to; i++, p += step) {
    const x = src[p]!;
    const e = x * n0 + xp1 * n1 + xp2 * n2 + xp3 * n3;
    const y = e - (yp1 * d1 + yp2 * d2 + yp3 * d3 + yp4 * d4);
    out[outOffset + i] = y;
    xp3 = xp2;
    xp2 = xp1;
    xp1 = x;
    yp4 = yp3;
    yp3 = yp2;
    yp2 = yp1;
    yp1 = y;
  }
}

/**
 * The start of ITK's anti-causal pass of one line: its last four samples (borders: samples after
 * the line equal its last sample), each added to the causal output out[outOffset + i] and written
 * to dst[dstBase + i * dstStep] when from <= i <= to. Leaves in state[0..7] the inputs of samples
 * ln - 4 .. ln - 1 and the outputs of samples ln - 4 .. ln - 1 (nearest first), for the recursion.
 */
function antiCausalBorder(
  c: RecursiveGaussianCoefficients,
  src: ArrayLike<number>,
  base: number,
  step: number,
  ln: number,
  from: number,
  to: number,
  out: Float64Array,
  outOffset: number,
  dst: Float32Array | Float64Array,
  dstBase: number,
  dstStep: number,
  state: Float64Array,
): void {
  const { d1, d2, d3, m1, m2, m3, m4, bm1, bm2, bm3, bm4 } = c;
  const last = base + (ln - 1) * step;
  const v2 = src[last]!;
  const x1 = src[last - step]!;
  const x2 = src[last - 2 * step]!;
  const x3 = src[last - 3 * step]!;
  let a1 = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
  let a2 = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
  let a3 = x1 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
  let a4 = x2 * m1 + x1 * m2 + v2 * m3 + v2 * m4;
  a1 = a1 - (v2 * bm1 + v2 * bm2 + v2 * bm3 + v2 * bm4);
  a2 = a2 - (a1 * d1 + v2 * bm2 + v2 * bm3 + v2 * bm4);
  a3 = a3 - (a2 * d1 + a1 * d2 + v2 * bm3 + v2 * bm4);
  a4 = a4 - (a3 * d1 + a2 * d2 + a1 * d3 + v2 * bm4);
  let i = ln - 1;
  if (i >= from && i <= to) dst[dstBase + i * dstStep] = out[outOffset + i]! + a1;
  i--;
  if (i >= from && i <= to) dst[dstBase + i * dstStep] = out[outOffset + i]! + a2;
  i--;
  if (i >= from && i <= to) dst[dstBase + i * dstStep] = out[outOffset + i]! + a3;
  i--;
  if (i >= from && i <= to) dst[dstBase + i * dstStep] = out[outOffset + i]! + a4;
  state[0] = x3;
  state[1] = x2;
  state[2] = x1;
  state[3] = v2;
  state[4] = a4;
  state[5] = a3;
  state[6] = a2;
  state[7] = a1;
}

/**
 * ITK's anti-causal pass of the same line down to sample `from`, each result added to the causal
 * output (out[i] + anti[i], ITK's final sum) and written to dst[dstBase + i * dstStep] for
 * from <= i <= to. Every sample of `src` is read before dst at that sample is written, so `dst` may
 * be `src` (in-place).
 */
function antiCausalLine(
  c: RecursiveGaussianCoefficients,
  src: ArrayLike<number>,
  base: number,
  step: number,
  ln: number,
  from: number,
  to: number,
  out: Float64Array,
  dst: Float32Array | Float64Array,
  dstBase: number,
  dstStep: number,
  state: Float64Array,
): void {
  const { d1, d2, d3, d4, m1, m2, m3, m4 } = c;
  antiCausalBorder(c, src, base, step, ln, from, to, out, 0, dst, dstBase, dstStep, state);
  // x_1..x_4: the next inputs (samples i + 1 .. i + 4); y_1..y_4: the next outputs.
  let xn1 = state[0]!;
  let xn2 = state[1]!;
  let xn3 = state[2]!;
  let xn4 = state[3]!;
  let yn1 = state[4]!;
  let yn2 = state[5]!;
  let yn3 = state[6]!;
  let yn4 = state[7]!;
  let p = base + (ln - 5) * step;
  for (let i = ln - 5; i >= from; i--, p -= step) {
    const x = src[p]!;
    const e = xn1 * m1 + xn2 * m2 + xn3 * m3 + xn4 * m4;
    const y = e - (yn1 * d1 + yn2 * d2 + yn3 * d3 + yn4 * d4);
    if (i <= to) dst[dstBase + i * dstStep] = out[i]! + y;
    xn4 = xn3;
    xn3 = xn2;
    xn2 = xn1;
    xn1 = x;
    yn4 = yn3;
    yn3 = yn2;
    yn2 = yn1;
    yn1 = y;
  }
}

const pairState = new Float64Array(8);
const pairState2 = new Float64Array(8);

/**
 * causalLine and antiCausalLine for two lines at once (samples at baseA + i * step and
 * baseB + i * step), their recursions interleaved so that the processor overlaps them; each line
 * sees exactly the single-line operations. `out` holds line A's causal pass at 0.., line B's at
 * ln... Results go to dst[dstA + i * dstStep] and dst[dstB + i * dstStep].
 */
function filterLinePair(
  c: RecursiveGaussianCoefficients,
  src: ArrayLike<number>,
  baseA: number,
  baseB: number,
  step: number,
  ln: number,
  from: number,
  to: number,
  out: Float64Array,
  dst: Float32Array | Float64Array,
  dstA: number,
  dstB: number,
  dstStep: number,
): void {
  const { n0, n1, n2, n3, d1, d2, d3, d4, m1, m2, m3, m4 } = c;
  // The border samples (first four causal, last four anti-causal) as for a single line.
  causalLine(c, src, baseA, step, 3, out, 0);
  causalLine(c, src, baseB, step, 3, out, ln);
  const stateA = pairState;
  const stateB = pairState2;
  let xa1 = src[baseA + 3 * step]!;
  let xa2 = src[baseA + 2 * step]!;
  let xa3 = src[baseA + step]!;
  let ya1 = out[3]!;
  let ya2 = out[2]!;
  let ya3 = out[1]!;
  let ya4 = out[0]!;
  let xb1 = src[baseB + 3 * step]!;
  let xb2 = src[baseB + 2 * step]!;
  let xb3 = src[baseB + step]!;
  let yb1 = out[ln + 3]!;
  let yb2 = out[ln + 2]!;
  let yb3 = out[ln + 1]!;
  let yb4 = out[ln]!;
  for (let i = 4, p = 4 * step; i <= to; i++, p += step) {
    const xa = src[baseA + p]!;
    const xb = src[baseB + p]!;
    const ea = xa * n0 + xa1 * n1 + xa2 * n2 + xa3 * n3;
    const eb = xb * n0 + xb1 * n1 + xb2 * n2 + xb3 * n3;
    const ya = ea - (ya1 * d1 + ya2 * d2 + ya3 * d3 + ya4 * d4);
    const yb = eb - (yb1 * d1 + yb2 * d2 + yb3 * d3 + yb4 * d4);
    out[i] = ya;
    out[ln + i] = yb;
    xa3 = xa2;
    xa2 = xa1;
    xa1 = xa;
    ya4 = ya3;
    ya3 = ya2;
    ya2 = ya1;
    ya1 = ya;
    xb3 = xb2;
    xb2 = xb1;
    xb1 = xb;
    yb4 = yb3;
    yb3 = yb2;
    yb2 = yb1;
    yb1 = yb;
  }
  antiCausalBorder(c, src, baseA, step, ln, from, to, out, 0, dst, dstA, dstStep, stateA);
  antiCausalBorder(c, src, baseB, step, ln, from, to, out, ln, dst, dstB, dstStep, stateB);
  let xna1 = stateA[0]!;
  let xna2 = stateA[1]!;
  let xna3 = stateA[2]!;
  let xna4 = stateA[3]!;
  let yna1 = stateA[4]!;
  let yna2 = stateA[5]!;
  let yna3 = stateA[6]!;
  let yna4 = stateA[7]!;
  let xnb1 = stateB[0]!;
  let xnb2 = stateB[1]!;
  let xnb3 = stateB[2]!;
  let xnb4 = stateB[3]!;
  let ynb1 = stateB[4]!;
  let ynb2 = stateB[5]!;
  let ynb3 = stateB[6]!;
  let ynb4 = stateB[7]!;
  for (let i = ln - 5, p = (ln - 5) * step; i >= from; i--, p -= step) {
    const xa = src[baseA + p]!;
    const xb = src[baseB + p]!;
    const ea = xna1 * m1 + xna2 * m2 + xna3 * m3 + xna4 * m4;
    const eb = xnb1 * m1 + xnb2 * m2 + xnb3 * m3 + xnb4 * m4;
    const ya = ea - (yna1 * d1 + yna2 * d2 + yna3 * d3 + yna4 * d4);
    const yb = eb - (ynb1 * d1 + ynb2 * d2 + ynb3 * d3 + ynb4 * d4);
    if (i <= to) {
      dst[dstA + i * dstStep] = out[i]! + ya;
      dst[dstB + i * dstStep] = out[ln + i]! + yb;
    }
    xna4 = xna3;
    xna3 = xna2;
    xna2 = xna1;
    xna1 = xa;
    yna4 = yna3;
    yna3 = yna2;
    yna2 = yna1;
    yna1 = ya;
    xnb4 = xnb3;
    xnb3 = xnb2;
    xnb2 = xnb1;
    xnb1 = xb;
    ynb4 = ynb3;
    ynb3 = ynb2;
    ynb2 = ynb1;
    ynb1 = yb;
  }
}

/**
 * The core of filterLines on lines stored anywhere: sample i of line k is read from
 * src[srcBase + i * srcStep + k * srcLine] and the result (samples from..to) written to
 * dst[dstBase + i * dstStep + k * dstLine]; `out` (>= 2 ln) holds two lines' causal passes. A line is
 * read completely before any of its samples is written, and lines do not share samples, so `dst`
 * may be `src` (in-place filtering).
 */
function filterBlock(
  c: RecursiveGaussianCoefficients,
  src: ArrayLike<number>,
  srcBase: number,
  srcStep: number,
  srcLine: number,
  dst: Float32Array | Float64Array,
  dstBase: number,
  dstStep: number,
  dstLine: number,
  ln: number,
  width: number,
  from: number,
  to: number,
  out: Float64Array,
): void {
  if (ln < 4) {
    throw new Error(`recursive Gaussian: a line has ${ln} samples; at least 4 are needed`);
  }
  if (!(from >= 0 && to < ln && from <= to)) {
    throw new Error(`recursive Gaussian: samples ${from}..${to} are not inside a line of ${ln}`);
  }
  let k = 0;
  for (; k + 1 < width; k += 2) {
    const base = srcBase + k * srcLine;
    const dBase = dstBase + k * dstLine;
    filterLinePair(
      c,
      src,
      base,
      base + srcLine,
      srcStep,
      ln,
      from,
      to,
      out,
      dst,
      dBase,
      dBase + dstLine,
      dstStep,
    );
  }
  if (k < width) {
    const base = srcBase + k * srcLine;
    causalLine(c, src, base, srcStep, to, out, 0);
    antiCausalLine(
      c,
      src,
      base,
      srcStep,
      ln,
      from,
      to,
      out,
      dst,
      dstBase + k * dstLine,
      dstStep,
      pairState,
    );
  }
}

/** filterLines for a single line (width 1). */
export function filterLine(
  c: RecursiveGaussianCoefficients,
  data: Float64Array,
  out: Float64Array,
  scratch: Float64Array,
  ln: number,
): void {
  filterLines(c, data, out, scratch, ln, 1);
}

// Line buffers shared by every call (grown on demand; nothing here yields, so no call overlaps).
let lineOut = new Float64Array(0);

function lineBuffers(n: number): void {
  if (lineOut.length >= 2 * n) return;
  lineOut = new Float64Array(2 * n);
}

/**
 * One recursive-Gaussian pass along `axis` over an x-fastest volume of `size`: every line along
 * the axis is read as float64, filtered as ITK does (filterLines) and written to `dst` (a
 * Float32Array rounds each value to float32 as ITK's cast to a float output image; a Float64Array
 * keeps it). `src` and `dst` may be the same array.
 *
 * With `region`, only the lines whose other two coordinates lie in the region are filtered (each
 * over its whole length, so `src` must hold valid values along those whole lines) and only their
 * samples inside the region are written: those equal the whole-volume pass bit for bit; `dst`
 * outside the region is left as it was.
 */
export function recursiveGaussianAlongAxis(
  src: VoxelArray,
  dst: Float32Array | Float64Array,
  size: Vec3,
  axis: 0 | 1 | 2,
  coefficients: RecursiveGaussianCoefficients,
  region: VoxelRegion = wholeRegion(size),
): void {
  checkRegion(region, size, "recursive Gaussian");
  const [nx, ny] = size;
  const plane = nx * ny;
  const ln = size[axis];
  const [x0, y0, z0] = region.lower;
  const [x1, y1, z1] = region.upper;
  const from = region.lower[axis];
  const to = region.upper[axis];
  if (axis === 0) {
    // The region's rows of one z-slice together: sample i of row y at row + i, rows nx apart.
    const width = y1 - y0 + 1;
    lineBuffers(ln);
    for (let z = z0; z <= z1; z++) {
      const base = z * plane + y0 * nx;
      filterBlock(coefficients, src, base, 1, nx, dst, base, 1, nx, ln, width, from, to, lineOut);
    }
    return;
  }
  // Axis 1: the region's columns of one z-slice together; axis 2: the region's z-lines of one
  // y-row together; neighbouring lines are neighbouring x.
  const width = x1 - x0 + 1;
  lineBuffers(ln);
  const step = axis === 1 ? nx : plane;
  const bLo = axis === 1 ? z0 : y0;
  const bHi = axis === 1 ? z1 : y1;
  for (let b = bLo; b <= bHi; b++) {
    const base = (axis === 1 ? b * plane : b * nx) + x0;
    filterBlock(coefficients, src, base, step, 1, dst, base, step, 1, ln, width, from, to, lineOut);
  }
}
