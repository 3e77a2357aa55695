/**
 * PyRadiomics' local binary pattern image types (radiomics/imageoperations.py getLBP2DImage and
 * getLBP3DImage, commit 8ed5793), reproduced with the arithmetic of the libraries they call:
 * scikit-image 0.19.3 `feature.local_binary_pattern` for LBP2D; for LBP3D trimesh's icosphere,
 * scipy 1.10 `ndimage.map_coordinates(order=3)` (cubic B-spline, mode 'constant'),
 * `special.sph_harm` and `stats.kurtosis`, with numpy 1.24's summation orders.
 */
import type { DerivedImage } from "../extract/derived.js";
import type { Settings } from "../extract/params.js";
import {
  allocateVoxels,
  type VoxelArray,
  type Volume,
  voxelCount,
  voxelTypeOf,
  withData,
} from "../image/volume.js";
import { icosphere } from "./icosphere.js";
import {
  acosRounded,
  atan2Rounded,
  powIntRounded,
  sphericalHarmonic,
} from "./spherical-harmonics.js";

export type LbpMethod = "default" | "ror" | "uniform" | "var";

// ---------------------------------------------------------------------------------------------
// LBP 2D (scikit-image 0.19.3 skimage/feature/_texture.pyx `_local_binary_pattern`)
// ---------------------------------------------------------------------------------------------

/** C rint / numpy rint: round half to even. */
function rint(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** numpy.round(v, 5) = rint(v * 1e5) / 1e5. */
function round5(v: number): number {
  return rint(v * 100000.0) / 100000.0;
}

/**
 * scikit-image's `local_binary_pattern(image, P, R, method)` on one 2D image (row-major,
 * rows x cols): P neighbours at (r - R sin(2 pi p / P), c + R cos(2 pi p / P)), coordinates rounded
 * to 5 decimals, sampled by bilinear interpolation with 0 outside the image (R is a C float);
 * s_p = [g_p - g_c >= 0].
 * - default: sum s_p 2^p; ror: the minimum over the P circular right rotations of that code;
 * - uniform: sum s_p when the open chain s_0..s_{P-1} changes at most twice, else P + 1;
 * - var: (sum g_p^2 - (sum g_p)^2 / P) / P, NaN where it is 0.
 * Ojala, Pietikainen & Maenpaa (2002), IEEE TPAMI 24(7):971-987.
 */
export function localBinaryPattern(
  image: Float64Array,
  rows: number,
  cols: number,
  samples: number,
  radius: number,
  method: LbpMethod,
): Float64Array {
  if (image.length !== rows * cols) {
    throw new Error(`localBinaryPattern: ${image.length} pixels do not match ${rows}x${cols}`);
  }
  const P = samples;
  if (!Number.isInteger(P) || P < 1) {
    throw new Error(`lbp2DSamples must be a positive integer, got ${samples}`);
  }
  if ((method === "default" || method === "ror") && P > 31) {
    throw new Error(`lbp2DSamples ${P} is too large for lbp2DMethod '${method}' (at most 31)`);
  }
  if (!["default", "ror", "uniform", "var"].includes(method)) {
    throw new Error(`lbp2DMethod '${method}' is not one of default, ror, uniform, var`);
  }
  const R = Math.fround(radius); // `float R` in the Cython signature
  const rp = new Float64Array(P);
  const cp = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    const angle = (2 * Math.PI * i) / P;
    rp[i] = round5(-R * Math.sin(angle));
    cp[i] = round5(R * Math.cos(angle));
  }
  const texture = new Float64Array(P);
  const bits = new Uint8Array(P);
  const out = new Float64Array(rows * cols);
  const pixel = (r: number, c: number): number =>
    r < 0 || r >= rows || c < 0 || c >= cols ? 0 : image[r * cols + c]!;

  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let i = 0; i < P; i++) {
        const rr = r + rp[i]!;
        const cc = c + cp[i]!;
        const minr = Math.floor(rr);
        const minc = Math.floor(cc);
        const maxr = Math.ceil(rr);
        const maxc = Math.ceil(cc);
        const dr = rr - minr;
        const dc = cc - minc;
        const top = (1 - dc) * pixel(minr, minc) + dc * pixel(minr, maxc);
        const bottom = (1 - dc) * pixel(maxr, minc) + dc * pixel(maxr, maxc);
        texture[i] = (1 - dr) * top + dr * bottom;
      }
      const centre = image[r * cols + c]!;
      for (let i = 0; i < P; i++) bits[i] = texture[i]! - centre >= 0 ? 1 : 0;

      let lbp = 0;
      if (method === "var") {
        let sum = 0.0;
        let sq = 0.0;
        for (let i = 0; i < P; i++) {
          const t = texture[i]!;
          sum += t;
          sq += t * t;
        }
        const variance = (sq - (sum * sum) / P) / P;
        lbp = variance !== 0 ? variance : Number.NaN;
      } else if (method === "uniform") {
        let changes = 0;
        for (let i = 0; i < P - 1; i++) if (bits[i] !== bits[i + 1]) changes++;
        if (changes <= 2) {
          for (let i = 0; i < P; i++) lbp += bits[i]!;
        } else {
          lbp = P + 1;
        }
      } else {
        for (let i = 0; i < P; i++) lbp += bits[i]! * int32Weight(i);
        if (method === "ror") {
          let rotated = lbp | 0;
          let best = rotated;
          for (let i = 1; i < P; i++) {
            rotated = (rotated >> 1) | ((rotated & 1) << (P - 1));
            if (rotated < best) best = rotated;
          }
          lbp = best;
        }
      }
      out[r * cols + c] = lbp;
    }
  }
  return out;
}

