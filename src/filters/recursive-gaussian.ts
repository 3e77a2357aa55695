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
 * Arithmetic follows ITK exactly: coefficients (here) and the line passes (the WebAssembly kernel of
 * src/kernels/assembly/gaussian.ts, bound by src/kernels/gaussian.ts) in float64 (the RealType of
 * every pixel type SimpleITK allows), each pass's output stored as float32 when the output image is
 * float32 (ITK's static_cast), the same order of operations everywhere.
 */
import { type Vec3, wholeRegion } from "../image/volume.js";
import { RecursiveGaussianVolume } from "../kernels/gaussian.js";

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
 * ITK's recursive Gaussian of one line of `ln` (>= 4) float64 samples into `out` (float64): the
 * causal and anti-causal passes added, as the kernels of src/kernels/assembly/gaussian.ts run them
 * on every line of a volume.
 */
export function filterLine(
  c: RecursiveGaussianCoefficients,
  data: Float64Array,
  out: Float64Array,
  ln: number,
): void {
  const size: Vec3 = [ln, 1, 1];
  const line = new RecursiveGaussianVolume(data.subarray(0, ln), size, Float64Array, false);
  line.filter(true, 0, c, wholeRegion(size));
  out.set(line.passImage());
}
