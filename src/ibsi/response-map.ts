/**
 * IBSI-2 response maps for feature extraction (IBSI-2 reference manual, arXiv:2006.05470, phase 2:
 * the filter runs on the interpolated image, the features read the response map in the ROI that
 * was re-segmented on the image's intensities), computed on the ROI's neighbourhood only.
 *
 * The features read the response inside the ROI, and local intensity features within the 1 cm^3
 * peak sphere around it; a convolutional filter's response at a voxel reads the image only within
 * its reach along each axis (half the kernel's support; summed over the a-trous stages of a
 * separable wavelet and with the energy map's distance for Laws). So the map is computed on the box
 * around the ROI (the region) grown by the reach, clipped to the image: in the region the values
 * equal those of filtering the whole image, because the boundary condition at the box's edge
 * cannot reach a region voxel, and where the box meets the image's edge that edge is the image's
 * own (a periodic boundary, which reads the far side of the image there, keeps the whole axis).
 * Filters defined in the Fourier domain (Simoncelli, Riesz) read the whole image: they are
 * applied to all of it, then cropped to the region.
 *
 * This is what keeps a filtered extraction proportional to the ROI rather than the scan (the CT
 * phantom at 1 mm is 7.1 million voxels around a 0.36 million voxel ROI).
 */
import type { Vec3 } from "../image/volume.js";
import { PEAK_SPHERE_RADIUS_MM } from "./features/local-intensity.js";
import type { GaborSettings } from "./filters/gabor.js";
import { applyIbsiFilter, type IbsiFilter } from "./filters/index.js";
import type { LaplacianOfGaussianSettings } from "./filters/laplacian-of-gaussian.js";
import { type LawsSettings, parseLawsKernel } from "./filters/laws.js";
import type { MeanFilterSettings } from "./filters/mean.js";
import type { SeparableWaveletSettings } from "./filters/separable-wavelet.js";
import { waveletFilterBank } from "./filters/wavelet-coefficients.js";
import { cropArray, type GridBox, growBox, maskBox } from "./processing/grid-box.js";
import type { IbsiImage } from "./types.js";

export { cropArray, type GridBox, growBox, maskBox };

/** The response map on the region around the ROI, and where that region sits in the grid. */
export interface RegionalResponse {
  /** The region's voxels: the response map as intensities, the masks cropped. */
  image: IbsiImage;
  /** The region within the filtered image's grid. */
  region: GridBox;
  /** The box that was filtered (the region grown by the filter's reach; the whole grid for a
   * Fourier-domain filter). */
  filtered: GridBox;
}

/** The per-axis reach r of a filter as [r, r, r] in 3D, [r, r, 0] slice by slice (2D). */
function alongFilteredAxes(settings: { dimensionality: unknown }, reach: Vec3): Vec3 {
  return settings.dimensionality === "3D" ? reach : [reach[0], reach[1], 0];
}

/**
 * Gabor kernel radius along an axis of spacing h (gabor.ts, kernelRadius): the plane's half
 * width, limited to 6 sigma max(1, 1 / gamma), where the envelope is below exp(-18).
 */
function gaborRadius(settings: GaborSettings, h: number, planeSize: number): number {
  const envelope = (6 * settings.sigma * Math.max(1, 1 / settings.gamma)) / h;
  return Math.min(Math.floor(planeSize / 2), Math.ceil(envelope));
}

/** The image planes a Gabor filter works in: [kernel x axis, kernel y axis]. */
function gaborPlanes(settings: GaborSettings): [number, number][] {
  return settings.dimensionality === "3D"
    ? [
        [0, 1],
        [0, 2],
        [1, 2],
      ]
    : [[0, 1]];
}

/** The Gabor kernel radii [along kernel x, along kernel y] in each of its planes on a grid of `size`. */
function gaborRadii(
  settings: GaborSettings,
  spacing: Readonly<Vec3>,
  size: Readonly<Vec3>,
): [number, number][] {
  return gaborPlanes(settings).map(([a, b]) => {
    const planeSize = Math.max(size[a]!, size[b]!);
    return [
      gaborRadius(settings, spacing[a]!, planeSize),
      gaborRadius(settings, spacing[b]!, planeSize),
    ];
  });
}

/** The Gabor reach on a grid of `size`: the largest kernel radius along each axis. */
function gaborReach(settings: GaborSettings, spacing: Readonly<Vec3>, size: Readonly<Vec3>): Vec3 {
  const reach: Vec3 = [0, 0, 0];
  const radii = gaborRadii(settings, spacing, size);
  gaborPlanes(settings).forEach(([a, b], p) => {
    reach[a] = Math.max(reach[a]!, radii[p]![0]);
    reach[b] = Math.max(reach[b]!, radii[p]![1]);
  });
  return reach;
}

/**
 * True when the filter's kernels on a grid of `cropped` size are those on the whole grid: always,
 * but for Gabor, whose kernel is bounded by its plane's half width.
 */
function sameKernels(
  filter: IbsiFilter,
  spacing: Readonly<Vec3>,
  whole: Readonly<Vec3>,
  cropped: Readonly<Vec3>,
): boolean {
  if (filter.type !== "gabor") return true;
  const settings = filter.settings as unknown as GaborSettings;
  const a = gaborRadii(settings, spacing, whole).flat();
  const b = gaborRadii(settings, spacing, cropped).flat();
  return a.every((r, k) => r === b[k]);
}

