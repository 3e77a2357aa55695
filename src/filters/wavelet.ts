/**
 * PyRadiomics' Wavelet image type (imageoperations.getWaveletImage / _swt3): an undecimated
 * (stationary) wavelet transform computed exactly as PyWavelets 1.1.1's `swtn(level=1)` does it.
 *
 * Method (PyRadiomics 3.1 + PyWavelets 1.1.1):
 * - the numpy (z, y, x) array is padded by one voxel at the end of every odd-sized axis with `wrap`
 *   (the first slice repeated), because the SWT needs even lengths;
 * - every level runs a single-level `swtn` on the previous level's (padded) approximation, so the
 *   filters are never dilated ("a trous" holes are not used); `start_level` levels are run first
 *   and discarded;
 * - `swtn` splits along the axes in PyRadiomics' order x, y, z (numpy axes 2, 1, 0; force2D drops
 *   numpy axis `force2Ddimension`), each axis turning every sub-band into a low ('a' -> 'L') and a
 *   high ('d' -> 'H') band; key character k belongs to the k-th transformed axis;
 * - each 1-D pass is pywt's `downsampling_convolution_periodization` with step 1:
 *   out[o] = sum_j f[j] * x[(o + F/2 - j) mod N], summed in pywt's term order (see `periodicPlan`);
 * - the details of each level, then the final approximation, are cropped back to the input size and
 *   yielded as `wavelet-<key>` (level 1) or `wavelet<k>-<key>` (level k, counted from start_level).
 * Integer images are transformed in float64; float32 images stay float32 (pywt `_check_dtype`).
 */
import type { DerivedImage } from "../extract/extractor.js";
import type { Settings } from "../extract/params.js";
import { type Vec3, type Volume, withData } from "../image/volume.js";
import { BIOR_COEFFS, COIF_COEFFS, DB_COEFFS, DMEY_COEFFS, SYM_COEFFS } from "./wavelet-filters.js";

const CONTINUOUS_WAVELETS = new Set([
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((k) => `gaus${k}`),
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((k) => `cgau${k}`),
  "mexh",
  "morl",
  "shan",
  "fbsp",
  "cmor",
]);

const BIOR_ORDERS: Record<number, readonly number[]> = {
  1: [1, 3, 5],
  2: [2, 4, 6, 8],
  3: [1, 3, 5, 7, 9],
  4: [4],
  5: [5],
  6: [8],
};

/**
 * Discrete wavelets of PyWavelets 1.1.1, in `pywt.wavelist(kind='discrete')` order (sorted by the
 * first two letters, then name length, then name).
 */
export const WAVELET_NAMES: readonly string[] = buildWaveletNames();

function buildWaveletNames(): string[] {
  const names = ["haar"];
  for (let k = 1; k <= 38; k++) names.push(`db${k}`);
  for (let k = 2; k <= 20; k++) names.push(`sym${k}`);
  for (let k = 1; k <= 17; k++) names.push(`coif${k}`);
  for (const family of ["bior", "rbio"]) {
    for (const [n, ms] of Object.entries(BIOR_ORDERS)) {
      for (const m of ms) names.push(`${family}${n}.${m}`);
    }
  }
  names.push("dmey");
  const key = (s: string): [string, number, string] => [s.slice(0, 2), s.length, s];
  return names.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka[0] !== kb[0]) return ka[0] < kb[0] ? -1 : 1;
    if (ka[1] !== kb[1]) return ka[1] - kb[1];
    return ka[2] < kb[2] ? -1 : ka[2] > kb[2] ? 1 : 0;
  });
}

/** Decomposition filters in double and in single precision (pywt keeps both). */
interface FilterBank {
  decLo: Float64Array;
  decHi: Float64Array;
  decLoSingle: Float32Array;
  decHiSingle: Float32Array;
}

const bankCache = new Map<string, FilterBank>();

/** (-1)^k as pywt writes it: `(k % 2) ? -1 : 1`. */
function alternatingSign(k: number): number {
  return k % 2 ? -1 : 1;
}

/**
 * Orthogonal family (db, sym, coif, dmey) from its scaling filter c of length L, as pywt's C
 * `discrete_wavelet`: dec_lo[i] = c[L-1-i] * s, dec_hi[i] = (-1)^(L-1-i) * c[i] * s, with s = sqrt(2)
 * (pywt's `sqrt2_double` = Math.SQRT2) for Coiflets and 1 otherwise. The single-precision bank rounds
 * the table to float32 first and multiplies in float32, as the C float tables do.
 */
