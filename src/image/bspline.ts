/**
 * Cubic B-spline prefiltering exactly as ITK 5.2.1's BSplineDecompositionImageFilter (spline
 * order 3, mirror boundaries, Unser's recursive filter with pole z = sqrt(3) - 2, causal
 * initialisation truncated at the horizon ceil(ln(1e-10) / ln|z|)), and the cubic B-spline
 * weights of BSplineInterpolateImageFunction::SetInterpolationWeights.
 *
 * Method: M. Unser, "Splines: a perfect fit for signal and image processing", IEEE Signal
 * Processing Magazine 16(6), 1999, Box 2 (recursive filtering with mirror boundaries); the order
 * of the floating-point operations follows ITK's implementation so that the coefficients agree
 * bit for bit.
 */

/** The single pole of the cubic B-spline prefilter, sqrt(3) - 2. */
export const CUBIC_POLE = Math.sqrt(3) - 2;

/** ITK's default tolerance of the causal initialisation (BSplineDecompositionImageFilter). */
const TOLERANCE = 1e-10;

/**
 * z^n for a non-negative integer n, correctly rounded (computed in double-double arithmetic), as
 * glibc's std::pow returns it for the exponents used by the full mirror initialisation.
 */
export function powCorrectlyRounded(z: number, n: number): number {
  if (n === 0) return 1;
  let hi = 1;
  let lo = 0;
  for (let k = 0; k < n; k++) {
    // (hi + lo) * z with an exact product (Dekker's two-product via splitting).
    const p = hi * z;
    const e = twoProductError(hi, z, p) + lo * z;
    const s = p + e;
    lo = e - (s - p);
    hi = s;
  }
  return hi + lo;
}

const SPLITTER = 134217729; // 2^27 + 1

function twoProductError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

/**
 * In-place cubic B-spline prefilter of `count` parallel lines, ITK's DataToCoefficients1D applied
 * to each: line i has its samples at c[base + i + n * stride], n < length. Scale by
 * c0 = (1 - z)(1 - 1/z), causal pass from the mirror-boundary initial value, anti-causal pass from
 * c[N-1] = z / (z^2 - 1) * (z c[N-2] + c[N-1]). Lines of length 1 are left unchanged. Every line
 * sees exactly ITK's sequence of operations; the lines are only interleaved for speed.
 */
export function cubicPrefilterLines(
  c: Float64Array,
  base: number,
  stride: number,
  length: number,
  count: number,
  sums: Float64Array,
): void {
  if (length === 1) return;
  const z = CUBIC_POLE;
  const c0 = 1.0 * (1.0 - z) * (1.0 - 1.0 / z);
  const end = base + count;
  for (let n = 0; n < length; n++) {
    const o = base + n * stride;
    for (let i = o; i < o + count; i++) c[i] *= c0;
  }
  // Initial causal coefficient.
  const horizon = Math.ceil(Math.log(TOLERANCE) / Math.log(Math.abs(z)));
  if (horizon < length) {
    for (let i = base; i < end; i++) sums[i - base] = c[i]!;
    let zn = z;
    for (let n = 1; n < horizon; n++) {
      const o = base + n * stride;
      for (let i = 0; i < count; i++) sums[i] += zn * c[o + i]!;
      zn *= z;
    }
    for (let i = 0; i < count; i++) c[base + i] = sums[i]!;
  } else {
    // Full mirror-symmetric initialisation.
    const iz = 1.0 / z;
    let zn = z;
    let z2n = powCorrectlyRounded(z, length - 1);
    const last = base + (length - 1) * stride;
    for (let i = 0; i < count; i++) sums[i] = c[base + i]! + z2n * c[last + i]!;
    z2n = z2n * (z2n * iz); // ITK: z2n *= z2n * iz
    for (let n = 1; n <= length - 2; n++) {
      const o = base + n * stride;
      const f = zn + z2n;
      for (let i = 0; i < count; i++) sums[i] += f * c[o + i]!;
      zn *= z;
      z2n *= iz;
    }
    const denom = 1.0 - zn * zn;
    for (let i = 0; i < count; i++) c[base + i] = sums[i]! / denom;
  }
  // Causal recursion.
  for (let n = 1; n < length; n++) {
    const o = base + n * stride;
    const q = o - stride;
    for (let i = 0; i < count; i++) c[o + i] += z * c[q + i]!;
  }
  // Anti-causal initialisation and recursion.
  const g = z / (z * z - 1.0);
  const last = base + (length - 1) * stride;
  for (let i = 0; i < count; i++) c[last + i] = g * (z * c[last - stride + i]! + c[last + i]!);
  for (let n = length - 2; n >= 0; n--) {
    const o = base + n * stride;
    const q = o + stride;
    for (let i = 0; i < count; i++) c[o + i] = z * (c[q + i]! - c[o + i]!);
  }
}

/**
 * Cubic B-spline coefficients of a whole image (x fastest, `size` voxels per axis, `dimension`
 * axes), ITK's DataToCoefficientsND: the 1D prefilter along x, then y, then z.
 */
export function cubicBSplineCoefficients(
  data: ArrayLike<number>,
  size: readonly [number, number, number],
  dimension: 2 | 3,
): Float64Array {
  const [nx, ny, nz] = size;
  const coeffs = new Float64Array(nx * ny * nz);
  for (let i = 0; i < coeffs.length; i++) coeffs[i] = data[i]!;
  const sums = new Float64Array(Math.max(nx, nx * ny));
  // x: one line per row.
  for (let r = 0; r < ny * nz; r++) cubicPrefilterLines(coeffs, r * nx, 1, nx, 1, sums);
  // y: the nx lines of each slice together.
  for (let k = 0; k < nz; k++) cubicPrefilterLines(coeffs, k * nx * ny, nx, ny, nx, sums);
  // z: all nx * ny lines together.
  if (dimension === 3) cubicPrefilterLines(coeffs, 0, nx * ny, nz, nx * ny, sums);
  return coeffs;
}

/**
 * Cubic B-spline weights for the 4 coefficients at floor(x) - 1 .. floor(x) + 2 (the first index
 * is chosen from x rounded to single precision, as ITK's DetermineRegionOfSupport does), written
 * to out[offset .. offset + 3]. Returns the first support index.
 */
export function cubicWeights(x: number, out: Float64Array, offset: number): number {
  const first = Math.floor(Math.fround(x)) - 1;
  const w = x - (first + 1);
  const w3 = (1.0 / 6.0) * w * w * w;
  const w0 = 1.0 / 6.0 + 0.5 * w * (w - 1.0) - w3;
  const w2 = w + w0 - 2.0 * w3;
  out[offset] = w0;
  out[offset + 1] = 1.0 - w0 - w2 - w3;
  out[offset + 2] = w2;
  out[offset + 3] = w3;
  return first;
}
