/**
 * The cubic B-spline interpolator (BSplineInterpolateImageFunction, order 3): mirrored support
 * indices, ITK's summation order, and coefficients (../bspline.ts) computed only on the lines the
 * scan rows can read.
 */
import { cubicBSplineCoefficientRegion, cubicWeights } from "../bspline.js";
import type { Volume } from "../volume.js";
import type { Evaluator } from "./interpolator.js";
import type { ScanRows } from "./scan-rows.js";

/**
 * Smallest and largest continuous index along `axis` over all voxels of all rows, clamped to the
 * inside range [-0.5, n - 0.5] (only inside points are interpolated). Along a row the index is
 * monotone in x (every step of start + (x / nx) * delta is a monotone rounded operation), so the
 * row's extremes are at x = 0 and x = nx - 1.
 */
function indexRange(rows: ScanRows, axis: number, n: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const alpha = (rows.nx - 1) / rows.nx;
  for (let r = 0; r < rows.count; r++) {
    const s = rows.start[3 * r + axis]!;
    const e = s + alpha * rows.delta[3 * r + axis]!;
    const mn = Math.min(s, e);
    const mx = Math.max(s, e);
    if (mn < lo) lo = mn;
    if (mx > hi) hi = mx;
  }
  return [Math.max(lo, -0.5), Math.min(hi, n - 0.5)];
}

/**
 * BSplineInterpolateImageFunction's mirrored support index (first + k, k = 0..3) on an axis of n
 * voxels: -i below 0, 2(n - 1) - i beyond the end; lines shorter than the support (n = 2) could
 * mirror out of range again and are clamped to 0; a single-voxel axis always reads index 0.
 */
function mirrorIndex(idx: number, n: number): number {
  if (n === 1) return 0;
  const end = n - 1;
  let i = idx;
  if (i < 0) i = -i;
  if (i >= end) i = end - (i - end);
  if (i < 0) i = 0;
  return i;
}

/**
 * Coefficient indices an evaluation along an axis of n voxels can read for continuous indices in
 * [lo, hi]: the support starts at floor(fround(c)) - 1 (in floor(c) - 1 .. floor(c)), spans 4, and
 * is mirrored; a margin of one index on each side keeps the range conservative.
 */
function supportRange(lo: number, hi: number, n: number): [number, number] {
  if (!(lo <= hi)) return [0, 0];
  let min = n - 1;
  let max = 0;
  for (let i = Math.floor(lo) - 2; i <= Math.floor(hi) + 4; i++) {
    const m = mirrorIndex(i, n);
    if (m < min) min = m;
    if (m > max) max = m;
  }
  return [min, max];
}

/**
 * BSplineInterpolateImageFunction (order 3): weights from cubicWeights, mirrored support indices,
 * and the sum over the 4 x 4 (x 4) support with x fastest, each term (((wx * wy) * wz) * c) added
 * to a single accumulator in ITK's m_PointsToIndex order. The coefficients (ITK's decomposition of
 * the whole input image) are computed only on the lines the scan rows can read
 * (cubicBSplineCoefficientRegion): the same values, bit for bit.
 */
export function bspline(input: Volume, rows: ScanRows): Evaluator {
  const [nx, ny, nz] = input.size;
  const is3D = input.dimension === 3;
  const [xLo, xHi] = supportRange(...indexRange(rows, 0, nx), nx);
  const [yLo, yHi] = is3D ? supportRange(...indexRange(rows, 1, ny), ny) : [0, ny - 1];
  const region = cubicBSplineCoefficientRegion(
    input.data,
    input.size,
    input.dimension,
    xLo,
    xHi,
    yLo,
    yHi,
  );
  const coeffs = region.coefficients;
  const width = region.width;
  const w = new Float64Array(12);
  if (!is3D) {
    return (c0, c1) => {
      const fx = cubicWeights(c0, w, 0);
      const fy = cubicWeights(c1, w, 4);
      const wx0 = w[0]!;
      const wx1 = w[1]!;
      const wx2 = w[2]!;
      const wx3 = w[3]!;
      const x0 = mirrorIndex(fx, nx) - xLo;
      const x1 = mirrorIndex(fx + 1, nx) - xLo;
      const x2 = mirrorIndex(fx + 2, nx) - xLo;
      const x3 = mirrorIndex(fx + 3, nx) - xLo;
      let value = 0;
      for (let ky = 0; ky < 4; ky++) {
        const wy = w[4 + ky]!;
        const o = width * mirrorIndex(fy + ky, ny);
        value += wx0 * wy * coeffs[o + x0]!;
        value += wx1 * wy * coeffs[o + x1]!;
        value += wx2 * wy * coeffs[o + x2]!;
        value += wx3 * wy * coeffs[o + x3]!;
      }
      return value;
    };
  }
  const slice = width * ny;
  // The y and z parts are pure functions of c1 and c2, which usually repeat along an output row:
  // the last ones are reused.
  let lastC1 = Number.NaN;
  let lastC2 = Number.NaN;
  const wy = new Float64Array(4);
  const yOffset = new Int32Array(4);
  const wz = new Float64Array(4);
  const zOffset = new Int32Array(4);
  const prepareYZ = (c1: number, c2: number): void => {
    if (c1 !== lastC1) {
      const fy = cubicWeights(c1, wy, 0);
      for (let k = 0; k < 4; k++) yOffset[k] = width * mirrorIndex(fy + k, ny);
      lastC1 = c1;
    }
    if (c2 !== lastC2) {
      const fz = cubicWeights(c2, wz, 0);
      for (let k = 0; k < 4; k++) zOffset[k] = slice * mirrorIndex(fz + k, nz);
      lastC2 = c2;
    }
  };
  return (c0, c1, c2) => {
    prepareYZ(c1, c2);
    return splineSum(c0, w, coeffs, nx, xLo, wy, yOffset, wz, zOffset);
  };
}

