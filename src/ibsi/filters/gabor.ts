/**
 * IBSI-2 Gabor filter (reference manual, "Gabor kernels", permanent identifier Q88H;
 * arXiv:2006.05470). A 2D complex kernel in an image plane,
 *
 *   g(x, y) = exp(-(x~^2 + gamma^2 y~^2) / (2 sigma^2)) exp(i 2 pi x~ / lambda),
 *   x~ = x cos(theta) + y sin(theta),   y~ = -x sin(theta) + y cos(theta),
 *
 * (x, y in mm from the kernel centre; sigma and lambda in mm; no normalisation), convolved with
 * every slice of the plane; the response is the modulus |image * g|. "2D": the axial planes
 * (x = grid x, y = grid y), slice by slice along z. "3D": IBSI-2's 3D variant — the same 2D
 * filtering in the three orthogonal planes (x-y, x-z, y-z; the first axis is the kernel's x) and
 * the maps pooled together. Rotation invariance (`thetaStep`): the orientations
 * theta + k thetaStep, k = 0 .. 2 pi / thetaStep - 1 (the full circle, as MIRP), all pooled with the
 * planes (mean: the average over every orientation and plane; max).
 *
 * Kernel extent: as MIRP (the IBSI reference implementation), the kernel spans the plane — radius
 * floor(max(n_a, n_b) / 2) voxels — so that the slowly decaying envelope (width sigma / gamma
 * across x~ when gamma < 1) is not cut; it is only limited to 6 sigma max(1, 1/gamma), where the
 * envelope is below exp(-18). Computed by FFT (src/ibsi/fft.ts, on 5-smooth lengths) on each
 * padded slice: the boundary condition extends the slice by the kernel radius on each side, which
 * makes the circular convolution equal to the linear one on the image (any length >= n + 2r).
 * |image * g(theta + pi)| = |image * g(theta)| for a real image (g(theta + pi) = conj g(theta)),
 * so each orientation modulo pi is computed once.
 */
import type { Vec3 } from "../../image/volume.js";
import { IbsiSettingError } from "../types.js";
import { FftPlan, fftLength } from "../fft.js";
import {
  type Axis,
  axisStride,
  checkFilterImage,
  type FilterDimensionality,
  type FilterImage,
  parseDimensionality,
} from "./convolution.js";
import { type BoundaryCondition, boundaryIndex, parseBoundaryCondition } from "./padding.js";
import { type PoolingMethod, parsePoolingMethod } from "./rotations.js";

export interface GaborSettings {
  /** Envelope scale sigma in mm. */
  sigma: number;
  /** Wavelength lambda in mm. */
  lambda: number;
  /** Spatial aspect ratio gamma (> 0). */
  gamma: number;
  /** Orientation theta in radians (the first, with `thetaStep`). */
  theta: number;
  /** Rotation invariance: pool the orientations theta + k thetaStep over the full circle. */
  thetaStep?: number;
  /** Pooling of orientations and planes; required with `thetaStep` or "3D". */
  pooling?: PoolingMethod;
  /** "2D": axial planes; "3D": the three orthogonal planes, pooled. */
  dimensionality: FilterDimensionality;
  boundary: BoundaryCondition;
}

const TWO_PI = 2 * Math.PI;

/** Checks the settings; the error names the offending setting. */
export function checkGaborSettings(settings: GaborSettings): void {
  for (const name of ["sigma", "lambda", "gamma"] as const) {
    const v = settings[name];
    if (!(Number.isFinite(v) && v > 0))
      throw new IbsiSettingError(`gabor.${name}: must be a positive number, got ${String(v)}`);
  }
  if (!Number.isFinite(settings.theta))
    throw new IbsiSettingError(
      `gabor.theta: must be a finite angle in radians, got ${String(settings.theta)}`,
    );
  const dimensionality = parseDimensionality(settings.dimensionality, "gabor.dimensionality");
  parseBoundaryCondition(settings.boundary, "gabor.boundary");
  const step = settings.thetaStep;
  if (step !== undefined) {
    const count = TWO_PI / step;
    if (!(Number.isFinite(step) && step > 0 && Math.abs(count - Math.round(count)) < 1e-9))
      throw new IbsiSettingError(
        `gabor.thetaStep: must divide the full circle (2 pi radians) into equal parts, got ${String(step)}`,
      );
  }
  if (step !== undefined || dimensionality === "3D")
    parsePoolingMethod(settings.pooling, "gabor.pooling");
  else if (settings.pooling !== undefined)
    throw new IbsiSettingError("gabor.pooling: set only with gabor.thetaStep or 3D");
}