/** 2 ** arange(P, dtype=int32)[i]: wraps to -2^31 at i = 31. */
function int32Weight(i: number): number {
  return (2 ** i) | 0;
}

/**
 * Store a float64 into an integer voxel array as C's (type)double cast does on x86-64 (what numpy's
 * float64 -> int assignment does): truncation, wrapping to the type's width; NaN and values beyond
 * the conversion range give the 'integer indefinite' value.
 */
const TWO_63 = 2 ** 63;

function storeCast(target: VoxelArray, index: number, value: number): void {
  if (target instanceof Float64Array || target instanceof Float32Array) {
    target[index] = value;
  } else if (target instanceof Uint32Array) {
    target[index] = value > -TWO_63 && value < TWO_63 ? Math.trunc(value) : 0;
  } else {
    target[index] = value > -2147483649 && value < 2147483648 ? Math.trunc(value) : -2147483648;
  }
}

/**
 * PyRadiomics getLBP2DImage: scikit-image's local_binary_pattern (lbp2DSamples, lbp2DRadius,
 * lbp2DMethod) on every slice across array axis force2Ddimension (0: axial (y, x) slices;
 * 1: (z, x) slices; 2: (y, z) slices) of a 3D image, the codes written back into the input's own
 * voxel type; a true 2D image gives a float64 image. Yields one image named 'lbp-2D'.
 */
export function* lbp2DImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
): Generator<DerivedImage> {
  const P = settings.lbp2DSamples;
  const R = settings.lbp2DRadius;
  const method = settings.lbp2DMethod;
  const [nx, ny, nz] = image.size;
  if (image.dimension === 2) {
    const plane = Float64Array.from(image.data);
    yield {
      name: "lbp-2D",
      image: withData(image, localBinaryPattern(plane, ny, nx, P, R, method)),
      settings,
    };
    return;
  }
  const axis = settings.force2Ddimension ?? 0;
  if (axis !== 0 && axis !== 1 && axis !== 2) {
    throw new Error(`force2Ddimension must be 0, 1 or 2, got ${String(axis)}`);
  }
  const strides = [nx * ny, nx, 1]; // numpy axes (z, y, x)
  const shape = [nz, ny, nx];
  // After swapaxes(0, axis): slice index along `axis`, rows and cols along the other two axes
  // in the order numpy's swapped view has them.
  const order = axis === 0 ? [0, 1, 2] : axis === 1 ? [1, 0, 2] : [2, 1, 0];
  const [sliceAxis, rowAxis, colAxis] = order as [number, number, number];
  const slices = shape[sliceAxis]!;
  const rows = shape[rowAxis]!;
  const cols = shape[colAxis]!;
  const sStride = strides[sliceAxis]!;
  const rStride = strides[rowAxis]!;
  const cStride = strides[colAxis]!;
  const src = image.data;
  const out = allocateVoxels(voxelTypeOf(src), voxelCount(image.size));
  const plane = new Float64Array(rows * cols);
  for (let s = 0; s < slices; s++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++)
        plane[r * cols + c] = src[s * sStride + r * rStride + c * cStride]!;
    }
    const codes = localBinaryPattern(plane, rows, cols, P, R, method);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        storeCast(out, s * sStride + r * rStride + c * cStride, codes[r * cols + c]!);
      }
    }
  }
  yield { name: "lbp-2D", image: withData(image, out), settings };
}

