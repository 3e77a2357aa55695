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
 *   out[o] = sum_j f[j] * x[(o + F/2 - j) mod N], summed in pywt's term order (`tapOrder` in
 *   src/kernels/assembly/wavelet.ts, which runs every pass over the whole volume);
 * - the details of each level, then the final approximation, are cropped back to the input size and
 *   yielded as `wavelet-<key>` (level 1) or `wavelet<k>-<key>` (level k, counted from start_level).
 * Integer images are transformed in float64; float32 images stay float32 (pywt `_check_dtype`).
 */
import type { DerivedImage } from "../extract/derived.js";
import type { Settings } from "../extract/params.js";
import { checkRegion, type Vec3, type Volume, withData } from "../image/volume.js";
import { padWrap, type Region, type Samples, swtAxisPass } from "../kernels/wavelet.js";
import { BIOR_COEFFS } from "./wavelet-tables/biorthogonal.js";
import { COIF_COEFFS } from "./wavelet-tables/coiflets.js";
import { DB_COEFFS } from "./wavelet-tables/daubechies.js";
import { DMEY_COEFFS } from "./wavelet-tables/meyer.js";
import { SYM_COEFFS } from "./wavelet-tables/symlets.js";

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
 * One single-level SWT pass along `axis` (0 = x, 1 = y, 2 = z) of an x-fastest array of size
 * `tr.dims`: the periodic convolution of `input` with `filter` in pywt's term order (the kernel:
 * src/kernels/assembly/wavelet.ts), computed for the outputs inside `region` only (the others are 0)
 * and stored in an array of size `outDims` (the padded size, or the image size for a band that is
 * not transformed further; `region` lies inside both), in `reuse` when it is an array of that type
 * and size. Float32 arrays round every product and every partial sum to float32 (C float
 * arithmetic).
 */
function swtPass(
  input: Samples,
  tr: Transform,
  axis: number,
  filter: Samples,
  region: Region,
  outDims: Vec3,
  reuse: Samples | null = null,
): Samples {
  const n = outDims[0] * outDims[1] * outDims[2];
  const single = input instanceof Float32Array;
  const out =
    reuse && reuse instanceof Float32Array === single && reuse.length === n
      ? reuse
      : single
        ? new Float32Array(n)
        : new Float64Array(n);
  swtAxisPass(input, tr.dims, axis, filter, widen(region, axis, tr), region, out, outDims);
  return out;
}

/** The wavelet's filters and the padded array's size. */
interface Transform {
  dims: Vec3;
  axes: number[];
  lo: Samples;
  hi: Samples;
  /** Filter length. */
  taps: number;
  /** Per depth, the array of the last intermediate band (reused: only one is alive per depth). */
  pool: (Samples | null)[];
}

/**
 * The input indices along an axis of n samples that outputs lo..hi read: (o + f/2 - j) mod n for
 * j = 0..f-1, as one range; the whole axis when it wraps around.
 */
function inputRange(lo: number, hi: number, n: number, f: number): [number, number] {
  const half = f >> 1;
  const first = lo + half - (f - 1);
  const last = hi + half;
  return first < 0 || last > n - 1 ? [0, n - 1] : [first, last];
}

/** `region` widened along `axis` to the inputs its outputs read. */
function widen(region: Region, axis: number, tr: Transform): Region {
  const lower: Vec3 = [...region.lower];
  const upper: Vec3 = [...region.upper];
  [lower[axis], upper[axis]] = inputRange(lower[axis]!, upper[axis]!, tr.dims[axis]!, tr.taps);
  return { lower, upper };
}

/**
 * Output regions of the passes of one single-level swtn whose bands must be exact on `target`:
 * the last pass computes `target`, each earlier pass what the next one reads (widened along the
 * next pass's axis). Returns them per depth, plus the input region the first pass reads.
 */
function passRegions(target: Region, tr: Transform): { regions: Region[]; input: Region } {
  const regions: Region[] = new Array(tr.axes.length);
  let r = target;
  for (let d = tr.axes.length - 1; d >= 0; d--) {
    regions[d] = r;
    r = widen(r, tr.axes[d]!, tr);
  }
  return { regions, input: r };
}

/**
 * Depth-first walk of one single-level `swtn`: each axis splits every band into 'a' (dec_lo) then
 * 'd' (dec_hi), so the bands come out in pywt's dict order ('aaa', 'aad', 'ada', ..., 'ddd').
 * Finished bands are stored on the image size, except the approximation when `approxPadded` (it is
 * transformed again at the next level).
 */