/** The orientations modulo pi with how many of the full-circle orientations fall on each. */
function distinctOrientations(settings: GaborSettings): { theta: number; count: number }[] {
  const step = settings.thetaStep;
  const count = step === undefined ? 1 : Math.round(TWO_PI / step);
  const out: { theta: number; count: number }[] = [];
  for (let k = 0; k < count; k++) {
    const theta = settings.theta + k * (step ?? 0);
    const reduced = ((theta % Math.PI) + Math.PI) % Math.PI;
    const same = out.find((o) => {
      const d = Math.abs(o.theta - reduced);
      return Math.min(d, Math.PI - d) < 1e-9;
    });
    if (same) same.count++;
    else out.push({ theta: reduced, count: 1 });
  }
  return out;
}

/** One image plane: kernel x along axis a, kernel y along axis b, slices along axis c. */
interface Plane {
  a: Axis;
  b: Axis;
  c: Axis;
}

const AXIAL: Plane = { a: 0, b: 1, c: 2 };
const ORTHOGONAL: readonly Plane[] = [AXIAL, { a: 0, b: 2, c: 1 }, { a: 1, b: 2, c: 0 }];

/** Kernel radius (voxels) along an axis of spacing h; `planeSize` = max in-plane voxel count. */
function kernelRadius(settings: GaborSettings, h: number, planeSize: number): number {
  const envelope = (6 * settings.sigma * Math.max(1, 1 / settings.gamma)) / h;
  return Math.min(Math.floor(planeSize / 2), Math.ceil(envelope));
}

/** FFT grids of one plane: sizes, radii, transforms. */
interface PlaneGrid {
  na: number;
  nb: number;
  ra: number;
  rb: number;
  fa: FftPlan;
  fb: FftPlan;
}

/**
 * The 2D transform of a padded slice whose rows from `rows` on are zero: along a on the other
 * rows, then along b on every column (unscaled).
 */
function forward2d(grid: PlaneGrid, re: Float64Array, im: Float64Array, rows: number): void {
  const { fa, fb } = grid;
  fa.lines(re, im, 0, rows, fa.n, 1, false);
  fb.lines(re, im, 0, fa.n, 1, fa.n, false);
}

/** The kernel's spectrum on the plane's FFT grid (offset (u_a, u_b) stored at (u_a + ra, u_b + rb)). */
function kernelSpectrum(
  grid: PlaneGrid,
  settings: GaborSettings,
  theta: number,
  ha: number,
  hb: number,
): [Float64Array, Float64Array] {
  const { ra, rb, fa, fb } = grid;
  const re = new Float64Array(fa.n * fb.n);
  const im = new Float64Array(fa.n * fb.n);
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const g2 = settings.gamma * settings.gamma;
  const twoSigma2 = 2 * settings.sigma * settings.sigma;
  for (let j = 0; j <= 2 * rb; j++) {
    const y = (j - rb) * hb;
    for (let i = 0; i <= 2 * ra; i++) {
      const x = (i - ra) * ha;
      const xr = x * c + y * s;
      const yr = -x * s + y * c;
      const envelope = Math.exp(-(xr * xr + g2 * yr * yr) / twoSigma2);
      const phase = (TWO_PI * xr) / settings.lambda;
      re[i + fa.n * j] = envelope * Math.cos(phase);
      im[i + fa.n * j] = envelope * Math.sin(phase);
    }
  }
  forward2d(grid, re, im, 2 * rb + 1);
  // The inverse transforms do not scale: the kernel's spectrum carries the 1 / (Na Nb).
  const scale = 1 / (fa.n * fb.n);
  for (let q = 0; q < re.length; q++) {
    re[q] = re[q]! * scale;
    im[q] = im[q]! * scale;
  }
  return [re, im];
}

/**
 * Adds the moduli of one plane's filtering to `pooled` (weighted sum, or max), over every slice and
 * orientation.
 */