function orthogonalBank(c: readonly number[], coiflet: boolean): FilterBank {
  const len = c.length;
  const decLo = new Float64Array(len);
  const decHi = new Float64Array(len);
  const decLoSingle = new Float32Array(len);
  const decHiSingle = new Float32Array(len);
  const sqrt2Single = Math.fround(Math.SQRT2);
  for (let i = 0; i < len; i++) {
    const rev = c[len - 1 - i]!;
    const fwd = alternatingSign(len - 1 - i) * c[i]!;
    if (coiflet) {
      decLo[i] = rev * Math.SQRT2;
      decHi[i] = fwd * Math.SQRT2;
      decLoSingle[i] = Math.fround(Math.fround(rev) * sqrt2Single);
      decHiSingle[i] = Math.fround(Math.fround(fwd) * sqrt2Single);
    } else {
      decLo[i] = rev;
      decHi[i] = fwd;
      decLoSingle[i] = Math.fround(rev);
      decHiSingle[i] = Math.fround(fwd);
    }
  }
  return { decLo, decHi, decLoSingle, decHiSingle };
}

/**
 * Biorthogonal spline wavelet biorN.M (or its reverse rbioN.M) as pywt's C `discrete_wavelet`:
 * with L = 2M (N = 1) or 2M + 2, r = biorN_0 shifted by n = M_max - M and d = biorN_M,
 * bior: dec_lo[i] = d[L-1-i], dec_hi[i] = (-1)^(L-1-i) r[i + n];
 * rbio swaps the decomposition and reconstruction filters and reverses them:
 * dec_lo[i] = r[L-1-i + n], dec_hi[i] = (-1)^(L-1-i) d[i].
 */
function biorthogonalBank(n: number, m: number, reverse: boolean): FilterBank {
  const tables = BIOR_COEFFS[n - 1]!;
  const orders = BIOR_ORDERS[n]!;
  const mMax = orders[orders.length - 1]!;
  const dec = tables[orders.indexOf(m) + 1]!;
  const rec = tables[0]!;
  const shift = mMax - m;
  const len = n === 1 ? 2 * m : 2 * m + 2;
  const decLo = new Float64Array(len);
  const decHi = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const sign = alternatingSign(len - 1 - i);
    if (reverse) {
      decLo[i] = rec[len - 1 - i + shift]!;
      decHi[i] = sign * dec[i]!;
    } else {
      decLo[i] = dec[len - 1 - i]!;
      decHi[i] = sign * rec[i + shift]!;
    }
  }
  return {
    decLo,
    decHi,
    decLoSingle: Float32Array.from(decLo),
    decHiSingle: Float32Array.from(decHi),
  };
}

function buildBank(name: string): FilterBank | null {
  if (name === "haar") return orthogonalBank(DB_COEFFS[0]!, false);
  if (name === "dmey") return orthogonalBank(DMEY_COEFFS, false);
  let match = /^(db|sym|coif)([1-9][0-9]*)$/.exec(name);
  if (match) {
    const order = Number(match[2]);
    if (match[1] === "db" && order <= DB_COEFFS.length) {
      return orthogonalBank(DB_COEFFS[order - 1]!, false);
    }
    if (match[1] === "sym" && order >= 2 && order - 2 < SYM_COEFFS.length) {
      return orthogonalBank(SYM_COEFFS[order - 2]!, false);
    }
    if (match[1] === "coif" && order <= COIF_COEFFS.length) {
      return orthogonalBank(COIF_COEFFS[order - 1]!, true);
    }
    return null;
  }
  match = /^(bior|rbio)([1-6])\.([0-9])$/.exec(name);
  if (match) {
    const n = Number(match[2]);
    const m = Number(match[3]);
    if (!BIOR_ORDERS[n]!.includes(m)) return null;
    return biorthogonalBank(n, m, match[1] === "rbio");
  }
  return null;
}

function filterBank(name: string): FilterBank {
  let bank = bankCache.get(name);
  if (!bank) {
    const built = WAVELET_NAMES.includes(name) ? buildBank(name) : null;
    if (!built) {
      const why = CONTINUOUS_WAVELETS.has(name)
        ? `'${name}' is a continuous wavelet; the Wavelet image type needs a discrete one`
        : `unknown wavelet '${name}'`;
      throw new Error(`setting 'wavelet': ${why}. Valid names: ${WAVELET_NAMES.join(", ")}`);
    }
    bank = built;
    bankCache.set(name, bank);
  }
  return bank;
}

