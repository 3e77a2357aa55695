/**
 * IBSI-2 separable wavelet filters (reference manual, arXiv:2006.05470, "Separable wavelets",
 * IBSI filter id 25BO): the undecimated (stationary) transform, one sub-band response map per
 * call, 3D or 2D slice-wise, optionally rotation invariant by pooling over the right-angle
 * rotations of the filter (24 in 3D, 4 in-plane in 2D).
 *
 * Level 1: each axis is convolved with the 1D decomposition filter its sub-band letter names
 * (L = dec_lo, H = dec_hi of PyWavelets; letters in x, y, z order, e.g. LHL = L along x, H along
 * y, L along z). Level j > 1 (the "a trous" scheme): the image is first low-passed along every
 * axis at levels 1..j-1, and the filters of level l are dec_lo / dec_hi upsampled by 2^(l-1)
 * (2^(l-1) - 1 zeros between taps). With F taps and step s = 2^(l-1), the convolution is
 *   out[i] = sum_j f[j] in[i + s (F/2 - j)],
 * PyWavelets' undecimated alignment (scipy.ndimage.convolve1d of f with one zero appended,
 * origin 0, as MIRP does; the consensus maps follow it). A right-angle rotation of the filter
 * permutes which 1D filter runs along which axis and reverses some of them:
 *   out[i] = sum_j f[j] in[i - s (F/2 - j)].
 * Voxels beyond the edge are read through the boundary condition (padding.ts).
 */
import type { Vec3 } from "../../image/volume.js";
import { IbsiSettingError } from "../types.js";
import {
  checkFilterImage,
  type FilterDimensionality,
  type FilterImage,
  parseDimensionality,
} from "./convolution.js";
import { type BoundaryCondition, boundaryIndex, parseBoundaryCondition } from "./padding.js";
import {
  type PoolingMethod,
  parsePoolingMethod,
  type RightAngleRotation,
  rightAngleRotations,
} from "./rotations.js";
import { waveletFilterBank } from "./wavelet-coefficients.js";

export interface SeparableWaveletSettings {
  /** PyWavelets name: "haar", "db1".."db10", "coif1".."coif5". */
  wavelet: string;
  /** Sub-band letters L / H in x, y, z order: 3 letters in 3D ("LHL"), 2 in 2D ("HH"). */
  subband: string;
  /** Decomposition level, 1..10. */
  level: number;
  /** "3D", or "2D": each z-slice on its own (filters along x and y only). */
  dimensionality: FilterDimensionality;
  boundary: BoundaryCondition;
  /** Pool over the 24 right-angle rotations (3D) or the 4 in-plane ones (2D); default false. */
  rotationInvariance?: boolean;
  /** Pooling of the rotated responses; required with rotation invariance. */
  pooling?: PoolingMethod;
}

/** Checks the settings; the error names the setting at fault. */
export function checkSeparableWaveletSettings(settings: SeparableWaveletSettings): void {
  waveletFilterBank(settings.wavelet, "separable-wavelet.wavelet");
  const { subband, level } = settings;
  const dimensionality = parseDimensionality(
    settings.dimensionality,
    "separable-wavelet.dimensionality",
  );
  const letters = dimensionality === "3D" ? 3 : 2;
  if (typeof subband !== "string" || !new RegExp(`^[LH]{${letters}}$`, "i").test(subband))
    throw new IbsiSettingError(
      `separable-wavelet.subband: a ${dimensionality} sub-band is ${letters} letters L or H (x, y${letters === 3 ? ", z" : ""}), got ${JSON.stringify(subband)}`,
    );
  if (!(Number.isInteger(level) && level >= 1 && level <= 10))
    throw new IbsiSettingError(
      `separable-wavelet.level: decomposition level must be an integer 1..10, got ${String(level)}`,
    );
  parseBoundaryCondition(settings.boundary, "separable-wavelet.boundary");
  const invariant = settings.rotationInvariance;
  if (invariant !== undefined && typeof invariant !== "boolean")
    throw new IbsiSettingError(
      `separable-wavelet.rotationInvariance: must be true or false, got ${String(invariant)}`,
    );
  if (invariant) parsePoolingMethod(settings.pooling, "separable-wavelet.pooling");
  else if (settings.pooling !== undefined)
    throw new IbsiSettingError(
      "separable-wavelet.pooling: set only with separable-wavelet.rotationInvariance",
    );
}

/**
 * Convolves every line along `axis` with filter f at step s: out[i] = sum_j f[j] in[i + o_j],
 * o_j = s (F/2 - j), negated when `reversed`.
 */
