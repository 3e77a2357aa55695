/**
 * The separable resampling engine behind IBSI-1's interpolation (interpolation.ts; reference
 * manual, chapter 2 "Interpolation"): one-dimensional nearest-neighbour, linear and cubic B-spline
 * kernels applied one axis at a time (x, then y, then z) to a box of the image, onto a window of
 * output positions per axis.
 *
 * Cubic B-spline: each line is extended by SPLINE_PADDING voxels (edge voxels, scipy.ndimage's mode
 * "nearest"), turned into B-spline coefficients by Unser's recursive prefilter (pole
 * z = sqrt(3) - 2, gain 6, causal and anticausal first-order recursions, mirror-symmetric
 * initialisation: Unser, Aldroubi & Eden, IEEE TPAMI 13(3), 1991; scipy.ndimage.spline_filter1d,
 * order 3) and the cubic B-spline is evaluated there.
 *
 * Speed: the taps are computed here, the passes run in WebAssembly (src/kernels/ibsi-resample.ts:
 * the box copied once into kernel memory, so a cold process resamples at full speed), each pass on
 * blocks of lines side by side ([index][lane]), so the recursions and the kernel sums run over
 * independent lanes at once instead of one latency-bound chain per line: the y and z passes take
 * whole rows / slices as lanes, the x pass 16 rows of the box at a time.
 */
import type { Vec3 } from "../../image/volume.js";
import { type AxisPass, type LineFilter, resampleBoxPasses } from "../../kernels/ibsi-resample.js";
import { copyBoxInto, type GridBox } from "./grid-box.js";

/** Sample positions along one axis, in the original grid's index coordinates (IBSI-1 QCY4). */
export interface AxisSampling {
  /** Number of interpolation grid points n_b. */
  count: number;
  /** Index coordinate of the first grid point, x_b,g. */
  start: number;
  /** Grid spacing in index coordinates, s_b / s_a. */
  step: number;
}

/** Image interpolation kernels (IBSI-1 "Interpolation algorithms"). */
export type ImageInterpolationMethod = "nearest" | "linear" | "cubic-spline";

/** How a line is extended beyond the box: by its edge voxels, or by zeros. */
export type Extension = "edge" | "zero";

/**
 * Output positions first..first + count - 1 of an axis's sampling, read from the box's lines,
 * whose voxel 0 is voxel `shift` of the image along that axis.
 */
export interface OutputWindow {
  first: number;
  count: number;
  shift: number;
}

/** Edge voxels scipy.ndimage pads before the spline prefilter in mode "nearest". */
const SPLINE_PADDING = 12;
/** Cubic B-spline prefilter pole z = sqrt(3) - 2 (Unser et al. 1991). */
const CUBIC_POLE = Math.sqrt(3) - 2;
/**
 * Terms of the causal initial sum sum_k z^k c[k] (|z|^48 = 3e-28): later terms cannot change a
 * float64 sum of coefficients of comparable size, so longer lines stop there.
 */
const INITIAL_SUM_HORIZON = 48;

/**
 * Kernel taps of output positions `window.first`..: the first index into the extended line and
 * the weights, `taps` per position. Position j lies at index start + j step - `shift` of the box's
 * line, whose voxel i is at index `pad + i` of the extended line.
 */
interface Taps {
  taps: number;
  first: Int32Array;
  weights: Float64Array;
}

function kernelTaps(
  sampling: AxisSampling,
  window: OutputWindow,
  method: ImageInterpolationMethod,
  pad: number,
  length: number,
): Taps {
  const taps = method === "cubic-spline" ? 4 : method === "linear" ? 2 : 1;
  const first = new Int32Array(window.count);
  const weights = new Float64Array(window.count * taps);
  for (let j = 0; j < window.count; j++) {
    const x = sampling.start + (window.first + j) * sampling.step - window.shift;
    const i = Math.floor(x);
    const t = x - i;
    let start: number;
    if (method === "nearest") {
      start = t < 0.5 ? i : i + 1;
      weights[j] = 1;
    } else if (method === "linear") {
      start = i;
      weights[2 * j] = 1 - t;
      weights[2 * j + 1] = t;
    } else {
      // Cubic B-spline weights beta3(t + 1), beta3(t), beta3(1 - t), beta3(2 - t), t in [0, 1).
      const u = 1 - t;
      start = i - 1;
      const w0 = (u * u * u) / 6;
      const w1 = (t * t * (t - 2) * 3 + 4) / 6;
      const w2 = (u * u * (u - 2) * 3 + 4) / 6;
      weights[4 * j] = w0;
      weights[4 * j + 1] = w1;
      weights[4 * j + 2] = w2;
      weights[4 * j + 3] = 1 - w0 - w1 - w2;
    }
    // Keep every tap inside the extended line (beyond it the extension is constant anyway).
    start += pad;
    first[j] = Math.min(Math.max(start, 0), length - taps);
    if (start !== first[j]) shiftTaps(weights, j, taps, start - first[j]!);
  }
  return { taps, first, weights };
}

