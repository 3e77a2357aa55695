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
import type { Vec3, VoxelArray } from "../image/volume.js";

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
 * Causal pass into `out`, anti-causal pass into `scratch`, both started as if the edge sample extended
 * to infinity (the boundary coefficients), then out += scratch. Interleaving only lets independent
 * lines share a loop; every line sees exactly ITK's operations in ITK's order.
 */
export function filterLines(
  c: RecursiveGaussianCoefficients,
  data: Float64Array,
  out: Float64Array,
  scratch: Float64Array,
  ln: number,
  width: number,
): void {
  if (ln < 4) {
    throw new Error(`recursive Gaussian: a line has ${ln} samples; at least 4 are needed`);
  }
  const { n0, n1, n2, n3, d1, d2, d3, d4, m1, m2, m3, m4 } = c;
  const { bn1, bn2, bn3, bn4, bm1, bm2, bm3, bm4 } = c;
  const w = width;

  // Causal pass, borders: samples before the line equal data[0].
  for (let k = 0; k < w; k++) {
    const v1 = data[k]!;
    const x1 = data[w + k]!;
    const x2 = data[2 * w + k]!;
    const x3 = data[3 * w + k]!;
    let o0 = v1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
    let o1 = x1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
    let o2 = x2 * n0 + x1 * n1 + v1 * n2 + v1 * n3;
    let o3 = x3 * n0 + x2 * n1 + x1 * n2 + v1 * n3;
    o0 = o0 - (v1 * bn1 + v1 * bn2 + v1 * bn3 + v1 * bn4);
    o1 = o1 - (o0 * d1 + v1 * bn2 + v1 * bn3 + v1 * bn4);
    o2 = o2 - (o1 * d1 + o0 * d2 + v1 * bn3 + v1 * bn4);
    o3 = o3 - (o2 * d1 + o1 * d2 + o0 * d3 + v1 * bn4);
    out[k] = o0;
    out[w + k] = o1;
    out[2 * w + k] = o2;
    out[3 * w + k] = o3;
  }
  for (let i = 4; i < ln; i++) {
    const b = i * w;
    for (let k = b; k < b + w; k++) {
      const e = data[k]! * n0 + data[k - w]! * n1 + data[k - 2 * w]! * n2 + data[k - 3 * w]! * n3;
      out[k] =
        e - (out[k - w]! * d1 + out[k - 2 * w]! * d2 + out[k - 3 * w]! * d3 + out[k - 4 * w]! * d4);
    }
  }

  // Anti-causal pass, borders: samples after the line equal data[ln - 1].
  const last = (ln - 1) * w;
  for (let k = 0; k < w; k++) {
    const v2 = data[last + k]!;
    const x1 = data[last - w + k]!;
    const x2 = data[last - 2 * w + k]!;
    let s1 = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
    let s2 = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
    let s3 = x1 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
    let s4 = x2 * m1 + x1 * m2 + v2 * m3 + v2 * m4;
    s1 = s1 - (v2 * bm1 + v2 * bm2 + v2 * bm3 + v2 * bm4);
    s2 = s2 - (s1 * d1 + v2 * bm2 + v2 * bm3 + v2 * bm4);
    s3 = s3 - (s2 * d1 + s1 * d2 + v2 * bm3 + v2 * bm4);
    s4 = s4 - (s3 * d1 + s2 * d2 + s1 * d3 + v2 * bm4);
    scratch[last + k] = s1;
    scratch[last - w + k] = s2;
    scratch[last - 2 * w + k] = s3;
    scratch[last - 3 * w + k] = s4;
  }
  for (let i = ln - 4; i > 0; i--) {
    const b = (i - 1) * w;
    for (let k = b; k < b + w; k++) {
      const e =
        data[k + w]! * m1 + data[k + 2 * w]! * m2 + data[k + 3 * w]! * m3 + data[k + 4 * w]! * m4;
      scratch[k] =
        e -
        (scratch[k + w]! * d1 +
          scratch[k + 2 * w]! * d2 +
          scratch[k + 3 * w]! * d3 +
          scratch[k + 4 * w]! * d4);
    }
  }

  const n = ln * w;
  for (let k = 0; k < n; k++) out[k] = out[k]! + scratch[k]!;
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

/**
 * One recursive-Gaussian pass along `axis` over a whole x-fastest volume of `size`: every line along
 * the axis is read as float64, filtered as ITK does (filterLines) and written to `dst` (a
 * Float32Array rounds each value to float32 as ITK's cast to a float output image; a Float64Array
 * keeps it). Lines are processed a plane at a time for speed. `src` and `dst` may be the same array.
 */
export function recursiveGaussianAlongAxis(
  src: VoxelArray,
  dst: Float32Array | Float64Array,
  size: Vec3,
  axis: 0 | 1 | 2,
  coefficients: RecursiveGaussianCoefficients,
): void {
  const [nx, ny, nz] = size;
  const plane = nx * ny;
  const ln = size[axis];
  // Lines of one block: axis 0 -> the ny rows of a z-slice (transposed); axis 1 -> the nx columns of
  // a z-slice; axis 2 -> the nx lines of a y-row.
  const width = axis === 0 ? ny : nx;
  const blocks = axis === 2 ? ny : nz;
  const data = new Float64Array(ln * width);
  const out = new Float64Array(ln * width);
  const scratch = new Float64Array(ln * width);
  for (let b = 0; b < blocks; b++) {
    if (axis === 0) {
      const base = b * plane;
      for (let y = 0; y < ny; y++) {
        const row = base + y * nx;
        for (let i = 0; i < nx; i++) data[i * ny + y] = src[row + i]!;
      }
      filterLines(coefficients, data, out, scratch, ln, width);
      for (let y = 0; y < ny; y++) {
        const row = base + y * nx;
        for (let i = 0; i < nx; i++) dst[row + i] = out[i * ny + y]!;
      }
    } else {
      const base = axis === 1 ? b * plane : b * nx;
      const step = axis === 1 ? nx : plane;
      for (let i = 0; i < ln; i++) {
        const p = base + i * step;
        const q = i * nx;
        for (let x = 0; x < nx; x++) data[q + x] = src[p + x]!;
      }
      filterLines(coefficients, data, out, scratch, ln, width);
      for (let i = 0; i < ln; i++) {
        const p = base + i * step;
        const q = i * nx;
        for (let x = 0; x < nx; x++) dst[p + x] = out[q + x]!;
      }
    }
  }
}