// ---------------------------------------------------------------------------------------------
// Cubic B-spline interpolation (scipy 1.10 ndimage.map_coordinates, order 3, mode 'constant')
// ---------------------------------------------------------------------------------------------

/** The cubic B-spline pole sqrt(3) - 2 = -0.267949192431122706472553658... (scipy ni_splines.c). */
const SPLINE_POLE = -0.2679491924311227;

/**
 * scipy's in-place cubic B-spline prefilter of one line with mirror-symmetric boundaries (the
 * boundary scipy uses for mode 'constant'): gain (1 - z)(1 - 1/z), causal pass initialised by
 * the mirrored sum, anticausal pass initialised in closed form (Unser, Aldroubi & Eden 1991).
 * `zn1` = z^(n - 1), correctly rounded as glibc's pow.
 */
function splineFilterLine(c: Float64Array, n: number, zn1: number): void {
  if (n <= 1) return;
  const z = SPLINE_POLE;
  const gain = (1.0 - z) * (1.0 - 1.0 / z);
  for (let i = 0; i < n; i++) c[i]! *= gain;
  // causal initialisation (mirror)
  let zi = z;
  let c0 = c[0]! + zn1 * c[n - 1]!;
  for (let i = 1; i < n - 1; i++) {
    c0 += zi * (c[i]! + zn1 * c[n - 1 - i]!);
    zi *= z;
  }
  c[0] = c0 / (1 - zn1 * zn1);
  for (let i = 1; i < n; i++) c[i]! += z * c[i - 1]!;
  // anticausal initialisation (mirror)
  c[n - 1] = ((z * c[n - 2]! + c[n - 1]!) * z) / (z * z - 1);
  for (let i = n - 2; i >= 0; i--) c[i] = z * (c[i + 1]! - c[i]!);
}

/** scipy ndimage.spline_filter(order=3): the 1D prefilter along numpy axes 0, 1, 2 in turn. */
function splineCoefficients(image: Volume): Float64Array {
  const [nx, ny, nz] = image.size;
  const coef = Float64Array.from(image.data);
  const shape = [nz, ny, nx];
  const strides = [nx * ny, nx, 1];
  const line = new Float64Array(Math.max(nx, ny, nz));
  for (let axis = 0; axis < 3; axis++) {
    const len = shape[axis]!;
    const stride = strides[axis]!;
    const zn1 = len > 1 ? powIntRounded(SPLINE_POLE, len - 1) : 1;
    const others = [0, 1, 2].filter((a) => a !== axis) as [number, number];
    const [a, b] = others;
    for (let i = 0; i < shape[a]!; i++) {
      for (let j = 0; j < shape[b]!; j++) {
        const base = i * strides[a]! + j * strides[b]!;
        for (let k = 0; k < len; k++) line[k] = coef[base + k * stride]!;
        splineFilterLine(line, len, zn1);
        for (let k = 0; k < len; k++) coef[base + k * stride] = line[k]!;
      }
    }
  }
  return coef;
}

/** scipy's mirror mapping of an integer tap index outside [0, len - 1]. */
function mirrorIndex(idx: number, len: number): number {
  if (idx >= 0 && idx <= len - 1) return idx;
  if (len <= 1) return 0;
  const sz2 = 2 * len - 2;
  let v = idx;
  if (v < 0) {
    v = sz2 * Math.trunc(-v / sz2) + v;
    return v <= 1 - len ? v + sz2 : -v;
  }
  v -= sz2 * Math.trunc(v / sz2);
  return v >= len ? sz2 - v : v;
}

/** Cubic B-spline weights of the 4 taps starting at floor(x) - 1 (scipy ni_splines.c). */
function splineWeights(x: number, w: Float64Array, offset: number): void {
  const t = x - Math.floor(x);
  const y = t;
  const z = 1.0 - t;
  w[offset + 1] = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0;
  w[offset + 2] = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
  w[offset] = (z * z * z) / 6.0;
  let last = 1.0;
  for (let i = 0; i < 3; i++) last -= w[offset + i]!;
  w[offset + 3] = last;
}

/** Spline sampler over a prefiltered volume; cval 0 outside [0, len - 1] on any axis. */
class CubicSplineSampler {
  private readonly shape: [number, number, number];
  private readonly strides: [number, number, number];
  private readonly weights = new Float64Array(12);
  private readonly taps = new Int32Array(12);