function filterPlane(
  image: FilterImage,
  plane: Plane,
  settings: GaborSettings,
  orientations: readonly { theta: number; count: number }[],
  pooled: Float64Array,
  method: PoolingMethod,
): void {
  const size = image.size as Vec3;
  const na = size[plane.a];
  const nb = size[plane.b];
  const ha = image.spacing[plane.a];
  const hb = image.spacing[plane.b];
  const ra = kernelRadius(settings, ha, Math.max(na, nb));
  const rb = kernelRadius(settings, hb, Math.max(na, nb));
  const fa = new FftPlan(fftLength(na + 2 * ra));
  const fb = fa.n === fftLength(nb + 2 * rb) ? fa : new FftPlan(fftLength(nb + 2 * rb));
  const grid: PlaneGrid = { na, nb, ra, rb, fa, fb };
  const spectra = orientations.map((o) => kernelSpectrum(grid, settings, o.theta, ha, hb));
  const [sa, sb, sc] = [
    axisStride(size, plane.a),
    axisStride(size, plane.b),
    axisStride(size, plane.c),
  ];
  const cells = fa.n * fb.n;
  const sliceRe = new Float64Array(cells);
  const sliceIm = new Float64Array(cells);
  const workRe = new Float64Array(cells);
  const workIm = new Float64Array(cells);
  // Padded slice coordinate p reads image coordinate p - r through the boundary condition; the
  // output for voxel i is the circular convolution at i + 2r (never wrapped: FFT length >= n + 2r).
  const sourceA = Int32Array.from({ length: na + 2 * ra }, (_, p) =>
    boundaryIndex(p - ra, na, settings.boundary),
  );
  const sourceB = Int32Array.from({ length: nb + 2 * rb }, (_, p) =>
    boundaryIndex(p - rb, nb, settings.boundary),
  );
  for (let slice = 0; slice < size[plane.c]; slice++) {
    const base = slice * sc;
    sliceRe.fill(0);
    sliceIm.fill(0);
    for (let j = 0; j < sourceB.length; j++) {
      const yb = sourceB[j]!;
      if (yb < 0) continue;
      for (let i = 0; i < sourceA.length; i++) {
        const xa = sourceA[i]!;
        if (xa >= 0) sliceRe[i + fa.n * j] = image.data[base + xa * sa + yb * sb]!;
      }
    }
    forward2d(grid, sliceRe, sliceIm, sourceB.length);
    for (let o = 0; o < orientations.length; o++) {
      const [kRe, kIm] = spectra[o]!;
      const weight = orientations[o]!.count;
      for (let q = 0; q < cells; q++) {
        const ar = sliceRe[q]!;
        const ai = sliceIm[q]!;
        const br = kRe[q]!;
        const bi = kIm[q]!;
        workRe[q] = ar * br - ai * bi;
        workIm[q] = ar * bi + ai * br;
      }
      // Inverse: along b for every column, then along a only on the rows that map to the image.
      fb.lines(workRe, workIm, 0, fa.n, 1, fa.n, true);
      fa.lines(workRe, workIm, fa.n * 2 * rb, nb, fa.n, 1, true);
      for (let y = 0; y < nb; y++) {
        const row = 2 * ra + fa.n * (y + 2 * rb);
        for (let x = 0; x < na; x++) {
          const re = workRe[row + x]!;
          const im = workIm[row + x]!;
          const modulus = Math.sqrt(re * re + im * im);
          const at = base + x * sa + y * sb;
          if (method === "max") {
            if (modulus > pooled[at]!) pooled[at] = modulus;
          } else pooled[at] = pooled[at]! + weight * modulus;
        }
      }
    }
  }
}

/** The Gabor response map (modulus; pooled over orientations and planes where set). */
export function gaborFilter(image: FilterImage, settings: GaborSettings): Float64Array {
  checkGaborSettings(settings);
  checkFilterImage(image, "gabor");
  const orientations = distinctOrientations(settings);
  const planes = settings.dimensionality === "3D" ? ORTHOGONAL : [AXIAL];
  const method = settings.pooling ?? "mean";
  // Moduli are >= 0, so 0 starts a max pool as well as a sum.
  const pooled = new Float64Array(image.data.length);
  for (const plane of planes) filterPlane(image, plane, settings, orientations, pooled, method);
  if (method === "mean") {
    const total = planes.length * orientations.reduce((s, o) => s + o.count, 0);
    for (let i = 0; i < pooled.length; i++) pooled[i] = pooled[i]! / total;
  }
  return pooled;
}
