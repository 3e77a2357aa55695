/**
 * IBSI-2 Riesz transforms (reference manual, arXiv:2006.05470, "Riesz transform", IBSI id AYRS)
 * of the Laplacian of Gaussian and of the Simoncelli wavelet: phase-1 tests 9.a, 9.b.1 (Riesz-LoG)
 * and 10.b.1 (Riesz-Simoncelli).
 *
 * The Riesz transform of order l = (l_1, ..., l_d), |l| = L >= 1, is the all-pass filter
 *   R^l(nu) = (-i)^L sqrt(L! / (l_1! ... l_d!)) nu_1^l_1 ... nu_d^l_d / |nu|^L
 * (a steerable, scale-free "derivative"; first order: gradient direction, second: Hessian-like),
 * 0 at nu = 0. The Riesz-transformed filter is the product of R^l and the filter's transfer
 * function. nu is taken on the centred grid of MIRP (fft.ts), as for the Simoncelli wavelet; the
 * orders run in x, y, z order (NIfTI i, j, k). The response map is the real part.
 *
 * LoG (IBSI id L6PA): the sampled, truncated kernel of laplacian-of-gaussian.ts (sigma in mm,
 * radius floor(truncate sigma_voxels + 0.5)); on isotropic voxels IBSI's
 *   -1/sigma^2 (1/(sqrt(2 pi) sigma))^d (d - |u|^2/sigma^2) exp(-|u|^2/(2 sigma^2))
 * in voxel units. It is sum_a g2_a(u_a) prod_{b != a} g0_b(u_b), so its DFT is a sum of products
 * of 1D spectra: O(N) on top of the image's FFTs. Padding covers at least the kernel radius, so
 * the LoG part sees the boundary condition exactly.
 */
import type { Vec3 } from "../../image/volume.js";
import { IbsiSettingError } from "../types.js";
import {
  checkFilterImage,
  type FilterDimensionality,
  type FilterImage,
  parseDimensionality,
} from "./convolution.js";
import { centredFrequencies, filterInFourierDomain, type TransferFunction } from "./fft.js";
import { gaussianKernel1d } from "./laplacian-of-gaussian.js";
import { type BoundaryCondition, parseBoundaryCondition } from "./padding.js";
import { checkSimoncelliLevel, simoncelliTransfer } from "./simoncelli.js";

export interface RieszLaplacianOfGaussianSettings {
  /** Gaussian scale sigma in mm. */
  sigma: number;
  /** Kernel radius in sigmas (IBSI's tests: 4). */
  truncate: number;
  /** Riesz order per axis, x, y(, z): 3 entries in 3D, 2 in 2D; non-negative, sum >= 1. */
  order: readonly number[];
  dimensionality: FilterDimensionality;
  boundary: BoundaryCondition;
}

export interface RieszSimoncelliSettings {
  /** Simoncelli decomposition level >= 1. */
  level: number;
  /** Riesz order per axis, as for the Riesz-LoG. */
  order: readonly number[];
  dimensionality: FilterDimensionality;
  boundary: BoundaryCondition;
}

function checkCommon(
  prefix: string,
  order: readonly number[],
  dimensionality: FilterDimensionality,
  boundary: BoundaryCondition,
): void {
  parseDimensionality(dimensionality, `${prefix}.dimensionality`);
  const axes = dimensionality === "3D" ? 3 : 2;
  if (
    !Array.isArray(order) ||
    order.length !== axes ||
    !order.every((l) => Number.isInteger(l) && l >= 0) ||
    order.reduce((s, l) => s + l, 0) < 1
  )
    throw new IbsiSettingError(
      `${prefix}.order: a ${dimensionality} Riesz order is ${axes} non-negative integers (x, y${axes === 3 ? ", z" : ""}) with sum >= 1, got ${JSON.stringify(order)}`,
    );
  parseBoundaryCondition(boundary, `${prefix}.boundary`);
}

const RIESZ_LOG = "riesz-laplacian-of-gaussian";
const RIESZ_SIMONCELLI = "riesz-simoncelli";

/** Checks the Riesz-LoG settings; the error names the setting at fault. */
export function checkRieszLaplacianOfGaussianSettings(
  settings: RieszLaplacianOfGaussianSettings,
): void {
  const { sigma, truncate } = settings;
  if (!(Number.isFinite(sigma) && sigma > 0))
    throw new IbsiSettingError(`${RIESZ_LOG}.sigma: must be > 0 mm, got ${String(sigma)}`);
  if (!(Number.isFinite(truncate) && truncate > 0))
    throw new IbsiSettingError(
      `${RIESZ_LOG}.truncate: must be > 0 sigmas, got ${String(truncate)}`,
    );
  checkCommon(RIESZ_LOG, settings.order, settings.dimensionality, settings.boundary);
}