  constructor(
    private readonly coef: Float64Array,
    size: [number, number, number],
  ) {
    this.shape = [size[2], size[1], size[0]];
    this.strides = [size[0] * size[1], size[0], 1];
  }

  /** Interpolated value at numpy coordinates (c0, c1, c2) = (z, y, x), in float64. */
  sample(c0: number, c1: number, c2: number): number {
    const coords = [c0, c1, c2];
    for (let a = 0; a < 3; a++) {
      const cc = coords[a]!;
      const len = this.shape[a]!;
      if (!(cc >= 0 && cc <= len - 1)) return 0; // mode 'constant': no interpolation outside
      const start = Math.floor(cc) - 1;
      for (let l = 0; l < 4; l++) {
        this.taps[4 * a + l] = mirrorIndex(start + l, len) * this.strides[a]!;
      }
      splineWeights(cc, this.weights, 4 * a);
    }
    const w = this.weights;
    const taps = this.taps;
    const coef = this.coef;
    let t = 0.0;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const base = taps[i]! + taps[4 + j]!;
        for (let k = 0; k < 4; k++) {
          let v = coef[base + taps[8 + k]!]!;
          v *= w[i]!;
          v *= w[4 + j]!;
          v *= w[8 + k]!;
          t += v;
        }
      }
    }
    return t;
  }
}

/**
 * The interpolated value stored in map_coordinates' output array, which has the input's voxel
 * type: integers round half away from zero and clamp to the type's range (unsigned: negatives
 * to 0); float32 rounds to single precision.
 */
function outputRounder(data: VoxelArray): (t: number) => number {
  const clampInt = (lo: number, hi: number) => (t: number) => {
    const v = t > 0 ? t + 0.5 : t - 0.5;
    return Math.trunc(Math.max(Math.min(v, hi), lo));
  };
  const clampUint = (hi: number) => (t: number) => {
    const v = t > 0 ? t + 0.5 : 0;
    return Math.trunc(Math.min(v, hi));
  };
  if (data instanceof Float64Array) return (t) => t;
  if (data instanceof Float32Array) return Math.fround;
  if (data instanceof Int8Array) return clampInt(-128, 127);
  if (data instanceof Int16Array) return clampInt(-32768, 32767);
  if (data instanceof Int32Array) return clampInt(-2147483648, 2147483647);
  if (data instanceof Uint8Array) return clampUint(255);
  if (data instanceof Uint16Array) return clampUint(65535);
  return clampUint(4294967295);
}

// ---------------------------------------------------------------------------------------------
// numpy summation orders
// ---------------------------------------------------------------------------------------------

/** numpy's pairwise sum of a[0..n) (8 accumulators, blocks of 128), each addition through rnd. */
function pairwiseSum(
  a: Float64Array,
  start: number,
  n: number,
  rnd: (v: number) => number,
): number {
  if (n < 8) {
    let res = -0.0;
    for (let i = 0; i < n; i++) res = rnd(res + a[start + i]!);
    return res;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = a[start + j]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] = rnd(r[j]! + a[start + i + j]!);
    }
    let res = rnd(
      rnd(rnd(r[0]! + r[1]!) + rnd(r[2]! + r[3]!)) + rnd(rnd(r[4]! + r[5]!) + rnd(r[6]! + r[7]!)),
    );
    for (; i < n; i++) res = rnd(res + a[start + i]!);
    return res;
  }
  let n2 = Math.trunc(n / 2);
  n2 -= n2 % 8;
  return rnd(pairwiseSum(a, start, n2, rnd) + pairwiseSum(a, start + n2, n - n2, rnd));
}

/**
 * numpy's pairwise sum of complex values (re[k], im[k]), k in [0, n), as CDOUBLE_pairwise_sum
 * (counted in scalars: blocks of 4 complex values, 64 per leaf).
 */
