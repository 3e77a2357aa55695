/**
 * Resampling of image and mask exactly as PyRadiomics' imageoperations.resampleImage does it
 * through SimpleITK 2.x / ITK 5.2.1:
 *
 * - the output grid comes from the mask: spacing `resampledPixelSpacing` (0 = keep the mask's
 *   spacing on that axis; an axis on which the ROI spans one voxel also keeps it), bounds
 *   floor((lower - 0.5) * ratio - padDistance) .. ceil((lower + size - 0.5) * ratio + padDistance)
 *   in the new index space (ratio = maskSpacing / newSpacing), clipped to the image, origin at the
 *   continuous mask index 0.5 * (newSpacing - maskSpacing) / maskSpacing + lowerBound / ratio,
 *   direction of the mask;
 * - when the new spacing equals the image spacing (numpy allclose), only the mask is resampled
 *   onto the image grid (nearest neighbour) and both are cropped to the ROI + padDistance;
 * - the image is resampled with the requested interpolator and keeps its pixel type (ITK clamps
 *   to the type's range and truncates, static_cast), the mask with nearest neighbour as UInt32;
 *   points outside the input get 0 (ResampleImageFilter's default pixel value).
 *
 * ITK's arithmetic is mirrored step for step because a last-bit difference can move a voxel
 * across an integer (truncation) or a nearest-neighbour boundary: index <-> physical mappings
 * use ITK's matrices (direction * diag(spacing), and its inverse computed by vnl's LINPACK SVD),
 * the scan-line interpolation of continuous indices of ResampleImageFilter's linear-transform
 * path, ITK's SSE rounding (Math::Floor / Math::Round), LinearInterpolateImageFunction's
 * branch structure and BSplineInterpolateImageFunction's summation order.
 */
import { INTERPOLATORS, type Settings } from "../extract/params.js";
import { cubicBSplineCoefficientRegion, cubicWeights } from "./bspline.js";
import { boundingBox, cropBounds, cropVolume } from "./mask.js";
import {
  allocateVoxels,
  type Mat3,
  type Vec3,
  type Volume,
  type VoxelArray,
  type VoxelType,
  voxelCount,
  voxelTypeOf,
  withData,
} from "./volume.js";

export type InterpolatorName = (typeof INTERPOLATORS)[number];

/** SimpleITK's interpolator enumeration as PyRadiomics' parameter schema numbers it (1-10). */
const INTERPOLATOR_BY_NUMBER: Record<number, InterpolatorName> = {
  1: "sitkNearestNeighbor",
  2: "sitkLinear",
  3: "sitkBSpline",
  4: "sitkGaussian",
  5: "sitkLabelGaussian",
  6: "sitkHammingWindowedSinc",
  7: "sitkCosineWindowedSinc",
  8: "sitkWelchWindowedSinc",
  9: "sitkLanczosWindowedSinc",
  10: "sitkBlackmanWindowedSinc",
};

/** The interpolator named by the `interpolator` setting (a SimpleITK name or its number). */
export function resolveInterpolator(setting: string | number): InterpolatorName {
  if (typeof setting === "number") {
    const name = INTERPOLATOR_BY_NUMBER[setting];
    if (!name) throw new Error(`interpolator: unknown SimpleITK interpolator number ${setting}`);
    return name;
  }
  if (!(INTERPOLATORS as readonly string[]).includes(setting)) {
    throw new Error(
      `interpolator: unknown interpolator '${setting}'; valid: ${INTERPOLATORS.join(", ")}`,
    );
  }
  return setting as InterpolatorName;
}

/** Output grid of a resampling (ITK ResampleImageFilter's output information). */
export interface ResampleGrid {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: Mat3;
  dimension: 2 | 3;
}

// ---------------------------------------------------------------------------------------------
// ITK geometry: index <-> physical point with ITK's matrices and operation order.

/** ITK ImageBase geometry: m_IndexToPhysicalPoint = direction * diag(spacing) and its inverse. */
export interface ItkGeometry {
  dimension: 2 | 3;
  origin: number[];
  /** Row-major dimension x dimension. */
  indexToPhysical: number[][];
  physicalToIndex: number[][];
}

