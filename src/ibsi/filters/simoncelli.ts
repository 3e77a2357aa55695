/**
 * IBSI-2 non-separable Simoncelli wavelet (reference manual, arXiv:2006.05470, "Non-separable
 * wavelets", IBSI filter id PRT7): an isotropic band-pass filter defined in the Fourier domain.
 * Decomposition level j keeps the band nu_max/4 <= |nu| <= nu_max, nu_max = 2^-(j-1) (1 = Nyquist),
 * with the transfer function
 *   H(nu) = cos(pi/2 log2(2 |nu| / nu_max)) inside the band, 0 outside,
 * so level 1 passes [1/4, 1] and peaks at |nu| = 1/2; successive levels halve the band (a tight
 * frame, as Portilla and Simoncelli's steerable pyramid). |nu| is taken on the centred frequency
 * grid of MIRP (IBSI's reference implementation; see centredFrequencies in fft.ts), which the
 * consensus maps 8.a.1-8.a.3 follow. The response map is the real part (response "B").
 */
import type { Vec3 } from "../../image/volume.js";
import { IbsiSettingError } from "../types.js";
import {
  checkFilterImage,
  type FilterDimensionality,
  type FilterImage,
  parseDimensionality,
} from "./convolution.js";
import { centredFrequencies, filterInFourierDomain } from "./fft.js";
import { type BoundaryCondition, parseBoundaryCondition } from "./padding.js";

export interface SimoncelliSettings {
  /** Decomposition level j >= 1 (1 = the highest-frequency band). */
  level: number;
  /** "3D", or "2D": each z-slice with a 2D (x, y) filter. */
  dimensionality: FilterDimensionality;
  /** Periodic is the Fourier domain's own; the others pad the image first (fft.ts). */
  boundary: BoundaryCondition;
}

/** Checks a decomposition level (the error names the setting). */
export function checkSimoncelliLevel(level: unknown, setting: string): void {
  if (!(typeof level === "number" && Number.isInteger(level) && level >= 1 && level <= 10))
    throw new IbsiSettingError(
      `${setting}: Simoncelli decomposition level must be an integer 1..10, got ${String(level)}`,
    );
}

/** Checks the settings; the error names the setting at fault. */
export function checkSimoncelliSettings(settings: SimoncelliSettings): void {
  checkSimoncelliLevel(settings.level, "simoncelli.level");
  parseDimensionality(settings.dimensionality, "simoncelli.dimensionality");
  parseBoundaryCondition(settings.boundary, "simoncelli.boundary");
}

/** The Simoncelli transfer function at a frequency of norm `nu` (1 = Nyquist). */
export function simoncelliResponse(nu: number, level: number): number {
  const nuMax = 2 ** -(level - 1);
  if (nu < nuMax / 4 || nu > nuMax) return 0;
  return Math.cos((Math.PI / 2) * Math.log2((2 * nu) / nuMax));
}

/**
 * The transfer function on a DFT grid of `gridSize` (x fastest; [mx, my, 1] for 2D): H at the
 * centred-grid norm of each bin.
 */
export function simoncelliTransfer(gridSize: Readonly<Vec3>, level: number): Float64Array {
  const [mx, my, mz] = gridSize;
  const fx = centredFrequencies(mx);
  const fy = centredFrequencies(my);
  const fz = centredFrequencies(mz);
  const out = new Float64Array(mx * my * mz);
  for (let z = 0, i = 0; z < mz; z++) {
    const z2 = fz[z]! * fz[z]!;
    for (let y = 0; y < my; y++) {
      const yz2 = z2 + fy[y]! * fy[y]!;
      for (let x = 0; x < mx; x++, i++) {
        out[i] = simoncelliResponse(Math.sqrt(yz2 + fx[x]! * fx[x]!), level);
      }
    }
  }
  return out;
}

/** The Simoncelli wavelet response map on the input grid. */
export function simoncelliWavelet(image: FilterImage, settings: SimoncelliSettings): Float64Array {
  checkSimoncelliSettings(settings);
  checkFilterImage(image, "simoncelli");
  return filterInFourierDomain(
    image.data,
    image.size,
    settings.dimensionality === "3D",
    settings.boundary,
    [0, 0, 0],
    (grid) => ({ re: simoncelliTransfer(grid, settings.level), im: null }),
  );
}