function complexPairwiseSum(
  re: Float64Array,
  im: Float64Array,
  start: number,
  n: number,
  out: Float64Array,
): void {
  const scalars = 2 * n;
  if (scalars < 8) {
    let rr = -0.0;
    let ri = -0.0;
    for (let k = 0; k < n; k++) {
      rr += re[start + k]!;
      ri += im[start + k]!;
    }
    out[0] = rr;
    out[1] = ri;
    return;
  }
  if (scalars <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 4; j++) {
      r[2 * j] = re[start + j]!;
      r[2 * j + 1] = im[start + j]!;
    }
    let k = 4;
    const full = (scalars - (scalars % 8)) / 2;
    for (; k < full; k += 4) {
      for (let j = 0; j < 4; j++) {
        r[2 * j]! += re[start + k + j]!;
        r[2 * j + 1]! += im[start + k + j]!;
      }
    }
    let rr = r[0]! + r[2]! + (r[4]! + r[6]!);
    let ri = r[1]! + r[3]! + (r[5]! + r[7]!);
    for (; k < n; k++) {
      rr += re[start + k]!;
      ri += im[start + k]!;
    }
    out[0] = rr;
    out[1] = ri;
    return;
  }
  let n2 = scalars / 2;
  n2 -= n2 % 8;
  const half = n2 / 2;
  complexPairwiseSum(re, im, start, half, out);
  const r1 = out[0]!;
  const i1 = out[1]!;
  complexPairwiseSum(re, im, start + half, n - half, out);
  out[0] = r1 + out[0]!;
  out[1] = i1 + out[1]!;
}

/**
 * scipy.stats.kurtosis(a) with its defaults (Fisher, biased): m4 / m2^2 - 3, m_k the k-th central
 * moment about the mean (numpy pairwise means); NaN where m2 <= (resolution * mean)^2.
 * `rnd` is the working precision of the samples (float32 arrays stay in float32).
 */
function kurtosis(
  a: Float64Array,
  work: Float64Array,
  rnd: (v: number) => number,
  resolution: number,
): number {
  const n = a.length;
  const mean = rnd(pairwiseSum(a, 0, n, rnd) / n);
  for (let i = 0; i < n; i++) {
    const d = rnd(a[i]! - mean);
    work[i] = rnd(d * d);
  }
  const m2 = rnd(pairwiseSum(work, 0, n, rnd) / n);
  for (let i = 0; i < n; i++) work[i] = rnd(work[i]! * work[i]!);
  const m4 = rnd(pairwiseSum(work, 0, n, rnd) / n);
  const limit = rnd(rnd(resolution * mean) * rnd(resolution * mean));
  if (m2 <= limit) return Number.NaN;
  return rnd(rnd(m4 / rnd(m2 * m2)) - 3);
}

/** Real part of glibc's csqrt(re + i im) for finite arguments of moderate size. */
function complexSqrtReal(re: number, im: number): number {
  if (im === 0) return re < 0 ? 0 : Math.sqrt(re);
  if (re === 0) return Math.sqrt(0.5 * Math.abs(im));
  const d = Math.hypot(re, im);
  if (re > 0) return Math.sqrt(0.5 * (d + re));
  const s = Math.sqrt(0.5 * (d - re));
  return Math.abs(0.5 * (im / s));
}

// ---------------------------------------------------------------------------------------------
// LBP 3D (spherical harmonics)
// ---------------------------------------------------------------------------------------------

/**
 * PyRadiomics getLBP3DImage (Banerjee et al. 2013, "3D LBP-based rotationally invariant region
 * description", ACCV workshops, LNCS 7728): for every ROI voxel x, sample the image at x + v for
 * the Nv icosphere vertices v (lbp3DIcosphereSubdivision, lbp3DIcosphereRadius; vertex
 * components added to the numpy axes (z, y, x) in that order) by cubic B-spline interpolation
 * rounded to the image's voxel type; kurtosis of the samples gives 'lbp-3D-k'; the samples
 * binarised against the centre, f_v = [g_v >= g_c], are projected on spherical harmonics
 * c_nm = sum_v f_v Y_nm(theta_v, phi_v) (scipy's sph_harm with theta = arccos(v_z / radius) as its
 * first angle and phi = atan2(v_y, v_x) as its second); level n (n < lbp3DLevels) is
 * || sum_m c_nm Y_nm(v) ||_2 over the vertices, named 'lbp-3D-m<n+1>'. Only ROI voxels are
 * filled (float64; 0 elsewhere, PyRadiomics leaves them uninitialised). A 2D image yields
 * nothing, as in PyRadiomics (which logs a warning).
 */