/** ITK's ComputeIndexToPhysicalPointMatrices (direction * scale, inverse via vnl_svd). */
export function itkGeometry(vol: {
  spacing: Vec3;
  origin: Vec3;
  direction: Mat3;
  dimension: 2 | 3;
}): ItkGeometry {
  const d = vol.dimension;
  const m: number[][] = [];
  for (let i = 0; i < d; i++) {
    const row: number[] = [];
    for (let j = 0; j < d; j++) {
      // vnl_matrix_fixed product: accum = a(i,0)*b(0,j); accum += a(i,k)*b(k,j).
      let acc = vol.direction[i * 3]! * (j === 0 ? vol.spacing[0] : 0);
      for (let k = 1; k < d; k++) acc += vol.direction[i * 3 + k]! * (k === j ? vol.spacing[k] : 0);
      row.push(acc);
    }
    m.push(row);
  }
  for (let a = 0; a < d; a++) {
    if (vol.spacing[a] === 0) throw new Error("a spacing of 0 is not allowed");
  }
  return {
    dimension: d,
    origin: vol.origin.slice(0, d),
    indexToPhysical: m,
    physicalToIndex: svdInverse(m),
  };
}

/** ITK TransformIndexToPhysicalPoint (integer index): p = origin; p += M[i][j] * index[j]. */
function indexToPoint(g: ItkGeometry, index: number[], out: number[]): void {
  const d = g.dimension;
  for (let i = 0; i < d; i++) {
    let p = g.origin[i]!;
    const row = g.indexToPhysical[i]!;
    for (let j = 0; j < d; j++) p += row[j]! * index[j]!;
    out[i] = p;
  }
}

/** ITK TransformContinuousIndexToPhysicalPoint: sum = M * index, then + origin. */
export function continuousIndexToPoint(g: ItkGeometry, index: number[]): number[] {
  const d = g.dimension;
  const out: number[] = [];
  for (let r = 0; r < d; r++) {
    let sum = 0;
    for (let c = 0; c < d; c++) sum += g.indexToPhysical[r]![c]! * index[c]!;
    out.push(sum + g.origin[r]!);
  }
  return out;
}

/** ITK TransformPhysicalPointToContinuousIndex: inverse(M) * (p - origin). */
export function pointToContinuousIndex(g: ItkGeometry, point: number[], out: number[]): void {
  const d = g.dimension;
  const v0 = point[0]! - g.origin[0]!;
  const v1 = point[1]! - g.origin[1]!;
  const v2 = d === 3 ? point[2]! - g.origin[2]! : 0;
  const p = g.physicalToIndex;
  for (let r = 0; r < d; r++) {
    const row = p[r]!;
    let sum = 0;
    sum += row[0]! * v0;
    sum += row[1]! * v1;
    if (d === 3) sum += row[2]! * v2;
    out[r] = sum;
  }
}

// ---------------------------------------------------------------------------------------------
// vnl_matrix_inverse: pseudo-inverse V * diag(1/w) * U^T from LINPACK's dsvdc (job 21), as
// vnl_svd computes it (v3p netlib translation), so that the physical->index matrix agrees with
// ITK to the last bit.

