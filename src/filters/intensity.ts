/**
 * PyRadiomics' intensity-mapping image types (imageoperations.getSquareImage, getSquareRootImage,
 * getLogarithmImage, getExponentialImage). Each maps every voxel of the whole image in float64 (numpy
 * arithmetic, same order of operations) and rescales with M = max |x| over the whole image so the
 * result keeps the original range; negative intensities stay negative where PyRadiomics says so.
 */
import type { DerivedImage } from "../extract/derived.js";
import type { Settings } from "../extract/params.js";
import type { Volume, VoxelArray } from "../image/volume.js";
import { checkRegion, withData } from "../image/volume.js";

/** max |x| over all voxels (np.max(np.abs(im))); an Error naming `filter` if it is not finite. */
function maxAbs(data: VoxelArray | Float64Array, filter: string): number {
  let max = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]!);
    if (a > max) max = a;
    else if (!(a <= max)) {
      throw new Error(`${filter}: the image contains a NaN intensity (voxel ${i})`);
    }
  }
  if (!Number.isFinite(max)) {
    throw new Error(`${filter}: the image contains non-finite intensities (max |x| = ${max})`);
  }
  return max;
}

function allZero(filter: string): Error {
  return new Error(
    `${filter}: every intensity of the image is 0, so the rescaling coefficient is undefined (PyRadiomics would produce NaN)`,
  );
}

/** Inclusive voxel ranges per axis (x, y, z); a filter given one computes only the voxels inside. */
export interface IntensityRegion {
  lower: readonly [number, number, number];
  upper: readonly [number, number, number];
}

/** The rows of `region` (all voxels when there is none): row r covers flat indices start[r]..end[r]. */
function regionRows(
  image: Volume,
  region: IntensityRegion | undefined,
): { start: Int32Array; end: Int32Array } {
  const [nx, ny, nz] = image.size;
  if (!region) {
    return { start: Int32Array.of(0), end: Int32Array.of(nx * ny * nz - 1) };
  }
  const [x0, y0, z0] = region.lower;
  const [x1, y1, z1] = region.upper;
  checkRegion(region, image.size, "intensity filter");
  const count = (y1 - y0 + 1) * (z1 - z0 + 1);
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  let r = 0;
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++, r++) {
      const row = (z * ny + y) * nx;
      start[r] = row + x0;
      end[r] = row + x1;
    }
  }
  return { start, end };
}

/**
 * f applied to every distinct value of an integer image of at most 16 bits (null for other pixel
 * types, or when there are more distinct candidates than voxels to map): table[v - low] = f(v) for
 * the values present, and the largest |f| over them.
 */
function valueTable(
  data: VoxelArray,
  mapped: number,
  f: (x: number) => number,
): { low: number; table: Float64Array; maxAbs: number } | null {
  if (
    !(
      data instanceof Int16Array ||
      data instanceof Uint16Array ||
      data instanceof Int8Array ||
      data instanceof Uint8Array
    ) ||
    data.length === 0
  ) {
    return null;
  }
  let low = data[0]!;
  let high = low;
  for (let i = 1; i < data.length; i++) {
    const v = data[i]!;
    if (v < low) low = v;
    else if (v > high) high = v;
  }
  if (high - low + 1 > mapped) return null;
  const present = new Uint8Array(high - low + 1);
  for (let i = 0; i < data.length; i++) present[data[i]! - low] = 1;
  const table = new Float64Array(present.length);
  let max = 0;
  for (let k = 0; k < present.length; k++) {
    if (!present[k]) continue;
    const y = f(low + k);
    table[k] = y;
    const a = Math.abs(y);
    if (a > max) max = a;
  }
  return { low, table, maxAbs: max };
}

function regionSize(rows: { start: Int32Array; end: Int32Array }): number {
  let n = 0;
  for (let r = 0; r < rows.start.length; r++) n += rows.end[r]! - rows.start[r]! + 1;
  return n;
}

/** Square filter: f(x) = (c x)^2 with c = 1 / sqrt(max |x|) (PyRadiomics getSquareImage). */
export function squareImage(image: Volume, region?: IntensityRegion): Volume<Float64Array> {
  const max = maxAbs(image.data, "Square");
  if (max === 0) throw allZero("Square");
  const coeff = 1 / Math.sqrt(max);
  const src = image.data;
  const out = new Float64Array(src.length);
  const { start, end } = regionRows(image, region);
  for (let r = 0; r < start.length; r++) {
    for (let i = start[r]!; i <= end[r]!; i++) {
      const v = coeff * src[i]!;
      out[i] = v * v;
    }
  }
  return withData(image, out);
}