/**
 * How many voxels along x, y, z a filter's response at a voxel reads on each side, for an image of
 * this spacing and size; null when it reads the whole image (Fourier-domain filters), or when the
 * settings give no finite reach (the filter then reports its own setting error).
 */
export function filterReach(
  filter: IbsiFilter,
  spacing: Readonly<Vec3>,
  size: Readonly<Vec3>,
): Vec3 | null {
  const reach = reachOf(filter, spacing, size);
  if (reach === null || reach.some((r) => !(Number.isInteger(r) && r >= 0))) return null;
  return reach;
}

function reachOf(filter: IbsiFilter, spacing: Readonly<Vec3>, size: Readonly<Vec3>): Vec3 | null {
  switch (filter.type) {
    case "mean": {
      const s = filter.settings as unknown as MeanFilterSettings;
      const r = (s.support - 1) / 2;
      return alongFilteredAxes(s, [r, r, r]);
    }
    case "laplacian-of-gaussian": {
      // laplacian-of-gaussian.ts: radius floor(truncate sigma + 0.5), sigma in voxels per axis.
      const s = filter.settings as unknown as LaplacianOfGaussianSettings;
      const radius = (h: number) =>
        Math.floor(s.truncate * (s.sigma / (s.sigmaUnit === "voxel" ? 1 : h)) + 0.5);
      return alongFilteredAxes(s, [radius(spacing[0]), radius(spacing[1]), radius(spacing[2])]);
    }
    case "laws": {
      // Rotations move every 1D kernel to every axis: the longest one's half length on each,
      // then the energy map's Chebyshev distance.
      const s = filter.settings as unknown as LawsSettings;
      const half = Math.max(
        ...parseLawsKernel(s.kernel, s.dimensionality).map((k) => Math.floor(k.length / 2)),
      );
      const r = half + (s.energyDistance ?? 0);
      return alongFilteredAxes(s, [r, r, r]);
    }
    case "gabor":
      return gaborReach(filter.settings as unknown as GaborSettings, spacing, size);
    case "separable-wavelet": {
      // A-trous stages l = 1..level (low-pass approximations, then the band) convolve with F taps
      // spaced 2^(l-1) apart: no more than F 2^(l-1) voxels each, F (2^level - 1) in all.
      const s = filter.settings as unknown as SeparableWaveletSettings;
      const taps = waveletFilterBank(s.wavelet).decLo.length;
      const r = taps * (2 ** s.level - 1);
      return alongFilteredAxes(s, [r, r, r]);
    }
    default:
      return null;
  }
}

/**
 * Voxels around the ROI that the features of `families` read besides the ROI's own: the local
 * intensity peak sphere (radius (3 / (4 pi))^(1/3) cm) in voxels per axis, plus one voxel so the
 * ROI's surface lies inside the region.
 */
export function featureMargin(spacing: Readonly<Vec3>, localIntensity: boolean): Vec3 {
  const sphere = (h: number) => (localIntensity ? Math.ceil(PEAK_SPHERE_RADIUS_MM / h) : 0);
  return [sphere(spacing[0]) + 1, sphere(spacing[1]) + 1, sphere(spacing[2]) + 1];
}

/**
 * A periodic boundary reads the far side of the image at its edge: along an axis where the box
 * meets an edge, only the whole axis keeps that (mirror, nearest and zero read the edge's own
 * neighbourhood).
 */
function periodicAxesWhole(filter: IbsiFilter, box: GridBox, grid: Readonly<Vec3>): GridBox {
  if (filter.settings.boundary !== "periodic") return box;
  const start: Vec3 = [...box.start];
  const size: Vec3 = [...box.size];
  for (let a = 0; a < 3; a++) {
    if (start[a] === 0 || start[a]! + size[a]! === grid[a]) {
      start[a] = 0;
      size[a] = grid[a]!;
    }
  }
  return { start, size };
}

/**
 * The filter's response map on the region around the image's morphological mask grown by
 * `margin` (featureMargin), equal there to the response of the whole image (the whole grid when
 * the mask is empty).
 */
export function responseAroundRoi(
  image: IbsiImage,
  filter: IbsiFilter,
  margin: Readonly<Vec3>,
): RegionalResponse {
  const { size, spacing } = image;
  const whole: GridBox = { start: [0, 0, 0], size: [...size] };
  const roi = maskBox(image.morphologicalMask, size);
  const region = roi === null ? whole : growBox(roi, margin, size);
  const reach = filterReach(filter, spacing, size);
  let filtered = whole;
  if (reach !== null) {
    const box = periodicAxesWhole(filter, growBox(region, reach, size), size);
    if (sameKernels(filter, spacing, size, box.size)) filtered = box;
  }
  const input = cropArray(image.intensities, size, filtered);
  const response = applyIbsiFilter({ data: input, size: filtered.size, spacing }, filter);
  const inFiltered: GridBox = {
    start: [0, 1, 2].map((a) => region.start[a]! - filtered.start[a]!) as Vec3,
    size: region.size,
  };
  return {
    image: {
      size: [...region.size],
      spacing: [...spacing],
      intensities: cropArray(response, filtered.size, inFiltered),
      morphologicalMask: cropArray(image.morphologicalMask, size, region),
      intensityMask: cropArray(image.intensityMask, size, region),
    },
    region,
    filtered,
  };
}