function* subbands(
  data: Samples,
  tr: Transform,
  regions: Region[],
  depth: number,
  key: string,
  size: Vec3,
  approxPadded: boolean,
): Generator<{ key: string; data: Samples }> {
  if (depth === tr.axes.length) {
    yield { key, data };
    return;
  }
  const axis = tr.axes[depth]!;
  const region = regions[depth]!;
  const final = depth === tr.axes.length - 1;
  for (const [band, filter] of [
    ["a", tr.lo],
    ["d", tr.hi],
  ] as const) {
    const name = key + band;
    const padded = !final || (approxPadded && !name.includes("d"));
    let out: Samples;
    if (!final) {
      // An intermediate band: its sibling reuses the array once its subtree is done.
      out = swtPass(data, tr, axis, filter, region, tr.dims, tr.pool[depth]);
      tr.pool[depth] = out;
    } else if (padded) {
      out = swtPass(data, tr, axis, filter, region, tr.dims);
    } else {
      out = swtPass(data, tr, axis, filter, clip(region, size), size);
    }
    yield* subbands(out, tr, regions, depth + 1, name, size, approxPadded);
  }
}

/** `region` without the padding (indices >= size). */
function clip(region: Region, size: Vec3): Region {
  return {
    lower: region.lower,
    upper: [0, 1, 2].map((a) => Math.min(region.upper[a]!, size[a]! - 1)) as Vec3,
  };
}

/** The approximation band only ('a' along every axis), on the padded size. */
function approximation(data: Samples, tr: Transform, regions: Region[]): Samples {
  let band = data;
  const last = tr.axes.length - 1;
  for (let d = 0; d <= last; d++) {
    const reuse = d < last ? tr.pool[d] : null;
    band = swtPass(band, tr, tr.axes[d]!, tr.lo, regions[d]!, tr.dims, reuse);
    if (d < last) tr.pool[d] = band;
  }
  return band;
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
 *
 * With `region` (e.g. the ROI's bounding box) the images are exact inside it only (0 or partial
 * elsewhere): each pass computes only the outputs that the later passes and levels read (the
 * convolutions are finite, so this is the same arithmetic on the same operands).
 */
export function* waveletImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
  region?: Region,
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
  const target: Region = region ?? {
    lower: [0, 0, 0],
    upper: [size[0] - 1, size[1] - 1, size[2] - 1],
  };
  checkRegion(target, size, "Wavelet");
  const dims: Vec3 = [size[0], size[1], size[2]];
  for (const a of axes) if (dims[a]! % 2 !== 0) dims[a] = dims[a]! + 1;
  const tr: Transform = {
    dims,
    axes,
    lo: single ? bank.decLoSingle : bank.decLo,
    hi: single ? bank.decHiSingle : bank.decHi,
    taps: bank.decLo.length,
    pool: axes.map(() => null),
  };
  // Regions, from the last level back: each level's bands must be exact on the target and on
  // what the next level reads of its approximation.
  const levels = startLevel + level;
  const levelRegions: Region[][] = new Array(levels);
  let need = target;
  for (let k = levels - 1; k >= 0; k--) {
    const { regions, input } = passRegions(need, tr);
    levelRegions[k] = regions;
    need = hull(input, target);
  }
  const approxKey = "a".repeat(axes.length);
  let data = padWrap(image.data, size, dims, single);
  for (let s = 0; s < startLevel; s++) data = approximation(data, tr, levelRegions[s]!);
  for (let k = 1; k <= level; k++) {
    let next: Samples | null = null;
    const regions = levelRegions[startLevel + k - 1]!;
    for (const band of subbands(data, tr, regions, 0, "", size, k < level)) {
      if (band.key === approxKey) {
        next = band.data;
        continue;
      }
      yield {
        name: bandName(k, band.key),
        image: withData(image, band.data),
        settings,
      };
    }
    data = next!;
  }
  yield {
    name: bandName(level, approxKey),
    image: withData(image, data),
    settings,
  };
}

/** Smallest region holding both. */
function hull(a: Region, b: Region): Region {
  return {
    lower: [0, 1, 2].map((i) => Math.min(a.lower[i]!, b.lower[i]!)) as Vec3,
    upper: [0, 1, 2].map((i) => Math.max(a.upper[i]!, b.upper[i]!)) as Vec3,
  };
}