/**
 * SquareRoot filter: f(x) = sqrt(c x) for x > 0, -sqrt(-x c) for x < 0, 0 for x = 0, with
 * c = max |x| (PyRadiomics getSquareRootImage).
 */
export function squareRootImage(image: Volume, region?: IntensityRegion): Volume<Float64Array> {
  const coeff = maxAbs(image.data, "SquareRoot");
  const src = image.data;
  const out = new Float64Array(src.length);
  const { start, end } = regionRows(image, region);
  for (let r = 0; r < start.length; r++) {
    for (let i = start[r]!; i <= end[r]!; i++) {
      const x = src[i]!;
      out[i] = x > 0 ? Math.sqrt(x * coeff) : x < 0 ? -Math.sqrt(-x * coeff) : x;
    }
  }
  return withData(image, out);
}

/** PyRadiomics' logarithm of one intensity: log(x + 1), -log(-(x - 1)) or 0 (x itself). */
function signedLog(x: number): number {
  return x > 0 ? Math.log(x + 1) : x < 0 ? -Math.log(-(x - 1)) : x;
}

/**
 * Logarithm filter: y = log(x + 1) for x > 0, -log(-(x - 1)) for x < 0, 0 for x = 0, then
 * f = y * (max |x| / max |y|) (PyRadiomics getLogarithmImage). max |y| runs over the whole image;
 * integer images of at most 16 bits take y from a table of their distinct values (the same numbers).
 */
export function logarithmImage(image: Volume, region?: IntensityRegion): Volume<Float64Array> {
  const imMax = maxAbs(image.data, "Logarithm");
  if (imMax === 0) throw allZero("Logarithm");
  const src = image.data;
  const out = new Float64Array(src.length);
  const rows = regionRows(image, region);
  const { start, end } = rows;
  const values = valueTable(src, src.length, signedLog);
  if (values) {
    const { low, table } = values;
    const factor = imMax / values.maxAbs;
    for (let r = 0; r < start.length; r++) {
      for (let i = start[r]!; i <= end[r]!; i++) out[i] = table[src[i]! - low]! * factor;
    }
    return withData(image, out);
  }
  const y = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) y[i] = signedLog(src[i]!);
  const factor = imMax / maxAbs(y, "Logarithm");
  for (let r = 0; r < start.length; r++) {
    for (let i = start[r]!; i <= end[r]!; i++) out[i] = y[i]! * factor;
  }
  return withData(image, out);
}

/** Exponential filter: f(x) = exp(c x) with c = log(max |x|) / max |x| (PyRadiomics getExponentialImage). */
export function exponentialImage(image: Volume, region?: IntensityRegion): Volume<Float64Array> {
  const imMax = maxAbs(image.data, "Exponential");
  if (imMax === 0) throw allZero("Exponential");
  const coeff = Math.log(imMax) / imMax;
  const src = image.data;
  const out = new Float64Array(src.length);
  const rows = regionRows(image, region);
  const { start, end } = rows;
  const exp = (x: number): number => Math.exp(coeff * x);
  const values = valueTable(src, regionSize(rows), exp);
  if (values) {
    const { low, table } = values;
    for (let r = 0; r < start.length; r++) {
      for (let i = start[r]!; i <= end[r]!; i++) out[i] = table[src[i]! - low]!;
    }
    return withData(image, out);
  }
  for (let r = 0; r < start.length; r++) {
    for (let i = start[r]!; i <= end[r]!; i++) out[i] = Math.exp(coeff * src[i]!);
  }
  return withData(image, out);
}

/** PyRadiomics getSquareImage: one image named 'square' (exact inside `region` when given). */
export function* squareImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
  region?: IntensityRegion,
): Generator<DerivedImage> {
  yield { name: "square", image: squareImage(image, region), settings };
}

/** PyRadiomics getSquareRootImage: one image named 'squareroot' (exact inside `region` when given). */
export function* squareRootImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
  region?: IntensityRegion,
): Generator<DerivedImage> {
  yield { name: "squareroot", image: squareRootImage(image, region), settings };
}

/** PyRadiomics getLogarithmImage: one image named 'logarithm' (exact inside `region` when given). */
export function* logarithmImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
  region?: IntensityRegion,
): Generator<DerivedImage> {
  yield { name: "logarithm", image: logarithmImage(image, region), settings };
}

/** PyRadiomics getExponentialImage: one image named 'exponential' (exact inside `region` when given). */
export function* exponentialImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
  region?: IntensityRegion,
): Generator<DerivedImage> {
  yield { name: "exponential", image: exponentialImage(image, region), settings };
}