/**
 * Decomposition low-pass and high-pass filters of a PyWavelets discrete wavelet (`pywt.Wavelet(name)
 * .dec_lo` / `.dec_hi`, version 1.1.1). Throws an Error listing the valid names for anything else.
 */
export function waveletFilterBank(name: string): { decLo: Float64Array; decHi: Float64Array } {
  const bank = filterBank(name);
  return { decLo: bank.decLo.slice(), decHi: bank.decHi.slice() };
}

/**
 * Term order of pywt's `downsampling_convolution_periodization` (step 1, filter step 1) for a
 * signal of even length n and a filter of length f: output o is the sum over all f taps of
 * filter[j] * x[(i - j) mod n], i = o + f/2. For i < n the taps run j = 0, 1, ..., f-1; for i >= n
 * pywt first adds the wrapped taps j = i-n, i-n-1, ..., 0 and then j = i-n+1, ..., f-1. Returned as
 * flat tables of (filter index, input index), f entries per output.
 */
function periodicPlan(n: number, f: number): { tap: Int32Array; source: Int32Array } {
  const tap = new Int32Array(n * f);
  const source = new Int32Array(n * f);
  const half = f >> 1;
  const wrap = (v: number): number => ((v % n) + n) % n;
  for (let o = 0; o < n; o++) {
    const i = o + half;
    let t = o * f;
    if (i < n) {
      for (let j = 0; j < f; j++, t++) {
        tap[t] = j;
        source[t] = wrap(i - j);
      }
    } else {
      for (let j = i - n; j >= 0; j--, t++) {
        tap[t] = j;
        source[t] = wrap(i - j);
      }
      for (let j = i - n + 1; j < f; j++, t++) {
        tap[t] = j;
        source[t] = wrap(i - j);
      }
    }
  }
  return { tap, source };
}

type Samples = Float64Array | Float32Array;

interface Plan {
  tap: Int32Array;
  source: Int32Array;
}

/**
 * One single-level SWT pass along `axis` (0 = x, 1 = y, 2 = z) of an x-fastest array of size
 * `dims`: out = periodic convolution of `input` with `filter`, in pywt's term order. Float32 arrays
 * round every product and every partial sum to float32 (C float arithmetic).
 */
function swtPass(
  input: Samples,
  dims: Vec3,
  axis: number,
  filter: Float64Array | Float32Array,
  plan: Plan,
): Samples {
  const n = dims[axis]!;
  const stride = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];
  if (input instanceof Float32Array) {
    const out = new Float32Array(input.length);
    if (stride === 1) rowsSingle(input, out, n, filter, plan);
    else stridedSingle(input, out, n, stride, filter, plan);
    return out;
  }
  const out = new Float64Array(input.length);
  if (stride === 1) rowsDouble(input, out, n, filter, plan);
  else stridedDouble(input, out, n, stride, filter, plan);
  return out;
}

// The contiguous kernels: outputs whose taps need no wrap (o + f/2 - (f - 1) >= 0 and
// o + f/2 < n) sum j = 0..f-1 directly; the others follow the plan's term order.

function rowsDouble(
  input: Float64Array,
  out: Float64Array,
  n: number,
  filter: ArrayLike<number>,
  plan: Plan,
): void {
  const { tap, source } = plan;
  const f = filter.length;
  const half = f >> 1;
  const firstDirect = Math.max(0, f - 1 - half);
  const endDirect = n - half;
  for (let base = 0; base < input.length; base += n) {
    for (let o = 0; o < n; o++) {
      let sum = 0;
      if (o >= firstDirect && o < endDirect) {
        const last = base + o + half;
        for (let j = 0; j < f; j++) sum += filter[j]! * input[last - j]!;
      } else {
        for (let t = o * f; t < (o + 1) * f; t++)
          sum += filter[tap[t]!]! * input[base + source[t]!]!;
      }
      out[base + o] = sum;
    }
  }
}