/** Checks the Riesz-Simoncelli settings; the error names the setting at fault. */
export function checkRieszSimoncelliSettings(settings: RieszSimoncelliSettings): void {
  checkSimoncelliLevel(settings.level, `${RIESZ_SIMONCELLI}.level`);
  checkCommon(RIESZ_SIMONCELLI, settings.order, settings.dimensionality, settings.boundary);
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/**
 * The Riesz transfer function R^l on a DFT grid of `gridSize` ([mx, my, 1] in 2D, where `order`
 * has 2 entries), multiplied into `base` (a real transfer function of the same grid) when given.
 */
export function rieszTransfer(
  gridSize: Readonly<Vec3>,
  order: readonly number[],
  base?: Float64Array,
): TransferFunction {
  const [mx, my, mz] = gridSize;
  const [lx, ly, lz] = [order[0] ?? 0, order[1] ?? 0, order[2] ?? 0];
  const total = lx + ly + lz;
  const norm = Math.sqrt(factorial(total) / (factorial(lx) * factorial(ly) * factorial(lz)));
  // (-i)^L cycles 1, -i, -1, i.
  const phaseRe = [1, 0, -1, 0][total % 4]!;
  const phaseIm = [0, -1, 0, 1][total % 4]!;
  // nu_a^l_a per axis, and |nu|^L = (|nu|^2)^(L/2).
  const power = (m: number, l: number) => centredFrequencies(m).map((v) => v ** l);
  const [fx, fy, fz] = [centredFrequencies(mx), centredFrequencies(my), centredFrequencies(mz)];
  const [px, py, pz] = [power(mx, lx), power(my, ly), power(mz, lz)];
  const re = new Float64Array(mx * my * mz);
  const im = new Float64Array(re.length);
  for (let z = 0, i = 0; z < mz; z++) {
    const z2 = fz[z]! * fz[z]!;
    for (let y = 0; y < my; y++) {
      const yz2 = z2 + fy[y]! * fy[y]!;
      const numerator = norm * py[y]! * pz[z]!;
      for (let x = 0; x < mx; x++, i++) {
        const r2 = yz2 + fx[x]! * fx[x]!;
        if (r2 === 0) continue;
        const value = ((numerator * px[x]!) / r2 ** (total / 2)) * (base ? base[i]! : 1);
        re[i] = phaseRe * value;
        im[i] = phaseIm * value;
      }
    }
  }
  return { re, im };
}

/**
 * The DFT of a centred 1D kernel (length 2r + 1, tap i at offset i - r, wrapped) on m bins; real
 * as the kernel is symmetric.
 */
function symmetricKernelSpectrum(kernel: Float64Array, m: number): Float64Array {
  const r = (kernel.length - 1) / 2;
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let sum = 0;
    for (let i = 0; i < kernel.length; i++)
      sum += kernel[i]! * Math.cos((2 * Math.PI * k * (i - r)) / m);
    out[k] = sum;
  }
  return out;
}

/**
 * The DFT of the sampled, truncated LoG kernel sum_a g2_a(u_a) prod_{b != a} g0_b(u_b) on a grid
 * of `gridSize`, from the 1D kernels of the filtered axes (x, y(, z)); an axis without kernels
 * (z in 2D) is left alone.
 */
export function laplacianOfGaussianTransfer(
  gridSize: Readonly<Vec3>,
  g0: readonly Float64Array[],
  g2: readonly Float64Array[],
): Float64Array {
  const spectra = [0, 1, 2].map((a) =>
    a < g0.length
      ? [
          symmetricKernelSpectrum(g0[a]!, gridSize[a]!),
          symmetricKernelSpectrum(g2[a]!, gridSize[a]!),
        ]
      : [new Float64Array(gridSize[a]!).fill(1), new Float64Array(gridSize[a]!)],
  );
  type Pair = [Float64Array, Float64Array];
  const [[gx, dx], [gy, dy], [gz, dz]] = spectra as [Pair, Pair, Pair];
  const [mx, my, mz] = gridSize;
  const out = new Float64Array(mx * my * mz);
  for (let z = 0, i = 0; z < mz; z++) {
    for (let y = 0; y < my; y++) {
      for (let x = 0; x < mx; x++, i++) {
        out[i] = dx[x]! * gy[y]! * gz[z]! + gx[x]! * dy[y]! * gz[z]! + gx[x]! * gy[y]! * dz[z]!;
      }
    }
  }
  return out;
}

/** The Riesz-transformed LoG response map on the input grid. */
export function rieszLaplacianOfGaussian(
  image: FilterImage,
  settings: RieszLaplacianOfGaussianSettings,
): Float64Array {
  checkRieszLaplacianOfGaussianSettings(settings);
  checkFilterImage(image, RIESZ_LOG);
  // The LoG kernel of laplacian-of-gaussian.ts: sigma_a = sigma / h_a voxels, the second
  // derivative along a weighted by (h / h_a)^2, h the finest filtered spacing (1 when isotropic).
  const axes = settings.dimensionality === "3D" ? 3 : 2;
  const spacing = image.spacing.slice(0, axes);
  const finest = Math.min(...spacing);
  const g0 = spacing.map((h) => gaussianKernel1d(settings.sigma / h, settings.truncate, 0));
  const g2 = spacing.map((h) =>
    gaussianKernel1d(settings.sigma / h, settings.truncate, 2).map((v) => v * (finest / h) ** 2),
  );
  const radius = g0.map((k) => (k.length - 1) / 2);
  const minimumPadding: Vec3 = [radius[0]!, radius[1]!, radius[2] ?? 0];
  return filterInFourierDomain(
    image.data,
    image.size,
    axes === 3,
    settings.boundary,
    minimumPadding,
    (grid) => rieszTransfer(grid, settings.order, laplacianOfGaussianTransfer(grid, g0, g2)),
  );
}

/** The Riesz-transformed Simoncelli wavelet response map on the input grid. */
export function rieszSimoncelli(
  image: FilterImage,
  settings: RieszSimoncelliSettings,
): Float64Array {
  checkRieszSimoncelliSettings(settings);
  checkFilterImage(image, RIESZ_SIMONCELLI);
  return filterInFourierDomain(
    image.data,
    image.size,
    settings.dimensionality === "3D",
    settings.boundary,
    [0, 0, 0],
    (grid) => rieszTransfer(grid, settings.order, simoncelliTransfer(grid, settings.level)),
  );
}