function convolveAlongAxis(
  input: Float64Array,
  size: Readonly<Vec3>,
  axis: number,
  filter: Float64Array,
  step: number,
  reversed: boolean,
  boundary: BoundaryCondition,
): Float64Array {
  const taps = filter.length;
  const offsets = new Int32Array(taps);
  for (let j = 0; j < taps; j++) offsets[j] = (reversed ? -1 : 1) * step * (taps / 2 - j);
  const [nx, ny, nz] = size;
  const n = size[axis]!;
  const out = new Float64Array(input.length);
  if (axis === 0) {
    // Rows are contiguous: copy each into a padded line, then a direct sum.
    let lo = 0;
    let hi = 0;
    for (const o of offsets) {
      lo = Math.max(lo, -o);
      hi = Math.max(hi, o);
    }
    const source = new Int32Array(n + lo + hi);
    for (let p = 0; p < source.length; p++) source[p] = boundaryIndex(p - lo, n, boundary);
    const line = new Float64Array(source.length);
    for (let row = 0; row < ny * nz; row++) {
      const start = row * nx;
      for (let p = 0; p < line.length; p++) {
        const s = source[p]!;
        line[p] = s < 0 ? 0 : input[start + s]!;
      }
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < taps; j++) sum += filter[j]! * line[i + lo + offsets[j]!]!;
        out[start + i] = sum;
      }
    }
    return out;
  }
  // Along y or z, output plane t of the axis sums whole source planes (contiguous runs of
  // `run` voxels), each read through the boundary condition; a zero voxel adds nothing.
  const along = axis === 1 ? nx : nx * ny;
  const run = axis === 1 ? nx : nx * ny;
  const outer = axis === 1 ? nz : 1;
  const outerStride = nx * ny;
  for (let u = 0; u < outer; u++) {
    for (let t = 0; t < n; t++) {
      const target = u * outerStride + t * along;
      for (let j = 0; j < taps; j++) {
        const s = boundaryIndex(t + offsets[j]!, n, boundary);
        if (s < 0) continue;
        const w = filter[j]!;
        const from = u * outerStride + s * along;
        for (let x = 0; x < run; x++) out[target + x] = out[target + x]! + w * input[from + x]!;
      }
    }
  }
  return out;
}

/**
 * The response map of one separable-wavelet sub-band on the input grid (x fastest), after
 * rotation pooling when asked.
 */
export function separableWavelet(
  image: FilterImage,
  settings: SeparableWaveletSettings,
): Float64Array {
  checkSeparableWaveletSettings(settings);
  checkFilterImage(image, "separable-wavelet");
  const { level, boundary } = settings;
  const axes = settings.dimensionality === "3D" ? 3 : 2;
  const bank = waveletFilterBank(settings.wavelet);
  const letters = settings.subband.toUpperCase();
  const bandFilters = [...letters].map((c) => (c === "L" ? bank.decLo : bank.decHi));
  // rotations.ts: image axis a carries the 1D filter of sub-band axis source[a], reversed where
  // reverse[a]; for these even-length filters, reversal also mirrors the taps' offsets
  // (convolveAlongAxis), which is the rotation about voxel 0.
  const rotations: readonly RightAngleRotation[] = settings.rotationInvariance
    ? rightAngleRotations(axes)
    : [{ source: [0, 1, 2].slice(0, axes), reverse: [false, false, false].slice(0, axes) }];

  // Rotations that give the same filter set (same 1D filter and direction on every axis) give
  // the same map; each distinct set occurs equally often in the rotation group, so the mean over
  // distinct sets equals the mean over all rotations. A set's passes: the low-pass approximation
  // of levels 1..level-1 (dec_lo on every axis, so it depends only on the reversals; the input
  // itself at level 1), then the band filter along x, y(, z).
  const direction = (r: boolean) => (r ? "r" : "f");
  const sets = new Map<string, RightAngleRotation>();
  for (const rotation of rotations) {
    const approximationKey = level > 1 ? rotation.reverse.map(direction).join("") : "";
    const passes = rotation.source.map((s, a) => `${letters[s]}${direction(rotation.reverse[a]!)}`);
    sets.set([approximationKey, ...passes].join("|"), rotation);
  }
  // In key order, sets sharing leading passes come together: keep the current chain of partial
  // results (approximation, then one map per axis) and recompute only from the first change.
  const chainKeys: string[] = [];
  const chain: Float64Array[] = [];
  let pooled: Float64Array | null = null;
  const step = 2 ** (level - 1);
  for (const key of [...sets.keys()].sort()) {
    const rotation = sets.get(key)!;
    const parts = key.split("|");
    let depth = 0;
    while (depth < chainKeys.length && chainKeys[depth] === parts.slice(0, depth + 1).join("|"))
      depth++;
    chainKeys.length = depth;
    chain.length = depth;
    for (let d = depth; d <= axes; d++) {
      let next: Float64Array;
      if (d === 0) {
        next = image.data;
        for (let l = 1; l < level; l++) {
          for (let a = 0; a < axes; a++) {
            const r = rotation.reverse[a]!;
            next = convolveAlongAxis(next, image.size, a, bank.decLo, 2 ** (l - 1), r, boundary);
          }
        }
      } else {
        const a = d - 1;
        const filter = bandFilters[rotation.source[a]!]!;
        const r = rotation.reverse[a]!;
        next = convolveAlongAxis(chain[d - 1]!, image.size, a, filter, step, r, boundary);
      }
      chainKeys.push(parts.slice(0, d + 1).join("|"));
      chain.push(next);
    }
    const response = chain[axes]!;
    if (pooled === null) {
      pooled = response.slice();
    } else if (settings.pooling === "max") {
      for (let i = 0; i < pooled.length; i++) pooled[i] = Math.max(pooled[i]!, response[i]!);
    } else {
      for (let i = 0; i < pooled.length; i++) pooled[i] = pooled[i]! + response[i]!;
    }
  }
  const count = sets.size;
  const out = pooled!;
  if (settings.rotationInvariance && settings.pooling === "mean") {
    for (let i = 0; i < out.length; i++) out[i] = out[i]! / count;
  }
  return out;
}
