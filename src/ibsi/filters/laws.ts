/**
 * IBSI-2 Laws kernels (reference manual, "Laws kernels", permanent identifier JTXT;
 * arXiv:2006.05470). 1D kernels (Laws 1980; Suzuki 1999 for the 3-tap ones):
 *   L3 = (1, 2, 1)      E3 = (-1, 0, 1)     S3 = (-1, 2, -1)
 *   L5 = (1, 4, 6, 4, 1)   E5 = (-1, -2, 0, 2, 1)   S5 = (-1, 0, 2, 0, -1)
 *   W5 = (-1, 2, 0, -2, 1)   R5 = (1, -4, 6, -4, 1)
 * each divided by its L2 norm (sqrt of the sum of squares) as IBSI prescribes. A 2D or 3D kernel
 * names one 1D kernel per axis in x, y, z order ("L5S5": L5 along x, S5 along y; "E5L5S5": E5 along
 * x, L5 along y, S5 along z) and is applied as a separable convolution. Optional rotation
 * invariance pools the responses of the 4 (2D) or 24 (3D) right-angle rotations of the kernel
 * (rotations.ts); the optional energy map is then the mean of |response| over a
 * (2 delta + 1)-voxel square or cube (Chebyshev distance delta), with the same boundary condition.
 */
import { IbsiSettingError } from "../types.js";
import {
  checkFilterImage,
  convolveSeparable,
  type FilterDimensionality,
  type FilterImage,
} from "./convolution.js";
import { checkGridSettings, type FilterGridSettings } from "./grid-settings.js";
import { boxMean } from "./mean.js";
import {
  distinctRotations,
  type PoolingMethod,
  parsePoolingMethod,
  ResponsePool,
} from "./rotations.js";

/** Unnormalised Laws 1D kernels. */
const LAWS_1D: Readonly<Record<string, readonly number[]>> = {
  L3: [1, 2, 1],
  E3: [-1, 0, 1],
  S3: [-1, 2, -1],
  L5: [1, 4, 6, 4, 1],
  E5: [-1, -2, 0, 2, 1],
  S5: [-1, 0, 2, 0, -1],
  W5: [-1, 2, 0, -2, 1],
  R5: [1, -4, 6, -4, 1],
};

export interface LawsSettings extends FilterGridSettings {
  /** One 1D kernel name per filtered axis, x first: "L5S5" (2D), "E5L5S5" (3D). */
  kernel: string;
  /** Pool over the right-angle rotations of the kernel (default false). */
  rotationInvariance?: boolean;
  /** Pooling of the rotated responses; required with rotation invariance. */
  pooling?: PoolingMethod;
  /** Chebyshev distance delta of the energy map (voxels); absent: the response map itself. */
  energyDistance?: number;
}

/** The normalised 1D Laws kernel of a name such as "E5" (case-insensitive). */
export function lawsKernel1d(name: string): Float64Array {
  const raw = LAWS_1D[name.toUpperCase()];
  if (!raw)
    throw new IbsiSettingError(
      `laws.kernel: unknown 1D kernel ${name} (one of ${Object.keys(LAWS_1D).join(", ")})`,
    );
  const norm = Math.sqrt(raw.reduce((s, v) => s + v * v, 0));
  return Float64Array.from(raw, (v) => v / norm);
}

/** The 1D kernels of a 2D or 3D Laws kernel name, x first. */
export function parseLawsKernel(
  kernel: unknown,
  dimensionality: FilterDimensionality,
): Float64Array[] {
  const axes = dimensionality === "3D" ? 3 : 2;
  if (typeof kernel !== "string" || kernel.length !== 2 * axes)
    throw new IbsiSettingError(
      `laws.kernel: a ${dimensionality} kernel names ${axes} 1D kernels (e.g. ${axes === 3 ? "E5L5S5" : "L5S5"}), got ${String(kernel)}`,
    );
  return Array.from({ length: axes }, (_, a) => lawsKernel1d(kernel.slice(2 * a, 2 * a + 2)));
}

/** Checks the settings; the error names the offending setting. */
export function checkLawsSettings(settings: LawsSettings): void {
  checkGridSettings(settings, "laws");
  parseLawsKernel(settings.kernel, settings.dimensionality);
  const invariant = settings.rotationInvariance;
  if (invariant !== undefined && typeof invariant !== "boolean")
    throw new IbsiSettingError(
      `laws.rotationInvariance: must be true or false, got ${String(invariant)}`,
    );
  if (invariant) parsePoolingMethod(settings.pooling, "laws.pooling");
  else if (settings.pooling !== undefined)
    throw new IbsiSettingError("laws.pooling: set only with laws.rotationInvariance");
  const delta = settings.energyDistance;
  if (delta !== undefined && !(Number.isInteger(delta) && delta >= 0))
    throw new IbsiSettingError(
      `laws.energyDistance: must be an integer >= 0 (voxels), got ${String(delta)}`,
    );
}

/** The Laws response map, or its energy map when `energyDistance` is set. */
export function lawsFilter(image: FilterImage, settings: LawsSettings): Float64Array {
  checkLawsSettings(settings);
  checkFilterImage(image, "laws");
  const kernels = parseLawsKernel(settings.kernel, settings.dimensionality);
  const orientations = settings.rotationInvariance ? distinctRotations(kernels) : [kernels];
  const pool = new ResponsePool(settings.pooling ?? "mean");
  for (const k of orientations) {
    const separable = [k[0]!, k[1]!, k[2] ?? null] as const;
    pool.add(convolveSeparable(image.data, image.size, separable, settings.boundary));
  }
  const response = pool.result();
  const delta = settings.energyDistance;
  if (delta === undefined) return response;
  for (let i = 0; i < response.length; i++) response[i] = Math.abs(response[i]!);
  return boxMean(response, image.size, 2 * delta + 1, settings);
}
