/**
 * PyRadiomics' intensity-mapping image types (imageoperations.getSquareImage, getSquareRootImage,
 * getLogarithmImage, getExponentialImage). Each maps every voxel of the whole image in float64 (numpy
 * arithmetic, same order of operations) and rescales with M = max |x| over the whole image so the
 * result keeps the original range; negative intensities stay negative where PyRadiomics says so.
 */
import type { DerivedImage } from "../extract/extractor.js";
import type { Settings } from "../extract/params.js";
import type { Volume, VoxelArray } from "../image/volume.js";
import { withData } from "../image/volume.js";

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

/** Square filter: f(x) = (c x)^2 with c = 1 / sqrt(max |x|) (PyRadiomics getSquareImage). */
export function squareImage(image: Volume): Volume<Float64Array> {
  const max = maxAbs(image.data, "Square");
  if (max === 0) throw allZero("Square");
  const coeff = 1 / Math.sqrt(max);
  const src = image.data;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = coeff * src[i]!;
    out[i] = v * v;
  }
  return withData(image, out);
}

/**
 * SquareRoot filter: f(x) = sqrt(c x) for x > 0, -sqrt(-x c) for x < 0, 0 for x = 0, with
 * c = max |x| (PyRadiomics getSquareRootImage).
 */
export function squareRootImage(image: Volume): Volume<Float64Array> {
  const coeff = maxAbs(image.data, "SquareRoot");
  const src = image.data;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const x = src[i]!;
    out[i] = x > 0 ? Math.sqrt(x * coeff) : x < 0 ? -Math.sqrt(-x * coeff) : x;
  }
  return withData(image, out);
}

/**
 * Logarithm filter: y = log(x + 1) for x > 0, -log(-(x - 1)) for x < 0, 0 for x = 0, then
 * f = y * (max |x| / max |y|) (PyRadiomics getLogarithmImage).
 */
export function logarithmImage(image: Volume): Volume<Float64Array> {
  const imMax = maxAbs(image.data, "Logarithm");
  if (imMax === 0) throw allZero("Logarithm");
  const src = image.data;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const x = src[i]!;
    out[i] = x > 0 ? Math.log(x + 1) : x < 0 ? -Math.log(-(x - 1)) : x;
  }
  const factor = imMax / maxAbs(out, "Logarithm");
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * factor;
  return withData(image, out);
}

/** Exponential filter: f(x) = exp(c x) with c = log(max |x|) / max |x| (PyRadiomics getExponentialImage). */
export function exponentialImage(image: Volume): Volume<Float64Array> {
  const imMax = maxAbs(image.data, "Exponential");
  if (imMax === 0) throw allZero("Exponential");
  const coeff = Math.log(imMax) / imMax;
  const src = image.data;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Math.exp(coeff * src[i]!);
  return withData(image, out);
}

/** PyRadiomics getSquareImage: one image named 'square'. */
export function* squareImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
): Generator<DerivedImage> {
  yield { name: "square", image: squareImage(image), settings };
}

/** PyRadiomics getSquareRootImage: one image named 'squareroot'. */
export function* squareRootImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
): Generator<DerivedImage> {
  yield { name: "squareroot", image: squareRootImage(image), settings };
}

/** PyRadiomics getLogarithmImage: one image named 'logarithm'. */
export function* logarithmImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
): Generator<DerivedImage> {
  yield { name: "logarithm", image: logarithmImage(image), settings };
}

/** PyRadiomics getExponentialImage: one image named 'exponential'. */
export function* exponentialImages(
  image: Volume,
  _roi: Uint8Array,
  settings: Settings,
): Generator<DerivedImage> {
  yield { name: "exponential", image: exponentialImage(image), settings };
}
