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
  return cubicBSplineCoefficientRegion(data, size, dimension, 0, size[0] - 1, 0, size[1] - 1)
    .coefficients;
}

/** Coefficients valid on x in [xLo, xHi] (all z) and, in 3D, on y in [yLo, yHi]. */
export interface CoefficientRegion {
  /** Coefficient of voxel (x, y, z) at (x - xLo) + width * (y + ny * z). */
  coefficients: Float64Array;
  xLo: number;
  width: number;
}

/** ITK's horizon of the truncated causal initialisation: ceil(ln(tolerance) / ln|z|). */
function causalHorizon(): number {
  return Math.ceil(Math.log(TOLERANCE) / Math.log(Math.abs(CUBIC_POLE)));
}

/**
 * cubicPrefilterLines for one row of n > horizon samples data[base .. base + n - 1] (the truncated
 * causal initialisation), the same operations in the same order, with the anti-causal pass stopped
 * at xLo: coefficients xLo..xHi are written to out[outBase + x]. `line` (>= n) is work space.
 */
function prefilterRowInto(
  data: ArrayLike<number>,
  base: number,
  n: number,
  line: Float64Array,
  out: Float64Array,
  outBase: number,
  xLo: number,
  xHi: number,
): void {
  const z = CUBIC_POLE;
  const c0 = 1.0 * (1.0 - z) * (1.0 - 1.0 / z);
  const horizon = causalHorizon();
  for (let i = 0; i < n; i++) line[i] = data[base + i]! * c0;
  let sum = line[0]!;
  let zn = z;
  for (let i = 1; i < horizon; i++) {
    sum += zn * line[i]!;
    zn *= z;
  }
  let previous = sum;
  line[0] = sum;
  for (let i = 1; i < n; i++) {
    previous = line[i]! + z * previous;
    line[i] = previous;
  }
  const g = z / (z * z - 1.0);
  let next = g * (z * line[n - 2]! + line[n - 1]!);
  if (n - 1 <= xHi) out[outBase + n - 1] = next;
  for (let i = n - 2; i >= xLo; i--) {
    next = z * (next - line[i]!);
    if (i <= xHi) out[outBase + i] = next;
  }
}

/**
 * prefilterRowInto for two rows at once (data at baseA and baseB, results at outA and outB), their
 * recursions interleaved so that the processor overlaps them; each row sees exactly the
 * single-row operations. `line` holds row A at 0.., row B at n...
 */
function prefilterRowPairInto(
  data: ArrayLike<number>,
  baseA: number,
  baseB: number,
  n: number,
  line: Float64Array,
  out: Float64Array,
  outA: number,
  outB: number,
  xLo: number,
  xHi: number,
): void {
  const z = CUBIC_POLE;
  const c0 = 1.0 * (1.0 - z) * (1.0 - 1.0 / z);
  const horizon = causalHorizon();
  for (let i = 0; i < n; i++) {
    line[i] = data[baseA + i]! * c0;
    line[n + i] = data[baseB + i]! * c0;
  }
  let sumA = line[0]!;
  let sumB = line[n]!;
  let zn = z;
  for (let i = 1; i < horizon; i++) {
    sumA += zn * line[i]!;
    sumB += zn * line[n + i]!;
    zn *= z;
  }
  let previousA = sumA;
  let previousB = sumB;
  line[0] = sumA;
  line[n] = sumB;
  for (let i = 1; i < n; i++) {
    previousA = line[i]! + z * previousA;
    previousB = line[n + i]! + z * previousB;
    line[i] = previousA;
    line[n + i] = previousB;
  }
  const g = z / (z * z - 1.0);
  let nextA = g * (z * line[n - 2]! + line[n - 1]!);
  let nextB = g * (z * line[2 * n - 2]! + line[2 * n - 1]!);
  if (n - 1 <= xHi) {
    out[outA + n - 1] = nextA;
    out[outB + n - 1] = nextB;
  }
  for (let i = n - 2; i >= xLo; i--) {
    nextA = z * (nextA - line[i]!);
    nextB = z * (nextB - line[n + i]!);
    if (i <= xHi) {
      out[outA + i] = nextA;
      out[outB + i] = nextB;
    }
  }
}

/** Rows transposed together by the x pass (their samples interleave so the lines run in parallel). */
const ROW_BLOCK = 32;

/**
 * ITK's DataToCoefficientsND (x, then y, then z) computed only where a reader needs it, with every
 * needed coefficient bit-identical to the whole-image computation: each 1-D pass works on whole
 * lines, so the x pass runs on every row, the y pass on the columns with x in [xLo, xHi], and the
 * z pass on the lines with x in [xLo, xHi] and y in [yLo, yHi] (ignored in 2D). Coefficients are
 * stored for x in [xLo, xHi] only; outside [yLo, yHi] (3D) they hold the y-pass values.
 */
export function cubicBSplineCoefficientRegion(
  data: ArrayLike<number>,
  size: readonly [number, number, number],
  dimension: 2 | 3,
  xLo: number,
  xHi: number,
  yLo: number,
  yHi: number,
): CoefficientRegion {
  const [nx, ny, nz] = size;
  if (!(xLo >= 0 && xHi < nx && xLo <= xHi && yLo >= 0 && yHi < ny && yLo <= yHi)) {
    throw new Error(
      `B-spline coefficients: region x ${xLo}..${xHi}, y ${yLo}..${yHi} is not inside ${nx} x ${ny}`,
    );
  }
  const width = xHi - xLo + 1;
  const coefficients = new Float64Array(width * ny * nz);
  const rows = ny * nz;
  const sums = new Float64Array(Math.max(ROW_BLOCK, width * ny));
  if (causalHorizon() < nx) {
    // x: row by row straight from the data; only x >= xLo is needed from the anti-causal pass.
    const line = new Float64Array(2 * nx);
    let r = 0;
    for (; r + 1 < rows; r += 2) {
      const outA = r * width - xLo;
      prefilterRowPairInto(
        data,
        r * nx,
        (r + 1) * nx,
        nx,
        line,
        coefficients,
        outA,
        outA + width,
        xLo,
        xHi,
      );
    }
    if (r < rows) prefilterRowInto(data, r * nx, nx, line, coefficients, r * width - xLo, xLo, xHi);
  } else {
    // x (short rows, full mirror initialisation): blocks of rows, transposed so that sample x of
    // row r sits at x * count + r.
    const block = new Float64Array(nx * ROW_BLOCK);
    for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
      const count = Math.min(ROW_BLOCK, rows - r0);
      for (let r = 0; r < count; r++) {
        const src = (r0 + r) * nx;
        for (let x = 0, o = r; x < nx; x++, o += count) block[o] = data[src + x]!;
      }
      cubicPrefilterLines(block, 0, count, nx, count, sums);
      for (let r = 0; r < count; r++) {
        const dst = (r0 + r) * width - xLo;
        for (let x = xLo, o = xLo * count + r; x <= xHi; x++, o += count) {
          coefficients[dst + x] = block[o]!;
        }
      }
    }
  }
  // y: the columns x in [xLo, xHi] of each slice together.
  for (let k = 0; k < nz; k++) {
    cubicPrefilterLines(coefficients, k * width * ny, width, ny, width, sums);
  }
  // z: the lines x in [xLo, xHi], y in [yLo, yHi] together.
  if (dimension === 3) {
    cubicPrefilterLines(coefficients, yLo * width, width * ny, nz, (yHi - yLo + 1) * width, sums);
  }
  return { coefficients, xLo, width };
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