function dnrm2(n: number, x: Float64Array, off: number, inc: number): number {
  if (n < 1) return 0;
  if (n === 1) return Math.abs(x[off]!);
  let scale = 0;
  let ssq = 1;
  for (let k = 0; k < n; k++) {
    const xi = x[off + k * inc]!;
    if (xi !== 0) {
      const absxi = Math.abs(xi);
      if (scale < absxi) {
        const r = scale / absxi;
        ssq = ssq * (r * r) + 1;
        scale = absxi;
      } else {
        const r = absxi / scale;
        ssq += r * r;
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

function ddot(n: number, x: Float64Array, xo: number, y: Float64Array, yo: number): number {
  let t = 0;
  for (let k = 0; k < n; k++) t += x[xo + k]! * y[yo + k]!;
  return t;
}

function daxpy(n: number, a: number, x: Float64Array, xo: number, y: Float64Array, yo: number) {
  if (n <= 0 || a === 0) return;
  for (let k = 0; k < n; k++) y[yo + k] = y[yo + k]! + a * x[xo + k]!;
}

function dscal(n: number, a: number, x: Float64Array, xo: number): void {
  for (let k = 0; k < n; k++) x[xo + k] = a * x[xo + k]!;
}

function drot(
  n: number,
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yo: number,
  c: number,
  s: number,
) {
  for (let k = 0; k < n; k++) {
    const t = c * x[xo + k]! + s * y[yo + k]!;
    y[yo + k] = c * y[yo + k]! - s * x[xo + k]!;
    x[xo + k] = t;
  }
}

function dswap(n: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  for (let k = 0; k < n; k++) {
    const t = x[xo + k]!;
    x[xo + k] = y[yo + k]!;
    y[yo + k] = t;
  }
}

const sign = (a: number, b: number): number => (b >= 0 ? Math.abs(a) : -Math.abs(a));

/** drotg: returns [r, z, c, s]. */
function drotg(da: number, db: number): [number, number, number, number] {
  let roe = db;
  if (Math.abs(da) > Math.abs(db)) roe = da;
  const scale = Math.abs(da) + Math.abs(db);
  if (scale === 0) return [0, 0, 1, 0];
  const d1 = da / scale;
  const d2 = db / scale;
  let r = scale * Math.sqrt(d1 * d1 + d2 * d2);
  r = sign(1, roe) * r;
  const c = da / r;
  const s = db / r;
  let z = 1;
  if (Math.abs(da) > Math.abs(db)) z = s;
  if (Math.abs(db) >= Math.abs(da) && c !== 0) z = 1 / c;
  return [r, z, c, s];
}

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

// ---------------------------------------------------------------------------------------------
// ITK's rounding (itkMathDetail, SSE2 path): Floor(x) = rint(2x - 0.5) >> 1,
// Round(x) = RoundHalfIntegerUp(x) = rint(2x + 0.5) >> 1, rint = round half to even.

function rintEven(t: number): number {
  const r = Math.round(t);
  return r - t === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** itk::Math::Floor (SSE2 implementation). */
export function itkFloor(x: number): number {
  return Math.floor(rintEven(2 * x - 0.5) / 2) + 0;
}

/** itk::Math::Round = RoundHalfIntegerUp (SSE2 implementation). */
export function itkRound(x: number): number {
  return Math.floor(rintEven(2 * x + 0.5) / 2) + 0;
}

// ---------------------------------------------------------------------------------------------
// Pixel casting (ResampleImageFilter::CastComponentWithBoundsChecking).

const TYPE_RANGE: Record<Exclude<VoxelType, "double">, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  float: [-3.4028234663852886e38, 3.4028234663852886e38],
};

/**
 * Cast of an interpolated double to the output pixel type as ITK does it: values at or beyond
 * the type's range clamp to its min/max, others are static_cast (integers truncate towards 0,
 * float rounds to nearest).
 */
export function castInterpolated(value: number, type: VoxelType): number {
  if (type === "double") return value;
  const [lo, hi] = TYPE_RANGE[type];
  if (value <= lo) return lo;
  if (value >= hi) return hi;
  return type === "float" ? Math.fround(value) : Math.trunc(value);
}

/**
 * Cast a row of interpolated values into `out` with castInterpolated's rules; voxels outside the
 * input get the default pixel value 0.
 */
function castRow(
  row: Float64Array,
  inside: Uint8Array,
  out: VoxelArray,
  offset: number,
  type: VoxelType,
): void {
  const n = row.length;
  if (type === "double") {
    out.set(row, offset);
    return;
  }
  const [lo, hi] = TYPE_RANGE[type];
  const isFloat = type === "float";
  for (let i = 0; i < n; i++) {
    const v = row[i]!;
    if (!inside[i]) out[offset + i] = 0;
    else if (v <= lo) out[offset + i] = lo;
    else if (v >= hi) out[offset + i] = hi;
    else out[offset + i] = isFloat ? v : Math.trunc(v);
  }
}

// ---------------------------------------------------------------------------------------------
// Interpolators. Each evaluates at a continuous index known to be inside the buffer.

type Evaluator = (c0: number, c1: number, c2: number) => number;

function nearestNeighbour(input: Volume): Evaluator {
  const [nx, ny, nz] = input.size;
  const d = input.data;
  const is3D = input.dimension === 3;
  // Along an output row the y and z indices usually repeat: the last ones are reused (a pure
  // function of the same argument).
  let lastC1 = Number.NaN;
  let lastC2 = Number.NaN;
  let j = 0;
  let k = 0;
  return (c0, c1, c2) => {
    const i = Math.min(itkRound(c0), nx - 1);
    if (c1 !== lastC1) {
      j = Math.min(itkRound(c1), ny - 1);
      lastC1 = c1;
    }
    if (is3D && c2 !== lastC2) {
      k = Math.min(itkRound(c2), nz - 1);
      lastC2 = c2;
    }
    return d[i + nx * (j + ny * k)]!;
  };
}

/** LinearInterpolateImageFunction::EvaluateOptimized (2D / 3D branches). */
function linear(input: Volume): Evaluator {
  const [nx, ny, nz] = input.size;
  const d = input.data;
  const sy = nx;
  const sz = nx * ny;
  const is3D = input.dimension === 3;
  return (c0, c1, c2) => {
    let b0 = itkFloor(c0);
    if (b0 < 0) b0 = 0;
    const d0 = c0 - b0;
    let b1 = itkFloor(c1);
    if (b1 < 0) b1 = 0;
    const d1 = c1 - b1;
    let b2 = 0;
    let d2 = 0;
    if (is3D) {
      b2 = itkFloor(c2);
      if (b2 < 0) b2 = 0;
      d2 = c2 - b2;
    }
    // An axis takes part when its distance is > 0 and its upper neighbour exists; ITK's
    // branches then interpolate along x first, then y, then z.
    const ox = d0 > 0 && b0 + 1 <= nx - 1 ? 1 : 0;
    const oy = d1 > 0 && b1 + 1 <= ny - 1 ? sy : 0;
    const oz = d2 > 0 && b2 + 1 <= nz - 1 ? sz : 0;
    const i000 = b0 + sy * b1 + sz * b2;
    let v00 = d[i000]!;
    if (ox) v00 += (d[i000 + 1]! - v00) * d0;
    if (oy) {
      let v10 = d[i000 + oy]!;
      if (ox) v10 += (d[i000 + oy + 1]! - v10) * d0;
      v00 += (v10 - v00) * d1;
    }
    if (!oz) return v00;
    const i001 = i000 + oz;
    let v01 = d[i001]!;
    if (ox) v01 += (d[i001 + 1]! - v01) * d0;
    if (oy) {
      let v11 = d[i001 + oy]!;
      if (ox) v11 += (d[i001 + oy + 1]! - v11) * d0;
      v01 += (v11 - v01) * d1;
    }
    return v00 + (v01 - v00) * d2;
  };
}

/**
 * The scan lines of a resampling: row r (= y + ny * z of the output) maps voxel x to the continuous
 * input index start + (x / nx) * delta, per axis (3 numbers per row, unused axes 0).
 */
interface ScanRows {
  nx: number;
  count: number;
  start: Float64Array;
  delta: Float64Array;
}

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
function bspline(input: Volume, rows: ScanRows): Evaluator {
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

function evaluatorFor(input: Volume, interpolator: InterpolatorName, rows: ScanRows): Evaluator {
  switch (interpolator) {
    case "sitkNearestNeighbor":
      return nearestNeighbour(input);
    case "sitkLinear":
      return linear(input);
    case "sitkBSpline":
      return bspline(input, rows);
    default:
      throw new Error(
        `interpolator '${interpolator}' is not implemented; use sitkNearestNeighbor, sitkLinear or sitkBSpline`,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// ResampleImageFilter (identity transform => LinearThreadedGenerateData).

/** Start (continuous index of voxel 0) and end - start (of voxel nx) of every output scan line. */
function scanRows(input: Volume, grid: ResampleGrid): ScanRows {
  const inGeom = itkGeometry(input);
  const outGeom = itkGeometry(grid);
  const [nx, ny, nz] = grid.size;
  const count = ny * nz;
  const startAll = new Float64Array(3 * count);
  const delta = new Float64Array(3 * count);
  const index = [0, 0, 0];
  const point = [0, 0, 0];
  const start = [0, 0, 0];
  const end = [0, 0, 0];
  for (let z = 0, r = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++, r++) {
      index[0] = 0;
      index[1] = y;
      index[2] = z;
      indexToPoint(outGeom, index, point);
      pointToContinuousIndex(inGeom, point, start);
      index[0] = nx;
      indexToPoint(outGeom, index, point);
      pointToContinuousIndex(inGeom, point, end);
      for (let a = 0; a < 3; a++) {
        startAll[3 * r + a] = start[a]!;
        delta[3 * r + a] = end[a]! - start[a]!;
      }
    }
  }
  return { nx, count, start: startAll, delta };
}

/**
 * ITK ResampleImageFilter with an identity transform: every output scan line maps its first
 * voxel (index 0) and the voxel one past its end (index size_x) into the input's continuous index
 * space, voxel x of the line is start + (x / size_x) * (end - start); points inside
 * [-0.5, size - 0.5) are interpolated and cast to `outputType`, others get 0.
 */
export function resampleVolume(
  input: Volume,
  grid: ResampleGrid,
  interpolator: InterpolatorName,
  outputType: VoxelType = voxelTypeOf(input.data),
): Volume {
  if (input.dimension !== grid.dimension) {
    throw new Error(`cannot resample a ${input.dimension}D image onto a ${grid.dimension}D grid`);
  }
  const dim = grid.dimension;
  const rows = scanRows(input, grid);
  const evaluate = evaluatorFor(input, interpolator, rows);
  const [nx] = grid.size;
  const out = allocateVoxels(outputType, voxelCount(grid.size));
  const hi0 = input.size[0] - 1 + 0.5;
  const hi1 = input.size[1] - 1 + 0.5;
  const hi2 = dim === 3 ? input.size[2] - 1 + 0.5 : 0.5;
  const row = new Float64Array(nx);
  const inside = new Uint8Array(nx);
  const { start, delta } = rows;
  for (let r = 0, o = 0; r < rows.count; r++, o += nx) {
    const s0 = start[3 * r]!;
    const s1 = start[3 * r + 1]!;
    const s2 = start[3 * r + 2]!;
    const e0 = delta[3 * r]!;
    const e1 = delta[3 * r + 1]!;
    const e2 = delta[3 * r + 2]!;
    for (let x = 0; x < nx; x++) {
      const alpha = x / nx;
      const c0 = s0 + alpha * e0;
      const c1 = s1 + alpha * e1;
      const c2 = dim === 3 ? s2 + alpha * e2 : 0;
      const isInside =
        c0 >= -0.5 && c0 < hi0 && c1 >= -0.5 && c1 < hi1 && (dim === 2 || (c2 >= -0.5 && c2 < hi2));
      inside[x] = isInside ? 1 : 0;
      row[x] = isInside ? evaluate(c0, c1, c2) : 0;
    }
    castRow(row, inside, out, o, outputType);
  }
  return withData(grid, out);
}

/**
 * A label mask resampled with nearest neighbour as PyRadiomics does it: sitk.Cast(mask, UInt32)
 * (castMaskToUInt32), then ResampleImageFilter with a UInt32 output (resampleVolume's scan lines,
 * inside test and NearestNeighborInterpolateImageFunction's rounded, clamped index); the cast is
 * applied to each sampled voxel instead of the whole input (the same values), and the sampled
 * UInt32 is stored as is (the output cast of a UInt32 is the identity).
 */
function resampleMaskNearest(mask: Volume, grid: ResampleGrid | Volume): Volume<Uint32Array> {
  if (mask.dimension !== grid.dimension) {
    throw new Error(`cannot resample a ${mask.dimension}D mask onto a ${grid.dimension}D grid`);
  }
  const is3D = grid.dimension === 3;
  const rows = scanRows(mask, grid);
  const [inX, inY, inZ] = mask.size;
  const d = mask.data;
  const hi0 = inX - 1 + 0.5;
  const hi1 = inY - 1 + 0.5;
  const hi2 = is3D ? inZ - 1 + 0.5 : 0.5;
  const nx = grid.size[0];
  const out = new Uint32Array(voxelCount(grid.size));
  const { start, delta } = rows;
  // The y and z indices usually repeat along a row: the last ones are reused.
  let lastC1 = Number.NaN;
  let lastC2 = Number.NaN;
  let j = 0;
  let k = 0;
  for (let r = 0, o = 0; r < rows.count; r++, o += nx) {
    const s0 = start[3 * r]!;
    const s1 = start[3 * r + 1]!;
    const s2 = start[3 * r + 2]!;
    const e0 = delta[3 * r]!;
    const e1 = delta[3 * r + 1]!;
    const e2 = delta[3 * r + 2]!;
    for (let x = 0; x < nx; x++) {
      const alpha = x / nx;
      const c0 = s0 + alpha * e0;
      const c1 = s1 + alpha * e1;
      const c2 = is3D ? s2 + alpha * e2 : 0;
      const inside =
        c0 >= -0.5 && c0 < hi0 && c1 >= -0.5 && c1 < hi1 && (!is3D || (c2 >= -0.5 && c2 < hi2));
      if (!inside) continue;
      const i = Math.min(itkRound(c0), inX - 1);
      if (c1 !== lastC1) {
        j = Math.min(itkRound(c1), inY - 1);
        lastC1 = c1;
      }
      if (is3D && c2 !== lastC2) {
        k = Math.min(itkRound(c2), inZ - 1);
        lastC2 = c2;
      }
      out[o + x] = Math.trunc(d[i + inX * (j + inY * k)]!) >>> 0;
    }
  }
  return withData(grid, out);
}

// ---------------------------------------------------------------------------------------------
// PyRadiomics resampleImage.

/** sitk.Cast(mask, sitkUInt32) as getMask does it (static_cast: truncation, modular for < 0). */
export function castMaskToUInt32(mask: Volume): Volume<Uint32Array> {
  let data: Uint32Array;
  if (mask.data instanceof Uint32Array) data = mask.data;
  else {
    data = new Uint32Array(mask.data.length);
    const src = mask.data;
    for (let i = 0; i < src.length; i++) data[i] = Math.trunc(src[i]!) >>> 0;
  }
  return withData(mask, data);
}

/**
 * Lower corner and size per axis of the voxels whose UInt32 cast (castMaskToUInt32) equals `label`
 * (LabelShapeStatistics on the cast mask).
 */
function labelBoundingBox(mask: Volume, label: number): { lower: Vec3; size: Vec3 } | null {
  const [nx, ny, nz] = mask.size;
  const d = mask.data;
  // Integer voxels equal to a label in [0, 2^31) are exactly those whose UInt32 cast equals it.
  const exact =
    !(d instanceof Float32Array || d instanceof Float64Array) &&
    Number.isInteger(label) &&
    label >= 0 &&
    label < 2 ** 31;
  let x0 = nx;
  let y0 = ny;
  let z0 = nz;
  let x1 = -1;
  let y1 = -1;
  let z1 = -1;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      let first = -1;
      let last = -1;
      if (exact) {
        const row = d.subarray(i, i + nx);
        first = row.indexOf(label);
        if (first >= 0) last = row.lastIndexOf(label);
        i += nx;
      } else {
        for (let x = 0; x < nx; x++, i++) {
          if (Math.trunc(d[i]!) >>> 0 !== label) continue;
          if (first < 0) first = x;
          last = x;
        }
      }
      if (first < 0) continue;
      if (first < x0) x0 = first;
      if (last > x1) x1 = last;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
  }
  if (x1 < 0) return null;
  return { lower: [x0, y0, z0], size: [x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1] };
}

/** PyRadiomics _checkROI: the ROI's bounding box must lie within the image (tolerance 1e-3). */
function checkRoiInsideImage(image: Volume, mask: Volume, lower: Vec3, size: Vec3): void {
  const d = mask.dimension;
  const mg = itkGeometry(mask);
  const ig = itkGeometry(image);
  const lo = lower.slice(0, d).map((v) => v - 0.5);
  const hi = lower.slice(0, d).map((v, a) => v + size[a]! - 0.5);
  const a0: number[] = [];
  const a1: number[] = [];
  pointToContinuousIndex(ig, continuousIndexToPoint(mg, lo), a0);
  pointToContinuousIndex(ig, continuousIndexToPoint(mg, hi), a1);
  const tol = 1e-3;
  for (let a = 0; a < d; a++) {
    const mn = Math.min(a0[a]!, a1[a]!);
    const mx = Math.max(a0[a]!, a1[a]!);
    if (mn < -0.5 - tol || mx > image.size[a]! - 0.5 + tol) {
      throw new Error(
        `bounding box of ROI is larger than image space: ROI bounds (image index space) (${a0.join(", ")}) to (${a1.join(", ")}), image size ${image.size.slice(0, d).join("x")}`,
      );
    }
  }
}

/**
 * The resampling grid of PyRadiomics' resampleImage for a mask geometry and the ROI's bounding
 * box (lower corner and size in mask voxels), with `spacing` already resolved (0 replaced by the
 * mask spacing, single-voxel axes kept):
 *   ratio = maskSpacing / spacing
 *   lower' = max(floor((lower - 0.5) * ratio - padDistance), 0)
 *   upper' = min(ceil((lower + size - 0.5) * ratio + padDistance), ceil(maskSize * ratio) - 1)
 *   size' = upper' - lower' + 1
 *   origin = mask continuous index 0.5 * (spacing - maskSpacing) / maskSpacing + lower' / ratio.
 */
export function resamplingGrid(
  mask: Pick<Volume, "size" | "spacing" | "origin" | "direction" | "dimension">,
  roiLower: Vec3,
  roiSize: Vec3,
  spacing: Vec3,
  padDistance: number,
): ResampleGrid {
  const d = mask.dimension;
  const newSize: Vec3 = [1, 1, 1];
  const originIndex: number[] = [];
  for (let a = 0; a < d; a++) {
    const ms = mask.spacing[a]!;
    const ratio = ms / spacing[a]!;
    let lo = Math.floor((roiLower[a]! - 0.5) * ratio - padDistance);
    let hi = Math.ceil((roiLower[a]! + roiSize[a]! - 0.5) * ratio + padDistance);
    const maxUpper = Math.ceil(mask.size[a]! * ratio) - 1;
    if (lo < 0) lo = 0;
    if (hi > maxUpper) hi = maxUpper;
    newSize[a] = Math.trunc(hi - lo + 1);
    const originalLower = lo / ratio;
    const newOriginIndex = (0.5 * (spacing[a]! - ms)) / ms;
    originIndex.push(newOriginIndex + originalLower);
  }
  const p = continuousIndexToPoint(itkGeometry(mask), originIndex);
  const origin: Vec3 = [p[0]!, p[1]!, d === 3 ? p[2]! : mask.origin[2]];
  const outSpacing: Vec3 = [spacing[0], spacing[1], d === 3 ? spacing[2] : mask.spacing[2]];
  return {
    size: newSize,
    spacing: outSpacing,
    origin,
    direction: [...mask.direction],
    dimension: d,
  };
}

/**
 * PyRadiomics imageoperations.resampleImage (with getMask's UInt32 cast of the mask): returns the
 * resampled (and cropped) image, keeping its pixel type, and the UInt32 mask.
 */
export function resampleImageAndMask(
  image: Volume,
  mask: Volume,
  settings: Settings,
): { image: Volume; mask: Volume } {
  const spacingSetting = settings.resampledPixelSpacing;
  if (!spacingSetting) throw new Error("resampledPixelSpacing: not set");
  const d = mask.dimension;
  if (spacingSetting.length !== d) {
    throw new Error(
      `resampledPixelSpacing: wrong dimensionality (${spacingSetting.length}-D), ${d}-D required`,
    );
  }
  if (image.dimension !== d) {
    throw new Error(`image is ${image.dimension}D but mask is ${d}D`);
  }
  for (const s of spacingSetting) {
    if (!(Number.isFinite(s) && s >= 0)) {
      throw new Error(
        `resampledPixelSpacing: spacings must be >= 0, got ${spacingSetting.join(", ")}`,
      );
    }
  }
  const interpolator = resolveInterpolator(settings.interpolator ?? "sitkBSpline");
  const label = Math.trunc(settings.label);

  const spacing: Vec3 = [...mask.spacing];
  for (let a = 0; a < d; a++) if (spacingSetting[a] !== 0) spacing[a] = spacingSetting[a]!;

  const box = labelBoundingBox(mask, label);
  if (!box) throw new Error(`Label (${label}) not present in mask`);
  checkRoiInsideImage(image, mask, box.lower, box.size);
  // Do not resample along axes where the ROI spans a single voxel.
  for (let a = 0; a < d; a++) if (box.size[a] === 1) spacing[a] = mask.spacing[a];

  let same = true;
  for (let a = 0; a < d; a++) {
    if (!(Math.abs(image.spacing[a]! - spacing[a]!) <= 1e-8 + 1e-5 * Math.abs(spacing[a]!))) {
      same = false;
    }
  }
  if (same) {
    // Spacing unchanged: resample only the mask onto the image grid, then crop both.
    const resampledMask = resampleMaskNearest(mask, image);
    const roi = new Uint8Array(resampledMask.data.length);
    for (let i = 0; i < roi.length; i++) roi[i] = resampledMask.data[i] === label ? 1 : 0;
    const roiBox = boundingBox(roi, resampledMask.size);
    if (!roiBox)
      throw new Error(`Label (${label}) not present in the mask resampled onto the image`);
    const bounds = cropBounds(roiBox, image.size, settings.padDistance);
    return { image: cropVolume(image, bounds), mask: cropVolume(resampledMask, bounds) };
  }

  const grid = resamplingGrid(mask, box.lower, box.size, spacing, settings.padDistance);
  return {
    image: resampleVolume(image, grid, interpolator),
    mask: resampleMaskNearest(mask, grid),
  };
}