function rowsSingle(
  input: Float32Array,
  out: Float32Array,
  n: number,
  filter: ArrayLike<number>,
  plan: Plan,
): void {
  const { tap, source } = plan;
  const f = filter.length;
  const half = f >> 1;
  const firstDirect = Math.max(0, f - 1 - half);
  const endDirect = n - half;
  const round = Math.fround;
  for (let base = 0; base < input.length; base += n) {
    for (let o = 0; o < n; o++) {
      let sum = 0;
      if (o >= firstDirect && o < endDirect) {
        const last = base + o + half;
        for (let j = 0; j < f; j++) sum = round(sum + round(filter[j]! * input[last - j]!));
      } else {
        for (let t = o * f; t < (o + 1) * f; t++) {
          sum = round(sum + round(filter[tap[t]!]! * input[base + source[t]!]!));
        }
      }
      out[base + o] = sum;
    }
  }
}

// The strided kernels accumulate whole rows of the contiguous inner block (in chunks that stay in
// cache), tap by tap in the plan's order; `out` starts at +0 like pywt's `sum = 0`.
const CHUNK = 2048;

function stridedDouble(
  input: Float64Array,
  out: Float64Array,
  n: number,
  stride: number,
  filter: ArrayLike<number>,
  plan: Plan,
): void {
  const { tap, source } = plan;
  const f = filter.length;
  for (let base = 0; base < input.length; base += n * stride) {
    for (let k0 = 0; k0 < stride; k0 += CHUNK) {
      const k1 = Math.min(stride, k0 + CHUNK);
      for (let o = 0; o < n; o++) {
        const outRow = base + o * stride;
        for (let t = o * f; t < (o + 1) * f; t++) {
          const w = filter[tap[t]!]!;
          const shift = base + source[t]! * stride - outRow;
          for (let k = outRow + k0; k < outRow + k1; k++) out[k] = out[k]! + w * input[k + shift]!;
        }
      }
    }
  }
}

function stridedSingle(
  input: Float32Array,
  out: Float32Array,
  n: number,
  stride: number,
  filter: ArrayLike<number>,
  plan: Plan,
): void {
  const { tap, source } = plan;
  const f = filter.length;
  const round = Math.fround;
  for (let base = 0; base < input.length; base += n * stride) {
    for (let k0 = 0; k0 < stride; k0 += CHUNK) {
      const k1 = Math.min(stride, k0 + CHUNK);
      for (let o = 0; o < n; o++) {
        const outRow = base + o * stride;
        for (let t = o * f; t < (o + 1) * f; t++) {
          const w = filter[tap[t]!]!;
          const shift = base + source[t]! * stride - outRow;
          // The float32 store rounds the sum (exactly, as a double sum of two floats rounds once).
          for (let k = outRow + k0; k < outRow + k1; k++)
            out[k] = out[k]! + round(w * input[k + shift]!);
        }
      }
    }
  }
}

/** The wavelet's filters and per-axis term-order plans for the padded array. */
interface Transform {
  dims: Vec3;
  axes: number[];
  lo: Float64Array | Float32Array;
  hi: Float64Array | Float32Array;
  plans: Plan[];
}

/**
 * Depth-first walk of one single-level `swtn`: each axis splits every band into 'a' (dec_lo) then
 * 'd' (dec_hi), so the bands come out in pywt's dict order ('aaa', 'aad', 'ada', ..., 'ddd').
 */
function* subbands(
  data: Samples,
  tr: Transform,
  depth: number,
  key: string,
): Generator<{ key: string; data: Samples }> {
  if (depth === tr.axes.length) {
    yield { key, data };
    return;
  }
  const axis = tr.axes[depth]!;
  const plan = tr.plans[depth]!;
  yield* subbands(swtPass(data, tr.dims, axis, tr.lo, plan), tr, depth + 1, `${key}a`);
  yield* subbands(swtPass(data, tr.dims, axis, tr.hi, plan), tr, depth + 1, `${key}d`);
}

/** The approximation band only ('a' along every axis). */
function approximation(data: Samples, tr: Transform): Samples {
  let band = data;
  for (let d = 0; d < tr.axes.length; d++) {
    band = swtPass(band, tr.dims, tr.axes[d]!, tr.lo, tr.plans[d]!);
  }
  return band;
}