/**
 * ITK's 64-term B-spline sum at x index c0 with prepared y and z weights / coefficient offsets:
 * value += ((wx * wy) * wz) * c over z, then y, then x (x fastest). wx * wy does not depend on z,
 * so the 16 products are formed once (the same values as ITK's running product).
 */
function splineSum(
  c0: number,
  wx: Float64Array,
  coeffs: Float64Array,
  nx: number,
  xLo: number,
  wy: Float64Array,
  yOffset: Int32Array,
  wz: Float64Array,
  zOffset: Int32Array,
): number {
  const fx = cubicWeights(c0, wx, 0);
  const x0 = mirrorIndex(fx, nx) - xLo;
  const x1 = mirrorIndex(fx + 1, nx) - xLo;
  const x2 = mirrorIndex(fx + 2, nx) - xLo;
  const x3 = mirrorIndex(fx + 3, nx) - xLo;
  const wx0 = wx[0]!;
  const wx1 = wx[1]!;
  const wx2 = wx[2]!;
  const wx3 = wx[3]!;
  const wy0 = wy[0]!;
  const wy1 = wy[1]!;
  const wy2 = wy[2]!;
  const wy3 = wy[3]!;
  const p00 = wx0 * wy0;
  const p10 = wx1 * wy0;
  const p20 = wx2 * wy0;
  const p30 = wx3 * wy0;
  const p01 = wx0 * wy1;
  const p11 = wx1 * wy1;
  const p21 = wx2 * wy1;
  const p31 = wx3 * wy1;
  const p02 = wx0 * wy2;
  const p12 = wx1 * wy2;
  const p22 = wx2 * wy2;
  const p32 = wx3 * wy2;
  const p03 = wx0 * wy3;
  const p13 = wx1 * wy3;
  const p23 = wx2 * wy3;
  const p33 = wx3 * wy3;
  const y0 = yOffset[0]!;
  const y1 = yOffset[1]!;
  const y2 = yOffset[2]!;
  const y3 = yOffset[3]!;
  let value = 0;
  for (let kz = 0; kz < 4; kz++) {
    const wzk = wz[kz]!;
    const oz = zOffset[kz]!;
    let o = oz + y0;
    value += p00 * wzk * coeffs[o + x0]!;
    value += p10 * wzk * coeffs[o + x1]!;
    value += p20 * wzk * coeffs[o + x2]!;
    value += p30 * wzk * coeffs[o + x3]!;
    o = oz + y1;
    value += p01 * wzk * coeffs[o + x0]!;
    value += p11 * wzk * coeffs[o + x1]!;
    value += p21 * wzk * coeffs[o + x2]!;
    value += p31 * wzk * coeffs[o + x3]!;
    o = oz + y2;
    value += p02 * wzk * coeffs[o + x0]!;
    value += p12 * wzk * coeffs[o + x1]!;
    value += p22 * wzk * coeffs[o + x2]!;
    value += p32 * wzk * coeffs[o + x3]!;
    o = oz + y3;
    value += p03 * wzk * coeffs[o + x0]!;
    value += p13 * wzk * coeffs[o + x1]!;
    value += p23 * wzk * coeffs[o + x2]!;
    value += p33 * wzk * coeffs[o + x3]!;
  }
  return value;
}