export function* lbp3DImages(
  image: Volume,
  roi: Uint8Array,
  settings: Settings,
): Generator<DerivedImage> {
  if (image.dimension !== 3) return;
  const levels = settings.lbp3DLevels;
  const radius = settings.lbp3DIcosphereRadius;
  if (!Number.isInteger(levels) || levels < 2) {
    // PyRadiomics fails for one level: its Y stays one-dimensional and Y[None, :, :] raises.
    throw new Error(`lbp3DLevels must be an integer >= 2, got ${levels}`);
  }
  const n = voxelCount(image.size);
  if (roi.length !== n) throw new Error(`LBP3D: ROI has ${roi.length} voxels, image ${n}`);
  const vertices = icosphere(settings.lbp3DIcosphereSubdivision, radius).vertices;
  const nv = vertices.length / 3;

  // Spherical harmonics per vertex: columns (0,0), then n = 1.. with m = -n..n.
  const columns: { n: number; m: number }[] = [{ n: 0, m: 0 }];
  for (let l = 1; l < levels; l++) for (let m = -l; m <= l; m++) columns.push({ n: l, m });
  const nc = columns.length;
  const yRe = new Float64Array(nv * nc);
  const yIm = new Float64Array(nv * nc);
  for (let v = 0; v < nv; v++) {
    const theta = acosRounded(vertices[3 * v + 2]! / radius);
    const phi = atan2Rounded(vertices[3 * v + 1]!, vertices[3 * v]!);
    for (let j = 0; j < nc; j++) {
      const [re, im] = sphericalHarmonic(columns[j]!.m, columns[j]!.n, theta, phi);
      yRe[v * nc + j] = re;
      yIm[v * nc + j] = im;
    }
  }

  const [nx, ny] = image.size;
  const src = image.data;
  const sampler = new CubicSplineSampler(splineCoefficients(image), image.size);
  const store = outputRounder(src);
  const isFloat32 = src instanceof Float32Array;
  const rnd = isFloat32 ? Math.fround : (v: number) => v;
  const resolution = isFloat32 ? Math.fround(1e-6) : 1e-15;

  const outputs = Array.from({ length: levels }, () => new Float64Array(n));
  const kurt = new Float64Array(n);
  const samples = new Float64Array(nv);
  const work = new Float64Array(nv);
  const cRe = new Float64Array(nc);
  const cIm = new Float64Array(nc);
  const termRe = new Float64Array(2 * levels + 1);
  const termIm = new Float64Array(2 * levels + 1);
  const sumOut = new Float64Array(2);
  const sRe = new Float64Array(levels);
  const sIm = new Float64Array(levels);

  for (let idx = 0; idx < n; idx++) {
    if (!roi[idx]) continue;
    const x = idx % nx;
    const y = Math.trunc(idx / nx) % ny;
    const z = Math.trunc(idx / (nx * ny));
    for (let v = 0; v < nv; v++) {
      const t = sampler.sample(
        z + vertices[3 * v]!,
        y + vertices[3 * v + 1]!,
        x + vertices[3 * v + 2]!,
      );
      samples[v] = store(t);
    }
    kurt[idx] = kurtosis(samples, work, rnd, resolution);

    // c_j = sum over vertices with g_v >= g_c of Y_j(v), summed vertex by vertex.
    const centre = src[idx]!;
    cRe.fill(0);
    cIm.fill(0);
    for (let v = 0; v < nv; v++) {
      if (!(samples[v]! >= centre)) continue;
      for (let j = 0; j < nc; j++) {
        cRe[j]! += yRe[v * nc + j]!;
        cIm[j]! += yIm[v * nc + j]!;
      }
    }

    // Per level: F(v) = sum_m c_m Y_m(v); S = sum_v F(v)^2; value = Re sqrt(S).
    sRe.fill(0);
    sIm.fill(0);
    for (let v = 0; v < nv; v++) {
      let j0 = 0;
      for (let l = 0; l < levels; l++) {
        const width = 2 * l + 1;
        let fr: number;
        let fi: number;
        for (let k = 0; k < width; k++) {
          const a = cRe[j0 + k]!;
          const b = cIm[j0 + k]!;
          const c = yRe[v * nc + j0 + k]!;
          const d = yIm[v * nc + j0 + k]!;
          termRe[k] = a * c - b * d;
          termIm[k] = a * d + b * c;
        }
        if (l === 0) {
          fr = termRe[0]!;
          fi = termIm[0]!;
        } else {
          complexPairwiseSum(termRe, termIm, 0, width, sumOut);
          fr = 0 + sumOut[0]!;
          fi = 0 + sumOut[1]!;
        }
        sRe[l]! += fr * fr - fi * fi;
        sIm[l]! += fr * fi + fi * fr;
        j0 += width;
      }
    }
    for (let l = 0; l < levels; l++) outputs[l]![idx] = complexSqrtReal(sRe[l]!, sIm[l]!);
  }

  for (let l = 0; l < levels; l++) {
    yield { name: `lbp-3D-m${l + 1}`, image: withData(image, outputs[l]!), settings };
  }
  yield { name: "lbp-3D-k", image: withData(image, kurt), settings };
}