/** np.pad(..., 'wrap') by one voxel at the end of each listed odd axis, converted to the work type. */
function padWrap(image: Volume, padded: Vec3, single: boolean): Samples {
  const [nx, ny, nz] = image.size;
  const [px, py, pz] = padded;
  const src = image.data;
  const out: Samples = single ? new Float32Array(px * py * pz) : new Float64Array(px * py * pz);
  let o = 0;
  for (let z = 0; z < pz; z++) {
    const zz = z < nz ? z : z - nz;
    for (let y = 0; y < py; y++) {
      const row = (zz * ny + (y < ny ? y : y - ny)) * nx;
      for (let x = 0; x < px; x++) out[o++] = src[row + (x < nx ? x : x - nx)]!;
    }
  }
  return out;
}

/** Crop the padded array back to the image size (the `[:-1]` slices of PyRadiomics _swt3). */
function cropTo(data: Samples, padded: Vec3, size: Vec3): Samples {
  if (padded[0] === size[0] && padded[1] === size[1] && padded[2] === size[2]) return data;
  const [nx, ny, nz] = size;
  const out: Samples =
    data instanceof Float32Array ? new Float32Array(nx * ny * nz) : new Float64Array(nx * ny * nz);
  let o = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = (z * padded[1] + y) * padded[0];
      for (let x = 0; x < nx; x++) out[o++] = data[row + x]!;
    }
  }
  return out;
}

/**
 * Volume axes (0 = x, 1 = y, 2 = z) transformed by PyRadiomics getWaveletImage, in key order:
 * numpy axes Nd-1, ..., 0 (x first), without numpy axis `force2Ddimension` when force2D is set.
 */
function transformAxes(dimension: 2 | 3, settings: Settings): number[] {
  const numpyAxes: number[] = [];
  for (let a = dimension - 1; a >= 0; a--) numpyAxes.push(a);
  if (settings.force2D) {
    const drop = settings.force2Ddimension;
    const at = numpyAxes.indexOf(drop);
    if (at < 0) {
      throw new Error(
        `setting 'force2Ddimension': ${drop} is not an axis of this ${dimension}D image (valid: ${numpyAxes.join(", ")})`,
      );
    }
    numpyAxes.splice(at, 1);
  }
  return numpyAxes.map((a) => dimension - 1 - a);
}

function bandName(level: number, key: string): string {
  const band = key.replace(/a/g, "L").replace(/d/g, "H");
  return level === 1 ? `wavelet-${band}` : `wavelet${level}-${band}`;
}

/**
 * PyRadiomics' Wavelet image type: for each of `level` levels (after `start_level` discarded
 * levels) the 2^k - 1 detail images `wavelet[<level>]-<LH key>`, then the last approximation
 * `wavelet[<level>]-LL..L`, all on the input geometry (float64, or float32 for float32 input).
 * `roi` is not used (as in PyRadiomics); `settings` is passed through unchanged.
 */
export function* waveletImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
): Generator<DerivedImage> {
  const bank = filterBank(settings.wavelet);
  const level = settings.level;
  const startLevel = settings.start_level;
  if (!Number.isInteger(level) || level < 1) {
    throw new Error(`setting 'level': expected an integer >= 1, got ${level}`);
  }
  if (!Number.isInteger(startLevel) || startLevel < 0) {
    throw new Error(`setting 'start_level': expected an integer >= 0, got ${startLevel}`);
  }
  const axes = transformAxes(image.dimension, settings);
  const single = image.data instanceof Float32Array;
  const size = image.size;
  const dims: Vec3 = [size[0], size[1], size[2]];
  for (const a of axes) if (dims[a]! % 2 !== 0) dims[a] = dims[a]! + 1;
  const tr: Transform = {
    dims,
    axes,
    lo: single ? bank.decLoSingle : bank.decLo,
    hi: single ? bank.decHiSingle : bank.decHi,
    plans: axes.map((a) => periodicPlan(dims[a]!, bank.decLo.length)),
  };
  const approxKey = "a".repeat(axes.length);
  let data = padWrap(image, dims, single);
  for (let s = 0; s < startLevel; s++) data = approximation(data, tr);
  for (let k = 1; k <= level; k++) {
    let next: Samples | null = null;
    for (const band of subbands(data, tr, 0, "")) {
      if (band.key === approxKey) {
        next = band.data;
        continue;
      }
      yield {
        name: bandName(k, band.key),
        image: withData(image, cropTo(band.data, dims, size)),
        settings,
      };
    }
    data = next!;
  }
  yield {
    name: bandName(level, approxKey),
    image: withData(image, cropTo(data, dims, size)),
    settings,
  };
}