/**
 * Moves the weights of position j when its first tap was clamped by `shift` indices: taps that fell
 * off the extended line read its last (or first) voxel, equal to its neighbours there.
 */
function shiftTaps(weights: Float64Array, j: number, taps: number, shift: number): void {
  const moved = new Float64Array(taps);
  for (let k = 0; k < taps; k++) {
    const target = Math.min(Math.max(k + shift, 0), taps - 1);
    moved[target]! += weights[j * taps + k]!;
  }
  weights.set(moved, j * taps);
}

/** The prefilter's gain (1 - z)(1 - 1/z) = 6, applied as the samples are copied in. */
const SPLINE_GAIN = (1 - CUBIC_POLE) * (1 - 1 / CUBIC_POLE);

/**
 * How the lines are filtered before the taps: the cubic B-spline's prefilter (Unser et al. 1991,
 * scipy.ndimage.spline_filter1d, order 3; run in src/kernels/assembly/ibsi-resample.ts) on the
 * samples multiplied by its gain 6, with a causal and an anticausal first-order recursion of pole
 * z, initialised for a mirror-symmetric extension (scipy's mode "mirror"); nothing for the others.
 */
function lineFilter(method: ImageInterpolationMethod, extension: Extension): LineFilter {
  const z = CUBIC_POLE;
  return {
    edge: extension === "edge",
    gain: method === "cubic-spline" ? SPLINE_GAIN : 1,
    spline:
      method === "cubic-spline"
        ? { z, anticausal: z / (z * z - 1), horizon: INITIAL_SUM_HORIZON }
        : null,
  };
}

/** Voxels by which a line is extended before and after its box. */
interface Padding {
  low: number;
  high: number;
}

/**
 * The extension of a line of the box [first, first + n) of an axis of `extent` voxels. Edge
 * extension pads only where the box meets the image's edge (SPLINE_PADDING voxels for the cubic
 * spline, as scipy; 2 for the others): at an end inside the image the box holds every voxel the
 * taps read (and, for the spline, the margin that bounds the prefilter's difference; see
 * interpolation.ts, SPLINE_CROP_MARGIN). Zero extension (the ROI mask, 0 outside its box) always
 * pads.
 */
function paddingOf(
  method: ImageInterpolationMethod,
  extension: Extension,
  first: number,
  n: number,
  extent: number,
): Padding {
  const pad = method === "cubic-spline" ? SPLINE_PADDING : 2;
  if (extension === "zero") return { low: pad, high: pad };
  return { low: first === 0 ? pad : 0, high: first + n === extent ? pad : 0 };
}

/**
 * Resamples the voxels of `box` of `source` (x fastest, grid `size`, any numeric array) axis by
 * axis: axis a onto output positions `windows[a]` of `samplings[a]`, or kept where that sampling
 * is null. windows[a].shift is the index, in the samplings' coordinates, of the box's first voxel
 * along axis a (box.start[a] when `source` is the sampled image itself). Beyond the box each line
 * is extended by its edge voxels or zeros. Returns the windows' voxels, x fastest, as float64.
 */
export function resampleBox(
  source: ArrayLike<number>,
  size: Readonly<Vec3>,
  box: GridBox,
  samplings: readonly (AxisSampling | null)[],
  windows: readonly OutputWindow[],
  method: ImageInterpolationMethod,
  extension: Extension,
): Float64Array {
  const passes = ([0, 1, 2] as const).map((axis): AxisPass | null => {
    const sampling = samplings[axis];
    if (!sampling) return null;
    const n = box.size[axis];
    const pad = paddingOf(method, extension, box.start[axis], n, size[axis]);
    const taps = kernelTaps(sampling, windows[axis]!, method, pad.low, n + pad.low + pad.high);
    return { ...pad, ...taps };
  });
  return resampleBoxPasses(
    box.size,
    (copy) => copyBoxInto(source, size, box, copy),
    passes,
    lineFilter(method, extension),
  );
}
